package dev.llmix.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmix.config.ConfigNotFoundException;
import dev.llmix.config.mda.MdaLoadOptions;
import dev.llmix.config.mda.MdaPresetLoader;
import dev.llmix.pipeline.CallFailureType;
import dev.llmix.spi.CallInput;
import dev.llmix.pipeline.CallResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An unknown preset is a programming error: a typed {@link PresetNotFoundException}, not a failed response. */
class PresetNotFoundTest {

    @TempDir
    Path presets;

    private final LlmixClient.PipelineCalls unused = new LlmixClient.PipelineCalls() {
            @Override
            public java.util.concurrent.Flow.Publisher<dev.llmix.pipeline.CallChunk> stream(CallInput input) {
                throw new AssertionError("this test does not stream");
            }

        @Override
        public CallResponse call(CallInput input) {
            throw new AssertionError("an unknown preset must not reach the pipeline");
        }

        @Override
        public CompletableFuture<CallResponse> callAsync(CallInput input) {
            throw new AssertionError("an unknown preset must not reach the pipeline");
        }
    };

    private LlmixClient client() {
        MdaPresetLoader loader = MdaPresetLoader.create(presets, MdaLoadOptions.DEFAULTS);
        return new LlmixClient(unused, loader::loadConfigPreset);
    }

    @Test
    void anUnknownPresetThrowsPresetNotFoundNamingModuleAndPreset() {
        assertThatThrownBy(() -> client().call("chat", "nope", List.of(Message.user("hi"))))
                .isInstanceOf(PresetNotFoundException.class)
                .isInstanceOf(ConfigNotFoundException.class)
                .hasMessageStartingWith("Unknown preset chat/nope")
                .satisfies(e -> {
                    assertThat(((PresetNotFoundException) e).module()).isEqualTo("chat");
                    assertThat(((PresetNotFoundException) e).preset()).isEqualTo("nope");
                });
    }

    @Test
    void anUnknownPresetFailsTheAsyncFutureWithPresetNotFound() {
        assertThat(client().callAsync("chat", "nope", List.of(Message.user("hi"))))
                .failsWithin(java.time.Duration.ofSeconds(5))
                .withThrowableThat().withCauseInstanceOf(PresetNotFoundException.class);
    }

    @Test
    void callsAfterShutdownCarryTheShutDownType() {
        LlmixClient client = new LlmixClient(unused, (m, p) -> dev.llmix.config.LlmConfig.builder("openai", "m")
                .build());
        client.shutdown();
        CallResponse r = client.call("chat", "reply", List.of(Message.user("hi")));
        assertThat(r.failure()).map(f -> f.type()).contains(CallFailureType.SHUT_DOWN);
        assertThat(r.error()).isEqualTo(LlmixClient.SHUT_DOWN_ERROR);
    }
}
