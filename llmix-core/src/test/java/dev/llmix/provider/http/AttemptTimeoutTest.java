package dev.llmix.provider.http;

import static dev.llmix.provider.http.AdapterTestSupport.json;
import static dev.llmix.provider.http.AdapterTestSupport.options;
import static dev.llmix.testsupport.SseResponses.data;
import static dev.llmix.testsupport.SseResponses.sse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmix.config.LlmConfig;
import dev.llmix.config.TimeoutConfig;
import dev.llmix.keys.KeyPool;
import dev.llmix.pipeline.CallFailure;
import dev.llmix.pipeline.CallFailureType;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.pipeline.PipelineConfig;
import dev.llmix.providers.ProviderAdapters;
import dev.llmix.spi.CallInput;
import dev.llmix.testsupport.RecordingChunkSubscriber;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-attempt timeout and the whole-call deadline are separate (docs/pipeline.md, "Timeouts"): a hung attempt is
 * cancelled and retried while the preset's {@code timeout.totalTime} still bounds the whole call.
 */
class AttemptTimeoutTest {

    private static final String OK = "{\"choices\":[{\"message\":{\"content\":\"answered\"}}]}";
    /** The preset's whole-call deadline, seconds. */
    private static final int DEADLINE_S = 20;

    @TempDir
    Path stateDir;

    private final MockWebServer server = new MockWebServer();

    @BeforeEach
    void start() throws Exception {
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private PipelineConfig.Builder pipelineOptions() {
        return PipelineConfig.builder().maxRetries(1).retryBaseMs(1).retryMaxDelayMs(1).retryJitterMs(0)
                .jitterRandom(() -> 0).stateDir(stateDir).env(name -> null)
                .attemptTimeout(Duration.ofSeconds(2));
    }

    private CallPipeline pipeline(PipelineConfig config) {
        CallPipeline p = new CallPipeline(config, ProviderAdapters.routing(options().build()));
        p.setKeyPool("openai", new KeyPool(java.util.List.of("test-key")));
        return p;
    }

    private LlmConfig preset() {
        return LlmConfig.builder("openai", "gpt-4").baseUrl(AdapterTestSupport.base(server, "/v1"))
                .timeout(new TimeoutConfig(DEADLINE_S, null)).build();
    }

    @Test
    void aHungFirstAttemptIsRetriedAndAnsweredWithinTheDeadline() {
        server.enqueue(json(200, OK).newBuilder().headersDelay(DEADLINE_S * 3L, TimeUnit.SECONDS).build());
        server.enqueue(json(200, OK));
        long start = System.nanoTime();
        try (CallPipeline p = pipeline(pipelineOptions().build())) {
            CallResponse r = p.call(CallInput.of(preset(), AdapterTestSupport.HELLO));

            assertThat(r.success()).as(String.valueOf(r.error())).isTrue();
            assertThat(r.content()).isEqualTo("answered");
        }
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(DEADLINE_S));
    }

    @Test
    void everyAttemptHungIsARetryableTimeoutNamingTheAttemptTimeout() {
        server.enqueue(json(200, OK).newBuilder().headersDelay(DEADLINE_S * 3L, TimeUnit.SECONDS).build());
        server.enqueue(json(200, OK).newBuilder().headersDelay(DEADLINE_S * 3L, TimeUnit.SECONDS).build());
        try (CallPipeline p = pipeline(pipelineOptions().build())) {
            CallResponse r = p.call(CallInput.of(preset(), AdapterTestSupport.HELLO));

            assertThat(r.success()).isFalse();
            assertThat(r.error()).isEqualTo("LLM call timed out after 2 s (attempt timeout)");
            CallFailure f = r.failure().orElseThrow();
            assertThat(f.type()).isEqualTo(CallFailureType.TIMEOUT);
            assertThat(f.retryable()).isTrue();
        }
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void aDeadlineShorterThanTheAttemptTimeoutStillEndsTheCall() {
        server.enqueue(json(200, OK).newBuilder().headersDelay(DEADLINE_S * 3L, TimeUnit.SECONDS).build());
        LlmConfig preset = preset().toBuilder().timeout(new TimeoutConfig(0.3, null)).build();
        try (CallPipeline p = pipeline(pipelineOptions().attemptTimeout(Duration.ofSeconds(DEADLINE_S)).build())) {
            CallResponse r = p.call(CallInput.of(preset, AdapterTestSupport.HELLO));

            // The deadline and the adapter's request timeout (both totalTime) race; either way it is a timeout.
            assertThat(r.error()).containsAnyOf("LLM call timed out after 0.3 s (timeout.totalTime)",
                    "request timed out after 300 ms");
            assertThat(r.failure().orElseThrow().type()).isEqualTo(CallFailureType.TIMEOUT);
        }
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aStreamWhoseFirstAttemptSendsNothingIsRetriedBeforeCommit() throws Exception {
        server.enqueue(json(200, OK).newBuilder().headersDelay(DEADLINE_S * 3L, TimeUnit.SECONDS).build());
        server.enqueue(sse(data("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"streamed\"}}]}"),
                data("[DONE]")));
        try (CallPipeline p = pipeline(pipelineOptions().build())) {
            RecordingChunkSubscriber s = new RecordingChunkSubscriber();
            p.stream(CallInput.of(preset(), AdapterTestSupport.HELLO)).subscribe(s);

            CallResponse done = s.awaitDone();
            assertThat(done.success()).as(String.valueOf(done.error())).isTrue();
            assertThat(done.content()).isEqualTo("streamed");
        }
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void theCallTimeoutVariableIsTheDefaultDeadline() {
        Map<String, String> env = Map.of(PipelineConfig.CALL_TIMEOUT_ENV, "2500");
        PipelineConfig fromEnv = PipelineConfig.builder().stateDir(stateDir).env(env::get).build();
        PipelineConfig explicit = PipelineConfig.builder().stateDir(stateDir).env(env::get)
                .defaultCallTimeout(Duration.ofSeconds(7)).build();
        PipelineConfig neither = PipelineConfig.builder().stateDir(stateDir).env(name -> null).build();

        assertThat(fromEnv.defaultCallTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(explicit.defaultCallTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(neither.defaultCallTimeout()).isEqualTo(PipelineConfig.DEFAULT_CALL_TIMEOUT);
        assertThat(neither.attemptTimeout()).isNull();
    }

    @Test
    void aMalformedCallTimeoutVariableIsAConfigurationError() {
        Map<String, String> env = Map.of(PipelineConfig.CALL_TIMEOUT_ENV, "2s");
        assertThatThrownBy(() -> PipelineConfig.builder().stateDir(stateDir).env(env::get).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("LLMIX_CALL_TIMEOUT_MS must be a positive whole number of milliseconds, got '2s'");
    }
}
