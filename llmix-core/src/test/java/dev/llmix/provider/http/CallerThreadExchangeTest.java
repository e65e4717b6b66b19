package dev.llmix.provider.http;

import static dev.llmix.provider.http.AdapterTestSupport.json;
import static dev.llmix.provider.http.AdapterTestSupport.options;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.config.LlmConfig;
import dev.llmix.config.TimeoutConfig;
import dev.llmix.keys.KeyPool;
import dev.llmix.pipeline.CallFailureType;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.pipeline.PipelineConfig;
import dev.llmix.providers.ProviderAdapters;
import dev.llmix.spi.CallInput;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A blocking {@code CallPipeline.call} runs its first attempt's exchange on the calling thread
 * (docs/performance.md, "Spring AI bridge"): no thread per exchange, the same bounds and texts as the timer of an
 * asynchronous attempt, an interrupt aborting only that exchange.
 */
class CallerThreadExchangeTest {

    private static final String OK = "{\"choices\":[{\"message\":{\"content\":\"answered\"}}]}";

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

    private CallPipeline pipeline() {
        CallPipeline p = new CallPipeline(PipelineConfig.builder().maxRetries(0).stateDir(stateDir)
                .env(name -> null).build(), ProviderAdapters.routing(options().build()));
        p.setKeyPool("openai", new KeyPool(List.of("test-key")));
        return p;
    }

    private LlmConfig preset(double totalTimeSeconds) {
        return LlmConfig.builder("openai", "gpt-4").baseUrl(AdapterTestSupport.base(server, "/v1"))
                .timeout(new TimeoutConfig(totalTimeSeconds, null)).build();
    }

    @Test
    void blockingCallsStartNoThreadPerExchange() {
        int calls = 200;
        for (int i = 0; i < calls + 20; i++) {
            server.enqueue(json(200, OK));
        }
        try (CallPipeline p = pipeline()) {
            CallInput input = CallInput.of(preset(30), AdapterTestSupport.HELLO);
            for (int i = 0; i < 20; i++) {
                assertThat(p.call(input).success()).isTrue();
            }
            long before = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount();
            for (int i = 0; i < calls; i++) {
                assertThat(p.call(input).success()).isTrue();
            }
            long started = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount() - before;

            // Through the JDK client's asynchronous completion, a machine with 2 CPUs starts one thread per call.
            assertThat(started).isLessThan(calls / 4);
        }
    }

    @Test
    void aBodyThatStallsOnTheCallingThreadEndsWithTheDeadlineText() {
        server.enqueue(json(200, OK).newBuilder().bodyDelay(60, TimeUnit.SECONDS).build());
        try (CallPipeline p = pipeline()) {
            CallResponse r = p.call(CallInput.of(preset(0.5), AdapterTestSupport.HELLO));

            assertThat(r.success()).isFalse();
            assertThat(r.error()).containsAnyOf("LLM call timed out after 0.5 s (timeout.totalTime)",
                    "request timed out after 500 ms");
            assertThat(r.failure().orElseThrow().type()).isEqualTo(CallFailureType.TIMEOUT);
        }
    }

    @Test
    void anInterruptAbortsTheExchangeOnTheCallingThreadAndKeepsTheFlag() throws Exception {
        server.enqueue(json(200, OK).newBuilder().headersDelay(60, TimeUnit.SECONDS).build());
        AtomicBoolean flagKept = new AtomicBoolean();
        try (CallPipeline p = pipeline()) {
            CompletableFuture<CallResponse> result = new CompletableFuture<>();
            Thread caller = new Thread(() -> {
                result.complete(p.call(CallInput.of(preset(30), AdapterTestSupport.HELLO)));
                flagKept.set(Thread.currentThread().isInterrupted());
            });
            caller.start();
            assertThat(server.takeRequest(10, TimeUnit.SECONDS)).isNotNull();
            caller.interrupt();
            CallResponse r = result.get(10, TimeUnit.SECONDS);
            caller.join(10_000);

            assertThat(r.success()).isFalse();
            assertThat(r.error()).isEqualTo("Interrupted while waiting for the LLM call to complete");
            assertThat(flagKept).isTrue();
        }
    }
}
