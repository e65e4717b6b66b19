package dev.llmix.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.client.PresetResolver;
import dev.llmix.config.LlmConfig;
import dev.llmix.spi.DispatchFunction;
import dev.llmix.pipeline.PipelineConfig;
import dev.llmix.spi.ProviderStreams;
import dev.llmix.spi.StreamingDispatchFunction;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The starter's streaming settings: the buffer property and a streaming dispatch bean (docs/configuration.md). */
class StreamingAutoConfigurationTests {

    private static final DispatchFunction NEVER = ctx -> new CompletableFuture<>();
    private static final StreamingDispatchFunction STREAMS = ctx -> ProviderStreams.of();

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
    void streamBufferChunksDefaultsTo256AndBinds() {
        runner().run(context -> {
            assertThat(context.getBean(PipelineConfig.class).streamBufferChunks()).isEqualTo(256);
            assertThat(context.getBean(PipelineConfig.class).streamingDispatch()).isNull();
        });
        runner().withPropertyValues("llmix.pipeline.stream-buffer-chunks=8").run(context ->
                assertThat(context.getBean(PipelineConfig.class).streamBufferChunks()).isEqualTo(8));
    }

    @Test
    void aStreamingDispatchBeanBecomesThePipelinesStreamingDispatch() {
        runner().withBean(StreamingDispatchFunction.class, () -> STREAMS).run(context ->
                assertThat(context.getBean(PipelineConfig.class).streamingDispatch()).isSameAs(STREAMS));
    }

    @Test
    void aBufferBelowOneFailsTheStart() {
        runner().withPropertyValues("llmix.pipeline.stream-buffer-chunks=0").run(context ->
                assertThat(context).hasFailed());
    }
}
