package dev.llmix.config.mda;

import static dev.llmix.config.mda.MdaTestSupport.assertCategory;
import static dev.llmix.config.mda.MdaTestSupport.projectMda;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmix.config.CachingStrategy;
import dev.llmix.config.ConfigAccessException;
import dev.llmix.config.ConfigDirs;
import dev.llmix.config.ConfigNotFoundException;
import dev.llmix.config.ConfigSecurityException;
import dev.llmix.config.InvalidConfigException;
import dev.llmix.config.LlmConfig;
import dev.llmix.internal.config.LlmConfigJson;
import dev.llmix.internal.config.PresetFieldsNotApplied;
import dev.llmix.config.LlmixTestEnv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** mda-presets.md §8–§11 and §15.4 checks 8–12 at the LLMix layer, over project fixtures and temp files. */
class MdaPresetLoaderTest {

    @TempDir
    Path dir;

    private Path write(String name, String namespaceYaml) {
        return write(name, "name: t\ndescription: top description\n", namespaceYaml);
    }

    private Path write(String name, String top, String namespaceYaml) {
        Path file = dir.resolve(name);
        try {
            Files.writeString(file, "---\n" + top + "metadata:\n  snoai-llmix:\n" + namespaceYaml.indent(4) + "---\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return file;
    }

    private static final String OPENAI = "common:\n  provider: openai\n  model: gpt-5-mini\n";

    @Test
    void projectFixturesLoad() {
        LlmConfig reply = MdaPresetLoader.loadMdaConfigFromFile(projectMda().resolve("valid"), "chat", "reply");
        assertThat(reply.provider()).isEqualTo("anthropic");
        assertThat(reply.common().maxOutputTokens()).isEqualTo(8192);
        assertThat(reply.common().seed()).isEqualTo(-7);
        assertThat(reply.common().stopSequences()).containsExactly("\n\nHuman:");
        assertThat(reply.cachingStrategy()).isEqualTo(CachingStrategy.REDIS_OR_MEMORY);
        assertThat(reply.caching().ttl()).isEqualTo(600);
        assertThat(reply.timeout().totalTime()).isEqualTo(900);
        assertThat(reply.tags()).containsExactly("chat", "thinking");
        assertThat(reply.deprecated()).isFalse();
        assertThat(reply.providerOptions()).containsEntry("openai", Map.of("logitBias", Map.of("123", -5)));
        LlmConfig sample = MdaPresetLoader.loadMdaConfigFromFile(projectMda().resolve("valid"), "demo", "sample_preset",
                MdaLoadOptions.builder().verifyIntegrity(true).build());
        assertThat(sample.description()).isEqualTo("Fast cheap calls for the demo module.");
        assertThat(sample.tags()).containsExactly("demo", "fixture");
    }

    @Test
    void projectedConfigRoundTripsThroughCamelCaseJson() {
        LlmConfig reply = MdaPresetLoader.loadMdaConfigFromFile(projectMda().resolve("valid"), "chat", "reply");
        String json = LlmConfigJson.writePretty(reply);
        assertThat(json).contains("\"maxOutputTokens\": 8192").contains("\"providerOptions\"")
                .doesNotContain("max_output_tokens");
        assertThat(LlmConfigJson.read(json)).isEqualTo(reply);
    }

    @Test
    void invalidProjectFixturesFailTyped() {
        Path invalid = projectMda().resolve("invalid");
        Map<String, MdaErrorCategory> expected = Map.of(
                "temperature-out-of-range.mda", MdaErrorCategory.PROJECT_SCHEMA_VIOLATION,
                "unknown-namespace-key.mda", MdaErrorCategory.PROJECT_SCHEMA_VIOLATION,
                "yes-is-a-string.mda", MdaErrorCategory.PROJECT_SCHEMA_VIOLATION,
                "unknown-provider.mda", MdaErrorCategory.PROJECT_SCHEMA_VIOLATION,
                "duplicate-key.mda", MdaErrorCategory.FRONTMATTER_YAML_PARSE_ERROR,
                "billion-laughs.mda", MdaErrorCategory.FRONTMATTER_YAML_PARSE_ERROR,
                "deep-nesting.mda", MdaErrorCategory.FRONTMATTER_YAML_PARSE_ERROR,
                "java-type-tag.mda", MdaErrorCategory.FRONTMATTER_YAML_PARSE_ERROR,
                "root-is-a-sequence.mda", MdaErrorCategory.FRONTMATTER_YAML_PARSE_ERROR);
        expected.forEach((file, category) -> assertCategory(() -> MdaPresetLoader.loadMdaConfig(invalid.resolve(file)),
                category).hasMessageContaining(file));
        assertThatThrownBy(() -> MdaPresetLoader.loadMdaConfig(invalid.resolve("anthropic-budget-too-small.mda")))
                .isExactlyInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("Projected MDA config validation failed for")
                .hasMessageContaining("providerOptions.anthropic.thinking.budgetTokens");
        assertThatThrownBy(() -> MdaPresetLoader.loadMdaConfig(invalid.resolve("legacy.yaml")))
                .isExactlyInstanceOf(InvalidConfigException.class).hasMessageContaining("no longer supported");
    }

    @Test
    void messagesNameTheFileAndTheField() {
        assertCategory(() -> MdaPresetLoader.loadMdaConfig(projectMda().resolve("invalid/temperature-out-of-range.mda")),
                MdaErrorCategory.PROJECT_SCHEMA_VIOLATION)
                .hasMessageContaining("temperature-out-of-range.mda")
                .hasMessageContaining("metadata.snoai-llmix.common.temperature");
    }

    @Test
    void namespaceRequirements() throws IOException {
        assertCategory(() -> MdaPresetLoader.loadMdaConfig(write("a.mda", "description: d\n", OPENAI)),
                MdaErrorCategory.PROJECT_SCHEMA_VIOLATION);
        assertCategory(() -> MdaPresetLoader.loadMdaConfig(write("b.mda", "name: n\n", OPENAI)),
                MdaErrorCategory.PROJECT_SCHEMA_VIOLATION);
        Path emptyMetadata = dir.resolve("c.mda");
        Files.writeString(emptyMetadata, "---\nname: n\ndescription: d\nmetadata: {}\n---\n");
        assertCategory(() -> MdaPresetLoader.loadMdaConfig(emptyMetadata), MdaErrorCategory.PROJECT_SCHEMA_VIOLATION);
        assertCategory(() -> MdaPresetLoader.loadMdaConfig(write("d.mda", "providerOptions: {}\n")),
                MdaErrorCategory.PROJECT_SCHEMA_VIOLATION).hasMessageContaining("common: is required");
        assertThat(MdaPresetLoader.loadMdaConfig(write("e.mda", OPENAI + "module: search\npreset: summary\n")).model())
                .isEqualTo("gpt-5-mini");
    }

    @Test
    void nativeCachingAndBypassGatewayAreBothKept() throws IOException {
        LlmConfig c = MdaPresetLoader.loadMdaConfig(write("n.mda", OPENAI + "caching:\n  strategy: native\n"
                + "bypassGateway: true\n"));
        assertThat(c.cachingStrategy()).isEqualTo(CachingStrategy.NATIVE);
        assertThat(c.bypassGateway()).isTrue();
    }

    @Test
    void passThroughProvidersKeepTheirOptions() throws IOException {
        for (String provider : List.of("deepinfra", "novita", "together")) {
            LlmConfig c = MdaPresetLoader.loadMdaConfig(write(provider + ".mda", "common:\n  provider: " + provider
                    + "\n  model: m\nproviderOptions:\n  " + provider + ":\n    provider: {order: [a, b]}\n"));
            assertThat(c.providerOptions()).containsEntry(provider, Map.of("provider", Map.of("order",
                    List.of("a", "b"))));
        }
    }

    @Test
    void descriptionAndTagsProjection() throws IOException {
        LlmConfig top = MdaPresetLoader.loadMdaConfig(write("t.mda", "name: t\ndescription: top\ntags: [x]\n", OPENAI));
        assertThat(top.description()).isEqualTo("top");
        assertThat(top.tags()).containsExactly("x");
        LlmConfig ns = MdaPresetLoader.loadMdaConfig(write("u.mda", "name: t\ndescription: top\ntags: [x]\n",
                OPENAI + "description: inner\ntags: [y]\n"));
        assertThat(ns.description()).isEqualTo("inner");
        assertThat(ns.tags()).containsExactly("y");
        LlmConfig none = MdaPresetLoader.loadMdaConfig(write("v.mda", OPENAI));
        assertThat(none.tags()).isNull();
        assertThat(none.common()).isNull();
    }

    @Test
    void yamlOneTwoSemanticsAtTheLlmixLayer() throws IOException {
        assertCategory(() -> MdaPresetLoader.loadMdaConfig(write("y.mda", OPENAI + "  enableThinking: yes\n")),
                MdaErrorCategory.PROJECT_SCHEMA_VIOLATION);
        assertThat(MdaPresetLoader.loadMdaConfig(write("z.mda", OPENAI + "  maxOutputTokens: 4096.0\n")).common()
                .maxOutputTokens()).isEqualTo(4096);
    }

    @Test
    void numericRulesAndEnums() throws IOException {
        List<String> bad = List.of("  temperature: -0.1\n", "  topP: 1.5\n", "  topK: 0\n", "  maxOutputTokens: 1.5\n",
                "  maxRetries: -1\n", "  seed: 0.5\n", "  presencePenalty: .nan\n", "  stopSequences: [1]\n");
        for (String b : bad) {
            assertCategory(() -> MdaPresetLoader.loadMdaConfig(write("bad.mda", OPENAI + b)),
                    MdaErrorCategory.PROJECT_SCHEMA_VIOLATION);
        }
        List<String> badBlocks = List.of("caching:\n  ttl: 5\n", "caching:\n  strategy: lru\n",
                "caching:\n  strategy: memory\n  ttl: 1.5\n", "timeout:\n  totalTime: 0\n",
                "providerOptions:\n  openai:\n    reasoningEffort: extreme\n",
                "providerOptions:\n  openai:\n    logitBias: {abc: 1}\n", "providerOptions:\n  mistral: {}\n",
                "providerOptions:\n  google:\n    safetySettings: [{category: x}]\n", "deprecated: \"no\"\n");
        for (String b : badBlocks) {
            assertCategory(() -> MdaPresetLoader.loadMdaConfig(write("bad.mda", OPENAI + b)),
                    MdaErrorCategory.PROJECT_SCHEMA_VIOLATION);
        }
        LlmConfig ok = MdaPresetLoader.loadMdaConfig(write("ok.mda", OPENAI + "  seed: -3\n  presencePenalty: -5\n"
                + "providerOptions:\n  openai:\n    logprobs: 3\n  google:\n    thinkingConfig: {thinkingLevel: low}\n"
                + "  sno-gpu:\n    thinkingBudget: 10\n"));
        assertThat(ok.common().seed()).isEqualTo(-3);
    }

    @Test
    void legacyAndWrongExtensionsAreRejected() {
        assertThatThrownBy(() -> MdaPresetLoader.loadMdaConfig(dir.resolve("x.yaml")))
                .isExactlyInstanceOf(InvalidConfigException.class);
        assertThatThrownBy(() -> MdaPresetLoader.loadMdaConfig(dir.resolve("x.YML")))
                .isExactlyInstanceOf(InvalidConfigException.class);
        assertThatThrownBy(() -> MdaPresetLoader.loadMdaConfigPreset("compat.yml", dir))
                .isExactlyInstanceOf(InvalidConfigException.class);
        assertThatThrownBy(() -> MdaPresetLoader.loadMdaConfig(dir.resolve("x.txt")))
                .isExactlyInstanceOf(InvalidConfigException.class);
    }

    @Test
    void fieldsThatAreNotAppliedPerCallAreNamedAndWarnedAboutOnceOnLoad() {
        Path file = write("not_applied.mda", OPENAI + "  maxRetries: 5\ncaching: {strategy: memory, ttl: 60, maxItems: 9}\n");

        LlmConfig config = MdaPresetLoader.loadMdaConfig(file);

        assertThat(PresetFieldsNotApplied.of(config))
                .containsExactly("common.maxRetries", "caching.ttl", "caching.maxItems");
        assertThat(PresetFieldsNotApplied.warnOnce(config, file.toAbsolutePath().normalize().toString()))
                .as("the load already warned about this file").isFalse();
        assertThat(PresetFieldsNotApplied.of(MdaPresetLoader.loadMdaConfig(write("plain.mda", OPENAI)))).isEmpty();
    }

    @Test
    void aLegacyYamlPresetIsNoLongerSupportedEvenWhenTheFileExists() throws IOException {
        Files.createDirectories(dir.resolve("chat"));
        Files.writeString(dir.resolve("chat/reply.yaml"), "provider: openai\nmodel: gpt-4o\n");
        MdaPresetLoader loader = MdaPresetLoader.create(dir, MdaLoadOptions.DEFAULTS);

        assertThatThrownBy(() -> loader.loadConfigPreset("chat", "reply.yaml"))
                .isExactlyInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("YAML presets are no longer supported");
        assertThatThrownBy(() -> loader.loadConfig(Path.of("chat/reply.yml")))
                .isExactlyInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("YAML presets are no longer supported");
    }

    @Test
    void traversalInNamesIsASecurityError() {
        assertThatThrownBy(() -> MdaPresetLoader.loadMdaConfigFromFile(dir, "../search", "summary"))
                .isInstanceOf(ConfigSecurityException.class);
        assertThatThrownBy(() -> MdaPresetLoader.loadMdaConfigFromFile(dir, "search", "../summary"))
                .isInstanceOf(ConfigSecurityException.class);
    }

    @Test
    void symlinkOutsideItsDirectoryIsASecurityError(@TempDir Path outside) throws IOException {
        Path target = outside.resolve("real.mda");
        Files.writeString(target, "---\nname: a\n---\n");
        Path link = dir.resolve("search").resolve("summary.mda");
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, target);
        assertThatThrownBy(() -> MdaPresetLoader.loadMdaConfig(link)).isInstanceOf(ConfigSecurityException.class)
                .hasMessageContaining("Path traversal detected");
        assertThatThrownBy(() -> MdaPresetLoader.loadMdaConfigFromFile(dir, "search", "summary"))
                .isInstanceOf(ConfigSecurityException.class);
    }

    @Test
    void missingFileIsNotFound() {
        assertThatThrownBy(() -> MdaPresetLoader.loadMdaConfig(dir.resolve("missing.mda")))
                .isExactlyInstanceOf(ConfigNotFoundException.class).hasMessageContaining("missing.mda");
        assertThatThrownBy(() -> MdaPresetLoader.loadMdaConfigFromFile(dir, "search", "summary"))
                .isExactlyInstanceOf(ConfigNotFoundException.class);
    }

    @Test
    void unreadableFileIsAnAccessError() throws IOException {
        Files.createDirectories(dir.resolve("folder.mda"));
        assertThatThrownBy(() -> MdaPresetLoader.loadMdaConfig(dir.resolve("folder.mda")))
                .isExactlyInstanceOf(ConfigAccessException.class);
        Path locked = write("locked.mda", OPENAI);
        try {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        } catch (UnsupportedOperationException e) {
            Assumptions.abort("no POSIX permissions");
        }
        Assumptions.assumeFalse(Files.isReadable(locked), "running as root: permissions do not block reads");
        assertThatThrownBy(() -> MdaPresetLoader.loadMdaConfig(locked)).isExactlyInstanceOf(ConfigAccessException.class);
    }

    @Test
    @Timeout(10)
    void oversizedFileIsRejectedBeforeParsing() throws IOException {
        Path big = dir.resolve("big.mda");
        byte[] bytes = new byte[MdaSourceLoader.MAX_FILE_BYTES + 10];
        java.util.Arrays.fill(bytes, (byte) 'a');
        Files.write(big, bytes);
        assertThatThrownBy(() -> MdaPresetLoader.loadMdaConfig(big)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("larger than");
    }

    @Test
    void presetNameKeepsTheLastComponentAndDropsTheExtension() throws IOException {
        write("summary.mda", OPENAI);
        assertThat(MdaPresetLoader.loadMdaConfigPreset("summary", dir).model()).isEqualTo("gpt-5-mini");
        assertThat(MdaPresetLoader.loadMdaConfigPreset("some/dir/summary.mda", dir).model()).isEqualTo("gpt-5-mini");
        assertThatThrownBy(() -> MdaPresetLoader.loadMdaConfigPreset("Summary", dir))
                .isExactlyInstanceOf(InvalidConfigException.class);
    }

    @Test
    void loaderInstanceResolvesItsConfigDirectory() throws IOException {
        Path module = dir.resolve("custom/llm/search");
        Files.createDirectories(module);
        Files.writeString(module.resolve("summary.mda"), "---\nname: s\ndescription: d\nmetadata:\n  snoai-llmix:\n"
                + "    common:\n      provider: google\n      model: gemini-2.5-flash\n---\n");
        MdaPresetLoader loader = MdaPresetLoader.resolve(dir.resolve("custom/llm"), LlmixTestEnv.of(),
                MdaLoadOptions.DEFAULTS);
        assertThat(loader.loadConfigPreset("search", "summary").provider()).isEqualTo("google");
        assertThat(loader.loadConfig(Path.of("search/summary.mda")).model()).isEqualTo("gemini-2.5-flash");
        assertThat(ConfigDirs.resolve(null, dir, LlmixTestEnv.of("LLMIX_CONFIG_DIR", "custom/llm")).configDir())
                .isEqualTo(loader.configDir());
    }
}
