package dev.llmix.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.config.ConfigAccessException;
import dev.llmix.internal.config.ConfigNames;
import dev.llmix.config.ConfigNotFoundException;
import dev.llmix.config.ConfigSecurityException;
import dev.llmix.config.InvalidConfigException;
import dev.llmix.internal.config.LlmConfigJson;
import dev.llmix.config.mda.LlmixProjectValidator;
import dev.llmix.config.mda.MdaConfigException;
import dev.llmix.config.mda.MdaLoadOptions;
import dev.llmix.config.mda.MdaPresetLoader;
import dev.llmix.config.mda.MdaSourceLoader;
import dev.llmix.config.registry.ConfigRegistryManager;
import dev.llmix.testsupport.Fixtures;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hand-made hostile configuration input: alias bombs, 50 MB frontmatter, deep nesting (YAML block and flow, JSON),
 * module and preset names built to escape the config directory, and symlinks pointing out of it. Allowed outcomes per
 * input class: content problems → {@link InvalidConfigException} (an {@link MdaConfigException} for MDA stages); names
 * with path characters → {@link ConfigSecurityException}, other bad names → {@link InvalidConfigException}; symlink
 * escapes → {@link ConfigSecurityException}; a symlink loop → {@link ConfigNotFoundException} or
 * {@link ConfigAccessException}. Never a hang, an unrelated exception or an OOM.
 */
class HostileConfigInputTest {

    private static final long LIMIT_MS = 10_000;

    @TempDir
    Path dir;

    private static final String HEAD = "---\nname: x\ndescription: y\nmetadata:\n  snoai-llmix:\n    common:\n"
            + "      provider: openai\n      model: gpt-4\n";

    // --- size and shape ---------------------------------------------------------------------------------------------

    @Test
    void aliasBombInAPresetFileIsRejectedBeforeItExpands() throws IOException {
        StringBuilder yaml = new StringBuilder("---\nname: x\ndescription: y\na0: &a0 [lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 12; i++) {
            yaml.append('a').append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 9; j++) {
                yaml.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            yaml.append("]\n");
        }
        yaml.append("metadata: {snoai-llmix: {common: {provider: openai, model: *a11}}}\n---\n");
        Path file = write("bomb.mda", yaml.toString());
        Throwable e = Hostile.expectRejected("alias bomb", LIMIT_MS, () -> MdaPresetLoader.loadMdaConfig(file),
                MdaConfigException.class);
        assertThat(((MdaConfigException) e).category().toString()).contains("yaml");
    }

    @Test
    void fiftyMegabyteFrontmatterIsRejectedWithoutReadingItAll() throws IOException {
        Path file = dir.resolve("huge.mda");
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(HEAD.getBytes(StandardCharsets.UTF_8));
            out.write("    description: \"".getBytes(StandardCharsets.UTF_8));
            byte[] chunk = "x".repeat(1 << 20).getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 50; i++) {
                out.write(chunk);
            }
            out.write("\"\n---\n".getBytes(StandardCharsets.UTF_8));
        }
        Throwable e = Hostile.expectRejected("50 MB file", LIMIT_MS, () -> MdaPresetLoader.loadMdaConfig(file),
                InvalidConfigException.class);
        assertThat(e.getMessage()).contains("larger than");

        byte[] inMemory = Files.readAllBytes(file);
        Hostile.expectRejected("50 MB bytes", LIMIT_MS, () -> MdaSourceLoader.load(inMemory, "huge.mda",
                MdaLoadOptions.DEFAULTS, LlmixProjectValidator.INSTANCE), InvalidConfigException.class);
    }

    @Test
    void fiftyMegabyteResolvedJsonIsRejectedOrReadWithoutTrouble() {
        StringBuilder json = new StringBuilder(52 << 20).append("{\"provider\":\"openai\",\"model\":\"gpt-4\",")
                .append("\"description\":\"");
        json.append("x".repeat(50 << 20)).append("\"}");
        byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
        Hostile.Outcome o = Hostile.expectTyped("50 MB resolved JSON", LIMIT_MS,
                () -> LlmConfigJson.read(bytes, "huge.json"), InvalidConfigException.class);
        Reports.record("50 MB resolved JSON given to LlmConfigJson.read directly",
                o.failed() ? "rejected: " + o.error().getMessage() : "read (the registry caps files at 8 MiB)");
    }

    @Test
    void deepNestingIsRejectedInEveryNotation() throws IOException {
        String flow = HEAD + "    providerOptions: {openai: " + "[".repeat(200_000) + "]".repeat(200_000) + "}\n---\n";
        StringBuilder block = new StringBuilder(HEAD).append("    providerOptions:\n");
        for (int i = 0; i < 1_500; i++) { // about 2.3 MB: under the 4 MiB cap, so the parser sees it
            block.append("  ".repeat(i + 3)).append("k:\n");
        }
        block.append("---\n");
        for (String[] c : new String[][] {{"flow.mda", flow}, {"block.mda", block.toString()}}) {
            Path file = write(c[0], c[1]);
            Hostile.expectRejected(c[0], LIMIT_MS, () -> MdaPresetLoader.loadMdaConfig(file),
                    MdaConfigException.class);
        }
        byte[] json = ("{\"provider\":\"openai\",\"model\":\"gpt-4\",\"providerOptions\":{\"openai\":"
                + "[".repeat(500_000) + "]".repeat(500_000) + "}}").getBytes(StandardCharsets.UTF_8);
        Hostile.expectRejected("deep JSON", LIMIT_MS, () -> LlmConfigJson.read(json, "deep.json"),
                InvalidConfigException.class);
    }

    // --- names ------------------------------------------------------------------------------------------------------

    /** Names that try to leave the directory, hide a separator, or look like a valid name. */
    static final List<String> HOSTILE_NAMES = List.of(
            "..", "../reply", "chat/../../etc", "a/b", "a\\b", "/etc/passwd", "~root", "$HOME", "`id`",
            "%2e%2e", "%2e%2e%2fetc", "..%2f", "%2fetc", "%00", "a\u0000b", "\u0000", "reply\u0000.mda",
            "ｃhat", "chаt", "cha\u200bt", "chat\u0301", "re\u2215ply", "\u2024\u2024", "．．", "\uff0e\uff0e\uff0f",
            "chat\n", " chat", "chat ", "CHAT", "chat.mda", "chat.yaml", "", "a".repeat(65), "\ud800", "\ud83d\ude00",
            "r\u0435ply", "\u202ereply", "reply;rm", "reply|x", "reply*", "reply?", ".", "-reply", "_", "1chat");

    @Test
    void hostileModuleAndPresetNamesNeverReachTheFileSystem() throws IOException {
        Path config = dir.resolve("config");
        Path valid = Fixtures.projectFixtures().resolve("mda/valid/chat/reply.mda");
        Files.createDirectories(config.resolve("chat"));
        Files.copy(valid, config.resolve("chat/reply.mda"));
        // A preset outside the config directory that a successful escape would load.
        Files.copy(valid, dir.resolve("reply.mda"));
        Files.copy(valid, dir.resolve("etc.mda"));
        MdaPresetLoader loader = MdaPresetLoader.create(config, MdaLoadOptions.DEFAULTS);
        ConfigRegistryManager registry = ConfigRegistryManager.open(copyRegistry());
        try {
            List<String> checked = new ArrayList<>();
            for (String bad : HOSTILE_NAMES) {
                expectNameRejected("module " + bad, () -> loader.loadConfigPreset(bad, "reply"));
                expectNameRejected("preset " + bad, () -> loader.loadConfigPreset("chat", bad));
                expectNameRejected("static " + bad, () -> MdaPresetLoader.loadMdaConfigFromFile(config, "chat", bad));
                expectNameRejected("registry module " + bad, () -> registry.getPreset(bad, "sample"));
                expectNameRejected("registry preset " + bad, () -> registry.getPreset("demo", bad));
                expectNameRejected("validate " + bad, () -> ConfigNames.validatePreset(bad));
                checked.add(bad);
            }
            assertThat(checked).hasSize(HOSTILE_NAMES.size());
            assertThat(loader.loadConfigPreset("chat", "reply").model()).isEqualTo("claude-sonnet-4-5");
        } finally {
            registry.close();
        }
    }

    @Test
    void pathCharactersAreSecurityErrorsAndLookAlikesAreInvalidNames() {
        for (String bad : List.of("..", "../reply", "a/b", "a\\b", "~root", "$HOME", "`id`", "chat/../../etc")) {
            Hostile.expectRejected(bad, LIMIT_MS, () -> ConfigNames.validateModule(bad), ConfigSecurityException.class);
        }
        for (String bad : List.of("%2e%2e", "a\u0000b", "ｃhat", "chаt", "cha\u200bt", "．．", "\ud800", "CHAT")) {
            Throwable e = Hostile.expectRejected(Hostile.printable(bad), LIMIT_MS,
                    () -> ConfigNames.validateModule(bad), InvalidConfigException.class);
            assertThat(e).isNotInstanceOf(ConfigSecurityException.class);
        }
    }

    @Test
    void presetNameGivenAsAPathKeepsOnlyItsLastComponent() throws IOException {
        Path base = dir.resolve("base");
        Files.createDirectories(base);
        Files.copy(Fixtures.projectFixtures().resolve("mda/valid/chat/reply.mda"), dir.resolve("outside.mda"));
        for (String bad : List.of("../outside", "../outside.mda", "..\\outside", "%2e%2e/outside", "x/../../outside")) {
            Hostile.expectRejected(Hostile.printable(bad), LIMIT_MS,
                    () -> MdaPresetLoader.loadMdaConfigPreset(bad, base), ConfigNotFoundException.class,
                    InvalidConfigException.class, ConfigSecurityException.class);
        }
    }

    // --- symlinks ---------------------------------------------------------------------------------------------------

    @Test
    void symlinkedModuleDirectoryPointingOutsideIsASecurityError() throws IOException {
        Path config = Files.createDirectories(dir.resolve("config"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.copy(Fixtures.projectFixtures().resolve("mda/valid/chat/reply.mda"), outside.resolve("reply.mda"));
        Files.createSymbolicLink(config.resolve("chat"), outside);
        MdaPresetLoader loader = MdaPresetLoader.create(config, MdaLoadOptions.DEFAULTS);
        Hostile.expectRejected("symlinked module dir", LIMIT_MS, () -> loader.loadConfigPreset("chat", "reply"),
                ConfigSecurityException.class);
    }

    @Test
    void symlinkedPresetPointingAtASystemFileIsASecurityError() throws IOException {
        Path config = Files.createDirectories(dir.resolve("config/chat"));
        Files.createSymbolicLink(config.resolve("reply.mda"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(config.resolve("dangling.mda"), Path.of("/nonexistent/secret.mda"));
        MdaPresetLoader loader = MdaPresetLoader.create(dir.resolve("config"), MdaLoadOptions.DEFAULTS);
        Hostile.expectRejected("symlink to /etc/passwd", LIMIT_MS, () -> loader.loadConfigPreset("chat", "reply"),
                ConfigSecurityException.class);
        Hostile.expectRejected("dangling symlink out", LIMIT_MS, () -> loader.loadConfigPreset("chat", "dangling"),
                ConfigSecurityException.class);
    }

    @Test
    void symlinkLoopIsATypedErrorNotAHang() throws IOException {
        Path config = Files.createDirectories(dir.resolve("config/chat"));
        Files.createSymbolicLink(config.resolve("a.mda"), config.resolve("b.mda"));
        Files.createSymbolicLink(config.resolve("b.mda"), config.resolve("a.mda"));
        Files.createSymbolicLink(config.resolve("loop"), config);
        MdaPresetLoader loader = MdaPresetLoader.create(dir.resolve("config"), MdaLoadOptions.DEFAULTS);
        Hostile.expectRejected("symlink loop", LIMIT_MS, () -> loader.loadConfigPreset("chat", "a"),
                ConfigNotFoundException.class, ConfigAccessException.class, ConfigSecurityException.class);
        Hostile.expectRejected("self loop", LIMIT_MS,
                () -> MdaPresetLoader.loadMdaConfig(config.resolve("loop/loop/loop/a.mda")),
                ConfigNotFoundException.class, ConfigAccessException.class, ConfigSecurityException.class);
    }

    @Test
    void symlinkedRegistryArtifactPointingOutsideIsASecurityError() throws IOException {
        Path root = copyRegistry();
        Path revision = root.resolve("compiled/2026-05-10T12-00-00Z_0a1b2c3d/resolved/demo/sample.json");
        Path outside = dir.resolve("sample.json");
        Files.move(revision, outside);
        Files.createSymbolicLink(revision, outside);
        Hostile.expectRejected("symlinked artifact", LIMIT_MS, () -> ConfigRegistryManager.open(root),
                ConfigSecurityException.class);
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private void expectNameRejected(String what, java.util.concurrent.Callable<?> call) {
        Hostile.expectRejected(Hostile.printable(what), LIMIT_MS, call, InvalidConfigException.class,
                ConfigSecurityException.class);
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    private Path copyRegistry() throws IOException {
        Path src = Fixtures.projectFixtures().resolve("registry");
        Path dst = Files.createDirectories(dir.resolve("registry-" + System.nanoTime()));
        try (Stream<Path> files = Files.walk(src)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return dst;
    }
}
