package dev.llmix.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.client.PresetResolver;
import dev.llmix.config.LlmConfig;
import dev.llmix.pipeline.PipelineConfig;
import dev.llmix.spi.DispatchFunction;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code llmix.pipeline.executor-threads}: the size of the pipeline's owned executor (docs/configuration.md). */
class ExecutorThreadsAutoConfigurationTests {

    private static final DispatchFunction NEVER = ctx -> new CompletableFuture<>();

    @TempDir
    Path stateDir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LlmixProviderAdapterAutoConfiguration.class,
                        LlmixAutoConfiguration.class))
                .withBean(PresetResolver.class, () -> (module, preset) -> LlmConfig.builder("openai", "m").build())
                .withBean(DispatchFunction.class, () -> NEVER)
                .withPropertyValues("llmix.kill-switch.state-dir=" + stateDir);
    }

    @Test
    void executorThreadsDefaultToMaxOfFourAndTwiceTheCoresAndBind() {
        runner().run(context -> assertThat(context.getBean(PipelineConfig.class).executorThreads())
                .isEqualTo(PipelineConfig.defaultExecutorThreads()));
        runner().withPropertyValues("llmix.pipeline.executor-threads=6").run(context ->
                assertThat(context.getBean(PipelineConfig.class).executorThreads()).isEqualTo(6));
    }

    @Test
    void zeroExecutorThreadsFailsTheStartNamingTheProperty() {
        runner().withPropertyValues("llmix.pipeline.executor-threads=0").run(context ->
                assertThat(context).hasFailed().getFailure().hasStackTraceContaining("pipeline.executor-threads"));
    }
}
