package dev.llmix.provider.http;

import dev.llmix.providers.ProviderAdapters;
import static dev.llmix.provider.http.AdapterTestSupport.HELLO;
import static dev.llmix.provider.http.AdapterTestSupport.base;
import static dev.llmix.provider.http.AdapterTestSupport.json;
import static dev.llmix.provider.http.AdapterTestSupport.options;
import static dev.llmix.provider.http.AdapterTestSupport.take;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.config.LlmConfig;
import dev.llmix.keys.KeyPool;
import dev.llmix.spi.CallInput;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.pipeline.PipelineConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The adapters inside {@link CallPipeline} against a loopback server: {@code Retry-After} is honoured, a 429 rotates
 * the key pool and halves the AIMD window, and {@code x-ratelimit-*} headers move the window by the formula of
 * resilience.md §9.2 (acceptance check 2 of provider-adapters.md §12).
 */
class AdapterPipelineEndToEndTest extends LoopbackServerTest {

    private static final String OK = "{\"choices\":[{\"message\":{\"content\":\"ok\"}}],"
            + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}}";

    @TempDir
    Path stateDir;

    private @Nullable CallPipeline pipeline;

    @AfterEach
    void closePipeline() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    private CallPipeline pipeline(int maxRetries) {
        PipelineConfig config = PipelineConfig.builder()
                .maxRetries(maxRetries).retryBaseMs(10).retryJitterMs(0)
                .stateDir(stateDir).env(name -> null)
                .build();
        pipeline = new CallPipeline(config, ProviderAdapters.routing(options().build()));
        return pipeline;
    }

    private LlmConfig openai() {
        return LlmConfig.builder("openai", "gpt-4o-mini").baseUrl(base(server, "/v1")).build();
    }

    @Test
    void rateLimitWithRetryAfterIsHonouredRotatesTheKeyAndHalvesTheWindow() {
        CallPipeline p = pipeline(1);
        p.setKeyPool("openai", new KeyPool(List.of("key-a", "key-b")));
        AtomicReference<Integer> windowAtRetry = new AtomicReference<>();
        Queue<MockResponse> replies = new ConcurrentLinkedQueue<>(List.of(
                json(429, "{\"error\":{\"message\":\"rate limited\"}}").newBuilder().addHeader("Retry-After", "1").build(),
                json(200, OK)));
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (server.getRequestCount() == 2) {
                    windowAtRetry.set(p.getSemaphoreWindow("openai"));
                }
                return replies.remove();
            }
        });

        long start = System.nanoTime();
        CallResponse response = p.call(CallInput.of(openai(), HELLO));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(response.success()).as("error: %s", response.error()).isTrue();
        assertThat(response.content()).isEqualTo("ok");
        assertThat(elapsedMs).isGreaterThanOrEqualTo(1000L);
        assertThat(take(server).getHeaders().get("authorization")).isEqualTo("Bearer key-a");
        assertThat(take(server).getHeaders().get("authorization")).isEqualTo("Bearer key-b");
        assertThat(windowAtRetry.get()).as("window after the 429").isEqualTo(16);
        assertThat(p.getSemaphoreWindow("openai")).as("16, then +1 for the header-less success").isEqualTo(17);
    }

    @Test
    void rateLimitHeadersMoveTheWindowByTheAimdFormula() {
        CallPipeline p = pipeline(0);
        p.setKeyPool("openai", new KeyPool(List.of("key-a")));
        server.enqueue(json(200, OK).newBuilder()
                .addHeader("x-ratelimit-remaining-requests", "5").addHeader("x-ratelimit-limit-requests", "100").build());
        server.enqueue(json(200, OK).newBuilder()
                .addHeader("X-RateLimit-Remaining-Requests", "90").addHeader("X-RateLimit-Limit-Requests", "100").build());
        server.enqueue(json(200, OK));

        assertThat(p.call(CallInput.of(openai(), HELLO)).success()).isTrue();
        // ratio 0.05 < 0.10: floor(4 + (0.05 / 0.1) * (32 - 4)) = 18
        assertThat(p.getSemaphoreWindow("openai")).isEqualTo(18);

        assertThat(p.call(CallInput.of(openai(), List.of(java.util.Map.of("role", "user", "content", "2")))).success())
                .isTrue();
        // ratio 0.90 >= 0.10: window + 1 (header names arrive mixed-case and are lower-cased by the adapter)
        assertThat(p.getSemaphoreWindow("openai")).isEqualTo(19);

        assertThat(p.call(CallInput.of(openai(), List.of(java.util.Map.of("role", "user", "content", "3")))).success())
                .isTrue();
        // once headers were seen, a header-less success no longer grows the window (the latch)
        assertThat(p.getSemaphoreWindow("openai")).isEqualTo(19);
    }

    @Test
    void connectionFailureIsRetriedAsANetworkErrorWithoutRotatingTheKey() {
        CallPipeline p = pipeline(1);
        p.setKeyPool("openai", new KeyPool(List.of("key-a", "key-b")));
        server.enqueue(new MockResponse.Builder()
                .onResponseStart(new mockwebserver3.SocketEffect.CloseSocket()).build());
        server.enqueue(json(200, OK));

        CallResponse response = p.call(CallInput.of(openai(), HELLO));

        assertThat(response.success()).as("error: %s", response.error()).isTrue();
        assertThat(take(server).getHeaders().get("authorization")).isEqualTo("Bearer key-a");
        assertThat(take(server).getHeaders().get("authorization")).isEqualTo("Bearer key-a");
        assertThat(p.getSemaphoreWindow("openai")).isEqualTo(32);
    }

    @Test
    void missingAdapterKeyIsALocalFailureThatIsNotRetried() {
        CallPipeline p = pipeline(2);
        p.setKeyPool("mistral", new KeyPool(List.of("key-a")));

        CallResponse response = p.call(CallInput.of(LlmConfig.builder("mistral", "m").build(), HELLO));

        assertThat(response.success()).isFalse();
        assertThat(response.error()).isEqualTo("No provider adapter for \"mistral\"");
        assertThat(server.getRequestCount()).isZero();
    }
}
