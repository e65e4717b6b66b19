package dev.llmix.config.registry;

import static dev.llmix.config.registry.RegistryBuilder.REV_A;
import static dev.llmix.config.registry.RegistryBuilder.REV_B;
import static dev.llmix.config.registry.RegistryTestSupport.editManifest;
import static dev.llmix.config.registry.RegistryTestSupport.flipByte;
import static dev.llmix.config.registry.RegistryTestSupport.point;
import static dev.llmix.config.registry.RegistryTestSupport.replaceResolved;
import static dev.llmix.config.registry.RegistryTestSupport.rev;
import static dev.llmix.config.registry.RegistryTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmix.config.CachingStrategy;
import dev.llmix.config.CommonParams;
import dev.llmix.config.ConfigNotFoundException;
import dev.llmix.config.ConfigSecurityException;
import dev.llmix.config.InvalidConfigException;
import dev.llmix.config.LlmConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** config-registry.md §10.1 (open and serve) and §10.2 (hot switch), unsigned mode. */
class ConfigRegistryManagerTest {

    @TempDir
    Path root;
    final RegistryTestSupport.MutableClock clock = new RegistryTestSupport.MutableClock();

    @BeforeEach
    void copyRegistry() {
        RegistryFixtures.copy(root);
    }

    private ConfigRegistryManager open() {
        return ConfigRegistryManager.open(root, ConfigRegistryOpenOptions.builder().clock(clock).build());
    }

    @Test
    void opensAndServesRevisionA() {
        ConfigRegistryManager m = open();
        assertThat(m.activeRevision()).isEqualTo(REV_A);
        assertThat(m.availablePresets()).containsExactly("demo/sample", "demo/sample_preset");
        assertThat(m.lastReloadError()).isEmpty();
        assertThat(m.lastSuccessfulReloadAt()).contains(clock.now);
        assertThat(m.lastReloadFailureAt()).isEmpty();
        assertThat(m.status().degraded()).isFalse();
        assertThat(m.status().presetCount()).isEqualTo(2);
    }

    @Test
    void servesTheResolvedConfigs() {
        ConfigRegistryManager m = open();
        LlmConfig preset = m.getPreset("demo", "sample_preset");
        assertThat(preset).isEqualTo(LlmConfig.builder("openai", "gpt-5-mini")
                .common(CommonParams.builder().maxOutputTokens(4096).temperature(0.7).build())
                .providerOptions(Map.of("openai", Map.of("reasoningEffort", "medium")))
                .caching(CachingStrategy.MEMORY).description("Fast cheap calls for the demo module.")
                .tags(List.of("demo", "fixture")).build());
        assertThat(m.getPreset("demo", "sample")).isEqualTo(LlmConfig.builder("openai", "gpt-5-mini")
                .description("Smallest demo preset of the LLMix Java fixtures, provider and model only.").build());
    }

    @Test
    void returnedConfigsCannotBeMutated() {
        ConfigRegistryManager m = open();
        LlmConfig preset = m.getPreset("demo", "sample_preset");
        assertThatThrownBy(() -> preset.providerOptions().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> openai = (Map<String, Object>) preset.providerOptions().get("openai");
        assertThatThrownBy(() -> openai.put("reasoningEffort", "high")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> preset.tags().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> m.availablePresets().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(m.getPreset("demo", "sample_preset")).isEqualTo(preset);
    }

    @Test
    void missingPresetNamesTheRevisionAndId() {
        assertThatThrownBy(() -> open().getPreset("demo", "missing")).isExactlyInstanceOf(ConfigNotFoundException.class)
                .hasMessageContaining(REV_A).hasMessageContaining("demo/missing");
    }

    @Test
    void badNamesFailBeforeReadingThePointer() throws IOException {
        ConfigRegistryManager m = open();
        write(root.resolve("current.json"), "not json");
        assertThatThrownBy(() -> m.getPreset("../demo", "x")).isInstanceOf(ConfigSecurityException.class);
        assertThatThrownBy(() -> m.getPreset("Demo", "x")).isExactlyInstanceOf(InvalidConfigException.class);
        assertThatThrownBy(() -> m.getPreset("demo", "")).isExactlyInstanceOf(InvalidConfigException.class);
        assertThat(m.lastReloadError()).isEmpty();
    }

    @Test
    void openFailures() throws IOException {
        Files.delete(root.resolve("current.json"));
        assertThatThrownBy(this::open).isExactlyInstanceOf(ConfigNotFoundException.class);
        Map<String, Class<?>> cases = Map.of(
                "{\"revision\":42}", InvalidConfigException.class,
                "not json", InvalidConfigException.class,
                "{\"revision\":\"../x\"}", ConfigSecurityException.class,
                "{\"revision\":\".staging\"}", InvalidConfigException.class,
                "{\"revision\":\"" + REV_A + "\",\"manifest_sha256\":\"" + "ABC".repeat(21) + "A\"}",
                InvalidConfigException.class,
                "{\"revision\":\"missing-rev\"}", ConfigNotFoundException.class,
                "\uFEFF{\"revision\":\"" + REV_A + "\"}", InvalidConfigException.class,
                "{\"revision\":\"" + REV_A + "\",\"revision\":\"" + REV_A + "\"}", InvalidConfigException.class,
                "[1]", InvalidConfigException.class);
        cases.forEach((pointer, type) -> {
            write(root.resolve("current.json"), pointer);
            assertThatThrownBy(this::open).as(pointer).isExactlyInstanceOf(type);
        });
    }

    @Test
    void legacyPointerWithoutDigestOpens() {
        write(root.resolve("current.json"), "{\"revision\":\"" + REV_A + "\"}");
        ConfigRegistryManager m = open();
        assertThat(m.activeRevision()).isEqualTo(REV_A);
        assertThat(m.lastReloadError()).isEmpty();
    }

    @Test
    void integrityOfTheRevisionIsCheckedAtOpen() {
        Path a = rev(root, REV_A);
        for (String file : List.of("manifest.json", "resolved/demo/sample.json", "source/demo/sample.mda")) {
            Path fresh = root.resolveSibling(root.getFileName() + "-" + file.replace('/', '_'));
            RegistryFixtures.copy(fresh);
            flipByte(rev(fresh, REV_A).resolve(file), 20);
            assertThatThrownBy(() -> ConfigRegistryManager.open(fresh)).as(file)
                    .isExactlyInstanceOf(InvalidConfigException.class);
        }
        // resolved file and its manifest entry changed, current.json not
        write(a.resolve("resolved/demo/sample.json"), "{\"provider\":\"openai\",\"model\":\"x\",\"description\":\"d\"}");
        editManifestWithoutPointer(a);
        assertThatThrownBy(this::open).isExactlyInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("Checksum mismatch");
    }

    @SuppressWarnings("unchecked")
    private void editManifestWithoutPointer(Path a) {
        Path manifest = a.resolve("manifest.json");
        Map<String, Object> m = RegistryTestSupport.json(manifest);
        ((Map<String, Object>) ((Map<String, Object>) m.get("presets")).get("demo/sample")).put("resolved_sha256",
                RegistryTestSupport.sha(a.resolve("resolved/demo/sample.json")));
        RegistryTestSupport.writeJson(manifest, m);
    }

    @Test
    @SuppressWarnings("unchecked")
    void manifestStructureAndPathsAreValidated() {
        editManifest(root, REV_A, m -> m.put("schema_version", 2));
        assertThatThrownBy(this::open).isExactlyInstanceOf(InvalidConfigException.class);
        for (String bad : List.of("../x.json", "/abs.json", "a\\b.json", "a//b.json", "./a.json", "", "C:\\x.json")) {
            RegistryFixtures.copy(root);
            editManifest(root, REV_A, m -> ((Map<String, Object>) ((Map<String, Object>) m.get("presets"))
                    .get("demo/sample")).put("resolved_path", bad));
            assertThatThrownBy(this::open).as(bad).isExactlyInstanceOf(InvalidConfigException.class);
        }
    }

    @Test
    void resolvedJsonIsValidatedStrictly() {
        String base = "{\"provider\":\"openai\",\"model\":\"m\",\"description\":\"d\"";
        for (String bad : List.of(base + ",\"foo\":1}", base + ",\"common\":{\"temperature\":3}}",
                "{\"model\":\"m\"}", base + ",\"provider\":\"x\"}")) {
            RegistryFixtures.copy(root);
            replaceResolved(root, REV_A, "demo/sample", bad);
            assertThatThrownBy(this::open).as(bad).isExactlyInstanceOf(InvalidConfigException.class)
                    .hasMessageContaining("sample.json");
        }
        RegistryFixtures.copy(root);
        replaceResolved(root, REV_A, "demo/sample", base + ",\"providerOptions\":{\"anthropic\":{\"thinking\":"
                + "{\"type\":\"enabled\",\"budgetTokens\":512}}}}".replace("openai", "anthropic"));
        assertThat(open().getPreset("demo", "sample").provider()).isEqualTo("openai");
        replaceResolved(root, REV_A, "demo/sample", (base + ",\"providerOptions\":{\"anthropic\":{\"thinking\":"
                + "{\"type\":\"enabled\",\"budgetTokens\":512}}}}").replace("openai", "anthropic"));
        assertThatThrownBy(this::open).isExactlyInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("Schema validation failed");
    }

    @Test
    @SuppressWarnings("unchecked")
    void symlinkedArtifactsMustStayInsideTheRevision(@TempDir Path outside) throws IOException {
        Path a = rev(root, REV_A);
        Path target = outside.resolve("sample.json");
        Files.copy(a.resolve("resolved/demo/sample.json"), target);
        Files.delete(a.resolve("resolved/demo/sample.json"));
        Files.createSymbolicLink(a.resolve("resolved/demo/sample.json"), target);
        assertThatThrownBy(this::open).isInstanceOf(ConfigSecurityException.class);

        RegistryFixtures.copy(root);
        Path inside = a.resolve("resolved/demo/sample-link.json");
        Files.deleteIfExists(inside);
        Files.createSymbolicLink(inside, a.resolve("resolved/demo/sample.json"));
        editManifest(root, REV_A, m -> ((Map<String, Object>) ((Map<String, Object>) m.get("presets"))
                .get("demo/sample")).put("resolved_path", "resolved/demo/sample-link.json"));
        assertThat(open().getPreset("demo", "sample").model()).isEqualTo("gpt-5-mini");
    }

    @Test
    @SuppressWarnings("unchecked")
    void oldLayoutRegistryFailsToOpen() throws IOException {
        Files.move(root.resolve("compiled"), root.resolve("snapshots"));
        assertThatThrownBy(this::open).isExactlyInstanceOf(ConfigNotFoundException.class);
        Files.move(root.resolve("snapshots"), root.resolve("compiled"));
        editManifest(root, REV_A, m -> {
            Map<String, Object> e = (Map<String, Object>) ((Map<String, Object>) m.get("presets")).get("demo/sample");
            e.put("authoring_path", e.remove("source_path"));
        });
        assertThatThrownBy(this::open).isExactlyInstanceOf(InvalidConfigException.class);
    }

    @Test
    void hotSwitchToRevisionBAndRollBack() {
        ConfigRegistryManager m = open();
        Instant first = clock.now;
        clock.advance(60);
        point(root, REV_B);
        assertThat(m.getPreset("demo", "sample_preset").model()).isEqualTo("gpt-5");
        assertThat(m.activeRevision()).isEqualTo(REV_B);
        assertThat(m.availablePresets()).containsExactly("chat/reply", "demo/sample", "demo/sample_preset");
        assertThat(m.lastSuccessfulReloadAt()).contains(first.plusSeconds(60));
        assertThat(m.lastReloadError()).isEmpty();
        point(root, REV_A);
        assertThat(m.getPreset("demo", "sample_preset").model()).isEqualTo("gpt-5-mini");
        assertThat(m.activeRevision()).isEqualTo(REV_A);
    }

    @Test
    void missingRevisionIsRecordedAndAKeepsServing() {
        ConfigRegistryManager m = open();
        Instant opened = clock.now;
        clock.advance(5);
        write(root.resolve("current.json"), "{\"revision\":\"gone\",\"manifest_sha256\":\"" + "0".repeat(64) + "\"}");
        assertThat(m.getPreset("demo", "sample_preset").model()).isEqualTo("gpt-5-mini");
        assertThat(m.activeRevision()).isEqualTo(REV_A);
        assertThat(m.lastReloadError()).get().isInstanceOf(ConfigNotFoundException.class);
        assertThat(m.lastReloadFailureAt()).contains(opened.plusSeconds(5));
        assertThat(m.lastSuccessfulReloadAt()).contains(opened);
        assertThat(m.status().degraded()).isTrue();
    }

    @Test
    void malformedPointerAfterOpenIsRecorded() {
        ConfigRegistryManager m = open();
        write(root.resolve("current.json"), "{\"revision\":42}");
        assertThat(m.getPreset("demo", "sample").model()).isEqualTo("gpt-5-mini");
        assertThat(m.lastReloadError()).get().isInstanceOf(InvalidConfigException.class);
    }

    @Test
    void wrongManifestDigestThenRestoreKeepsTheErrorUntilTheNextSwitch() {
        ConfigRegistryManager m = open();
        String good = RegistryTestSupport.sha(rev(root, REV_A).resolve("manifest.json"));
        RegistryTestSupport.writeJson(root.resolve("current.json"), RegistryBuilder.pointer(REV_A, "0".repeat(64)));
        assertThat(m.getPreset("demo", "sample").model()).isEqualTo("gpt-5-mini");
        assertThat(m.lastReloadError()).get().isInstanceOf(InvalidConfigException.class);
        RegistryTestSupport.writeJson(root.resolve("current.json"), RegistryBuilder.pointer(REV_A, good));
        m.getPreset("demo", "sample");
        assertThat(m.lastReloadError()).isPresent();
        point(root, REV_B);
        m.getPreset("demo", "sample");
        assertThat(m.activeRevision()).isEqualTo(REV_B);
        assertThat(m.lastReloadError()).isEmpty();
        assertThat(m.lastReloadFailureAt()).isEmpty();
    }

    @Test
    void halfWrittenRevisionIsPickedUpOnceComplete() throws IOException {
        ConfigRegistryManager m = open();
        Path reply = rev(root, REV_B).resolve("resolved/chat/reply.json");
        byte[] saved = Files.readAllBytes(reply);
        Files.delete(reply);
        point(root, REV_B);
        assertThat(m.getPreset("demo", "sample_preset").model()).isEqualTo("gpt-5-mini");
        assertThat(m.lastReloadError()).get().isInstanceOf(ConfigNotFoundException.class);
        Files.write(reply, saved);
        assertThat(m.getPreset("demo", "sample_preset").model()).isEqualTo("gpt-5");
        assertThat(m.lastReloadError()).isEmpty();
    }

    @Test
    void editsInsideTheActiveRevisionAreNotNoticed() {
        ConfigRegistryManager m = open();
        write(rev(root, REV_A).resolve("resolved/demo/sample.json"),
                "{\"provider\":\"openai\",\"model\":\"edited\",\"description\":\"d\"}");
        write(root.resolve("source/demo/sample.mda"), "garbage");
        assertThat(m.getPreset("demo", "sample").model()).isEqualTo("gpt-5-mini");
        assertThat(m.lastReloadError()).isEmpty();
    }

    @Test
    void explicitRefreshAndScheduledRefresher() throws InterruptedException {
        ConfigRegistryManager m = open();
        point(root, REV_B);
        m.refresh();
        assertThat(m.activeRevision()).isEqualTo(REV_B);
        try (ConfigRegistryManager scheduled = ConfigRegistryManager.open(root, ConfigRegistryOpenOptions.builder()
                .refreshInterval(Duration.ofMillis(10)).build())) {
            point(root, REV_A);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!scheduled.activeRevision().equals(REV_A) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(scheduled.activeRevision()).isEqualTo(REV_A);
        }
    }

    @Test
    void closeStopsTheRefresherThread() throws InterruptedException {
        ConfigRegistryManager scheduled = ConfigRegistryManager.open(root, ConfigRegistryOpenOptions.builder()
                .refreshInterval(Duration.ofMillis(5)).build());
        assertThat(refresherThreads()).isPositive();
        scheduled.close();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (refresherThreads() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(refresherThreads()).isZero();
        assertThat(scheduled.getPreset("demo", "sample").model()).isEqualTo("gpt-5-mini");
    }

    private static long refresherThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("llmix-config-registry-refresh") && t.isAlive()).count();
    }
}
