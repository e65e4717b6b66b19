package dev.llmix.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.client.LlmixClient;
import dev.llmix.client.PresetResolver;
import dev.llmix.config.CachingStrategy;
import dev.llmix.config.LlmConfig;
import dev.llmix.config.mda.MdaPresetLoader;
import dev.llmix.config.registry.ConfigRegistryManager;
import dev.llmix.spi.DispatchFunction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class LlmixPresetSourceTest {

    private static final DispatchFunction NEVER = ctx -> new CompletableFuture<>();

    @TempDir
    Path tmp;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LlmixProviderAdapterAutoConfiguration.class,
                        LlmixAutoConfiguration.class))
                .withBean(DispatchFunction.class, () -> NEVER)
                .withPropertyValues("llmix.kill-switch.state-dir=" + tmp.resolve("state"));
    }

    @Test
    void registryModeServesThePublishedRevision() throws Exception {
        Path root = TestRegistry.publish(tmp.resolve("llm"),
                TestRegistry.onePreset("chat/reply", "anthropic", "claude-test", "redis-or-memory"));
        runner().withPropertyValues("llmix.config.root=" + root).run(context -> {
            assertThat(context).hasSingleBean(ConfigRegistryManager.class).doesNotHaveBean(MdaPresetLoader.class);
            assertThat(context.getBean(ConfigRegistryManager.class).activeRevision()).isEqualTo(TestRegistry.REVISION);
            LlmConfig preset = context.getBean(LlmixClient.class).preset("chat", "reply");
            assertThat(preset.provider()).isEqualTo("anthropic");
            assertThat(preset.model()).isEqualTo("claude-test");
            assertThat(preset.cachingStrategy()).isEqualTo(CachingStrategy.REDIS_OR_MEMORY);
        });
    }

    @Test
    void rootFallsBackToLlmixConfigDirFromTheEnvironment() throws Exception {
        Path root = TestRegistry.publish(tmp.resolve("from-env"),
                TestRegistry.onePreset("chat/reply", "openai", "gpt-env", "memory"));
        runner().withPropertyValues("LLMIX_CONFIG_DIR=" + root).run(context -> {
            assertThat(context.getBean(ConfigRegistryManager.class).root()).isEqualTo(root.toRealPath());
            assertThat(context.getBean(PresetResolver.class).resolve("chat", "reply").model()).isEqualTo("gpt-env");
        });
    }

    @Test
    void missingRegistryDirectoryFailsWithThePathAndWhatToDo() {
        Path missing = tmp.resolve("nowhere");
        runner().withPropertyValues("llmix.config.root=" + missing).run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains(missing.toString()).contains("does not exist")
                    .contains("llmix.config.mode=registry");
            assertThat(analysis.getAction()).contains("llmix.config.root").contains("llmix.config.mode=source");
        });
    }

    @Test
    void registryWithoutPointerFailsNamingTheRegistryError() throws Exception {
        Files.createDirectories(tmp.resolve("empty"));
        runner().withPropertyValues("llmix.config.root=" + tmp.resolve("empty")).run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains(tmp.resolve("empty").toString()).contains("current.json");
        });
    }

    @Test
    void sourceModeLoadsMdaFilesUnderSource() throws Exception {
        Path root = TestRegistry.writeSource(tmp.resolve("llm"), "chat/reply",
                TestRegistry.source("chat-reply", "openai", "gpt-source", "memory"));
        runner().withPropertyValues("llmix.config.root=" + root, "llmix.config.mode=source").run(context -> {
            assertThat(context).hasSingleBean(MdaPresetLoader.class).doesNotHaveBean(ConfigRegistryManager.class);
            LlmConfig preset = context.getBean(LlmixClient.class).preset("chat", "reply");
            assertThat(preset.model()).isEqualTo("gpt-source");
            assertThat(preset.cachingStrategy()).isEqualTo(CachingStrategy.MEMORY);
        });
    }

    @Test
    void sourceModeWithoutSourceDirectoryFails() throws Exception {
        Files.createDirectories(tmp.resolve("llm"));
        runner().withPropertyValues("llmix.config.root=" + tmp.resolve("llm"), "llmix.config.mode=source")
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains(tmp.resolve("llm").resolve("source").toString());
                    assertThat(analysis.getAction()).contains("<module>/<preset>.mda");
                });
    }

    @Test
    void userPresetResolverWinsAndNoRegistryIsOpened() {
        PresetResolver mine = (m, p) -> LlmConfig.builder("openai", "mine").build();
        runner().withBean(PresetResolver.class, () -> mine)
                .withPropertyValues("llmix.config.root=" + tmp.resolve("nowhere"))
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(ConfigRegistryManager.class);
                    assertThat(context.getBean(LlmixClient.class).preset("a", "b").model()).isEqualTo("mine");
                });
    }

    @Test
    void userRegistryManagerBacksThePresetResolver() throws Exception {
        Path root = TestRegistry.publish(tmp.resolve("mine"),
                TestRegistry.onePreset("chat/reply", "openai", "gpt-mine", "memory"));
        ConfigRegistryManager mine = ConfigRegistryManager.open(root);
        runner().withBean(ConfigRegistryManager.class, () -> mine).run(context -> {
            assertThat(context.getBean(ConfigRegistryManager.class)).isSameAs(mine);
            assertThat(context.getBean(PresetResolver.class).resolve("chat", "reply").model()).isEqualTo("gpt-mine");
        });
    }
}
