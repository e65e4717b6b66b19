package dev.llmix.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.pipeline.DispatchFunction;
import dev.llmix.resilience.KillSwitch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class LlmixAutoConfigurationTests {

    private static final DispatchFunction NEVER = ctx -> new CompletableFuture<>();

    @TempDir
    Path stateDir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LlmixAutoConfiguration.class));

    private ApplicationContextRunner withDispatch() {
        return runner.withBean(DispatchFunction.class, () -> NEVER)
                .withPropertyValues("llmix.kill-switch.state-dir=" + stateDir);
    }

    @Test
    void defaultsBindToTheDocumentedValues() {
        withDispatch().run(context -> {
            LlmixProperties p = context.getBean(LlmixProperties.class);
            assertThat(p.getPipeline().getMaxRetries()).isEqualTo(3);
            assertThat(p.getPipeline().getBreaker().getCooldown()).isEqualTo(Duration.ofSeconds(30));
            assertThat(p.getPipeline().getLimiter().getInitial()).isEqualTo(32);
            assertThat(p.getCache().getKeyPrefix()).isEqualTo("llmix:resp:");
            assertThat(p.getConfig().getRoot()).isEqualTo("config/llm");
            assertThat(p.getConfig().getMode()).isEqualTo(PresetSourceMode.REGISTRY);
        });
    }

    @Test
    void killSwitchLivesInTheConfiguredStateDir() {
        withDispatch().run(context -> assertThat(context.getBean(KillSwitch.class).path())
                .isEqualTo(stateDir.resolve("killswitch")));
    }

    @Test
    void killSwitchStateDirFallsBackToLlmixStateDirFromTheEnvironment() {
        runner.withBean(DispatchFunction.class, () -> NEVER)
                .withPropertyValues("LLMIX_STATE_DIR=" + stateDir.resolve("env"))
                .run(context -> assertThat(context.getBean(KillSwitch.class).path())
                        .isEqualTo(stateDir.resolve("env").resolve("killswitch")));
    }

    @Test
    void userKillSwitchWins() {
        KillSwitch mine = new KillSwitch(stateDir.resolve("mine"));
        withDispatch().withBean(KillSwitch.class, () -> mine)
                .run(context -> assertThat(context.getBean(KillSwitch.class)).isSameAs(mine));
    }

    @Test
    void userDispatchFunctionWins() {
        withDispatch().run(context -> assertThat(context.getBean(DispatchFunction.class)).isSameAs(NEVER));
    }

    @Test
    void noAdapterAndNoDispatchFunctionFailsWithAnExplanation() {
        runner.withPropertyValues("llmix.kill-switch.state-dir=" + stateDir).run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("no provider adapter is enabled");
            assertThat(analysis.getAction()).contains("llmix.provider.openai.enabled=true")
                    .contains("openai, anthropic, gemini, sno-gpu").contains("DispatchFunction");
        });
    }

    @ParameterizedTest
    @CsvSource({
            "llmix.pipeline.max-retries, -1",
            "llmix.pipeline.max-retries, three",
            "llmix.pipeline.retry-base-delay, -5ms",
            "llmix.pipeline.breaker.failure-threshold, 0",
            "llmix.pipeline.breaker.cooldown, soon",
            "llmix.pipeline.breaker.half-open-probes, 0",
            "llmix.pipeline.limiter.initial, 0",
            "llmix.pipeline.limiter.min, 0",
            "llmix.cache.ttl, 0s",
            "llmix.cache.max-items, 0",
            "llmix.cache.strategy, sometimes",
            "llmix.config.mode, database",
            "llmix.config.refresh-interval, -1s",
            "llmix.provider.openai.connect-timeout, 0s",
            "llmix.provider.openai.enabled, maybe",
    })
    void invalidPropertyValueFailsBindingNamingTheProperty(String property, String value) {
        withDispatch().withPropertyValues(property + "=" + value).run(context -> {
            assertThat(context).hasFailed();
            BindException failure = FailureAnalyses.bindFailure(context.getStartupFailure());
            assertThat(failure.getProperty()).isNotNull();
            assertThat(failure.getProperty().getName().toString()).isEqualTo(property);
        });
    }

    @Test
    void propertiesToStringMasksApiKeys() {
        withDispatch().withPropertyValues("llmix.keys.openai=sk-proj-abcdefghijklmnop1234,sk-proj-zyxwvutsrqpo9876")
                .run(context -> {
                    LlmixProperties p = context.getBean(LlmixProperties.class);
                    assertThat(p.getKeys().get("openai")).hasSize(2);
                    assertThat(p.toString()).doesNotContain("abcdefghijklmnop").doesNotContain("zyxwvutsrqpo")
                            .contains("sk-…1234").contains("sk-…9876");
                });
    }
}
