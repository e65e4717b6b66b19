package dev.llmix.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmix.config.LlmConfig;
import dev.llmix.pipeline.CallChunk;
import dev.llmix.spi.CallInput;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.pipeline.CallStreams;
import dev.llmix.spi.LlmUsage;
import dev.llmix.testsupport.RecordingChunkSubscriber;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

/** {@link LlmixClient#stream}: preset resolution at invocation, in-flight counting, and shutdown. */
class LlmixClientStreamTest {

    private static final LlmConfig PRESET = LlmConfig.builder("openai", "gpt-4").build();
    private static final List<Map<String, String>> HI = List.of(Map.of("role", "user", "content", "hi"));

    /** Streams one content chunk and done, or (for "hold") one chunk and then nothing until cancelled. */
    private final LlmixClient.PipelineCalls pipeline = new LlmixClient.PipelineCalls() {
        @Override
        public CallResponse call(CallInput input) {
            throw new AssertionError("unused");
        }

        @Override
        public CompletableFuture<CallResponse> callAsync(CallInput input) {
            throw new AssertionError("unused");
        }

        @Override
        public Flow.Publisher<CallChunk> stream(CallInput input) {
            CallResponse done = new CallResponse("hi", "gpt-4", "openai", LlmUsage.ZERO, true, null, null, null,
                    null);
            return CallStreams.of(CallChunk.text("hi", ""), CallChunk.done(done));
        }
    };

    private final LlmixClient client = new LlmixClient(pipeline, (module, preset) -> {
        if (module.equals("chat") && preset.equals("reply")) {
            return PRESET;
        }
        throw new IllegalArgumentException("unknown preset " + module + "/" + preset);
    });

    @Test
    void anUnknownPresetThrowsAtInvocation() {
        assertThatThrownBy(() -> client.stream("chat", "nope", HI)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aStreamCountsInFlightUntilItsDoneChunk() throws Exception {
        RecordingChunkSubscriber s = new RecordingChunkSubscriber(1);
        client.stream("chat", "reply", HI).subscribe(s);
        assertThat(s.chunks()).hasSize(1);
        assertThat(client.inFlight()).isEqualTo(1);
        s.request(1);
        assertThat(s.awaitDone().content()).isEqualTo("hi");
        assertThat(client.inFlight()).isZero();
    }

    @Test
    void aCancelEndsTheInFlightCount() {
        RecordingChunkSubscriber s = new RecordingChunkSubscriber(1);
        client.stream("chat", "reply", HI).subscribe(s);
        assertThat(client.inFlight()).isEqualTo(1);
        s.cancel();
        assertThat(client.inFlight()).isZero();
    }

    @Test
    void afterShutdownAStreamGetsOneFailedDone() throws Exception {
        client.shutdown();
        RecordingChunkSubscriber s = new RecordingChunkSubscriber();
        client.stream("chat", "reply", HI).subscribe(s);
        CallResponse done = s.awaitDone();
        assertThat(s.chunks()).hasSize(1);
        assertThat(done.error()).isEqualTo(LlmixClient.SHUT_DOWN_ERROR);
        assertThat(client.inFlight()).isZero();
    }
}
