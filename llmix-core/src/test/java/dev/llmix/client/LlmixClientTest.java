package dev.llmix.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmix.config.CachingStrategy;
import dev.llmix.config.CommonParams;
import dev.llmix.config.LlmConfig;
import dev.llmix.spi.CallInput;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.spi.LlmUsage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LlmixClientTest {

    private static final LlmConfig PRESET = LlmConfig.builder("openai", "gpt-4o-mini")
            .common(CommonParams.builder().temperature(0.2).maxOutputTokens(100).build())
            .providerOptions(Map.of("openai", Map.of("reasoningEffort", "low"), "google", Map.of("x", 1)))
            .caching(CachingStrategy.MEMORY)
            .build();

    private final List<CallInput> seen = new CopyOnWriteArrayList<>();

    private final LlmixClient.PipelineCalls echo = new LlmixClient.PipelineCalls() {
            @Override
            public java.util.concurrent.Flow.Publisher<dev.llmix.pipeline.CallChunk> stream(CallInput input) {
                throw new AssertionError("this test does not stream");
            }

        @Override
        public CallResponse call(CallInput input) {
            seen.add(input);
            return ok(input);
        }

        @Override
        public CompletableFuture<CallResponse> callAsync(CallInput input) {
            return CompletableFuture.completedFuture(call(input));
        }
    };

    private final LlmixClient client = new LlmixClient(echo, (module, preset) -> {
        if (module.equals("chat") && preset.equals("reply")) {
            return PRESET;
        }
        throw new IllegalArgumentException("unknown preset " + module + "/" + preset);
    });

    private static CallResponse ok(CallInput input) {
        return new CallResponse("hi", input.config().model(), input.config().provider(), LlmUsage.ZERO, true, null,
                null, null, null);
    }

    @Test
    void callsPresetResolvedByModuleAndName() {
        CallResponse response = client.call("chat", "reply", List.of(Message.user("hello")));

        assertThat(response.success()).isTrue();
        assertThat(seen).singleElement().satisfies(in -> assertThat(in.config()).isEqualTo(PRESET));
    }

    @Test
    @SuppressWarnings("unchecked")
    void messagesBecomePlainRoleContentMaps() {
        client.call(PRESET, List.of(Message.system("be brief"), Message.user("hi"), Message.assistant("hello"),
                Map.of("role", "user", "content", "raw")));

        assertThat((List<Object>) seen.get(0).messages()).containsExactly(
                Map.of("role", "system", "content", "be brief"),
                Map.of("role", "user", "content", "hi"),
                Map.of("role", "assistant", "content", "hello"),
                Map.of("role", "user", "content", "raw"));
        assertThat(((Map<?, ?>) seen.get(0).messages().get(0)).keySet().toString()).isEqualTo("[role, content]");
    }

    @Test
    void optionsOverrideModelCommonParamsAndOneProvidersOptions() {
        CallOptions options = CallOptions.builder()
                .model("gpt-4o")
                .temperature(0.9)
                .seed(7)
                .providerOptions(Map.of("openai", Map.of("reasoningEffort", "high")))
                .singleflightKey("k1")
                .build();

        client.call("chat", "reply", List.of(Message.user("hi")), options);

        CallInput in = seen.get(0);
        assertThat(in.config().model()).isEqualTo("gpt-4o");
        assertThat(in.config().common().temperature()).isEqualTo(0.9);
        assertThat(in.config().common().maxOutputTokens()).isEqualTo(100);
        assertThat(in.config().common().seed()).isEqualTo(7);
        assertThat(in.config().providerOptions()).containsEntry("openai", Map.of("reasoningEffort", "high"))
                .containsEntry("google", Map.of("x", 1));
        assertThat(in.singleflightKey()).isEqualTo("k1");
    }

    @Test
    void cachingOverrideBypassesThePresetsStrategy() {
        client.call(PRESET, List.of(Message.user("hi")), CallOptions.builder().caching(CachingStrategy.DISABLED).build());

        assertThat(seen.get(0).config().cachingStrategy()).isEqualTo(CachingStrategy.DISABLED);
    }

    @Test
    void emptyOptionsReturnThePresetItself() {
        assertThat(CallOptions.none().applyTo(PRESET)).isSameAs(PRESET);
    }

    @Test
    void unknownPresetThrowsFromCallAndFailsTheFutureFromCallAsync() {
        assertThatThrownBy(() -> client.call("chat", "nope", List.of())).hasMessageContaining("chat/nope");
        assertThat(client.callAsync("chat", "nope", List.of())).isCompletedExceptionally();
        assertThat(seen).isEmpty();
    }

    @Test
    void asyncCallCompletesWithThePipelinesResponse() {
        assertThat(client.callAsync("chat", "reply", List.of(Message.user("hi"))).join().content()).isEqualTo("hi");
        assertThat(client.inFlight()).isZero();
    }

    @Test
    void callsAfterShutdownFailWithoutReachingThePipeline() {
        client.shutdown();

        CallResponse sync = client.call("chat", "reply", List.of(Message.user("hi")));
        CallResponse async = client.callAsync(PRESET, List.of(Message.user("hi"))).join();

        assertThat(sync.success()).isFalse();
        assertThat(sync.error()).isEqualTo(LlmixClient.SHUT_DOWN_ERROR);
        assertThat(async.error()).isEqualTo(LlmixClient.SHUT_DOWN_ERROR);
        assertThat(seen).isEmpty();
        assertThat(client.isShutdown()).isTrue();
    }

    @Test
    void awaitInFlightWaitsForRunningCallsAfterShutdown() throws Exception {
        CountDownLatch started = new CountDownLatch(64);
        CountDownLatch release = new CountDownLatch(1);
        LlmixClient blocking = new LlmixClient(new LlmixClient.PipelineCalls() {
            @Override
            public java.util.concurrent.Flow.Publisher<dev.llmix.pipeline.CallChunk> stream(CallInput input) {
                throw new AssertionError("this test does not stream");
            }

            @Override
            public CallResponse call(CallInput input) {
                started.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return ok(input);
            }

            @Override
            public CompletableFuture<CallResponse> callAsync(CallInput input) {
                throw new AssertionError("this test never calls this method");
            }
        }, (m, p) -> PRESET);
        ExecutorService pool = Executors.newFixedThreadPool(64);
        try {
            List<Future<CallResponse>> calls = new CopyOnWriteArrayList<>();
            for (int i = 0; i < 64; i++) {
                calls.add(pool.submit(() -> blocking.call(PRESET, List.of(Message.user("hi")))));
            }
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            blocking.shutdown();

            assertThat(blocking.awaitInFlight(Duration.ofMillis(50))).isFalse();
            assertThat(blocking.inFlight()).isEqualTo(64);
            assertThat(blocking.call(PRESET, List.of()).error()).isEqualTo(LlmixClient.SHUT_DOWN_ERROR);

            release.countDown();
            assertThat(blocking.awaitInFlight(Duration.ofSeconds(10))).isTrue();
            for (Future<CallResponse> f : calls) {
                assertThat(f.get().success()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void asyncCallsCountAsInFlightUntilTheirFutureCompletes() throws Exception {
        CompletableFuture<CallResponse> pending = new CompletableFuture<>();
        LlmixClient async = new LlmixClient(new LlmixClient.PipelineCalls() {
            @Override
            public java.util.concurrent.Flow.Publisher<dev.llmix.pipeline.CallChunk> stream(CallInput input) {
                throw new AssertionError("this test does not stream");
            }

            @Override
            public CallResponse call(CallInput input) {
                throw new AssertionError("this test never calls this method");
            }

            @Override
            public CompletableFuture<CallResponse> callAsync(CallInput input) {
                return pending;
            }
        }, (m, p) -> PRESET);

        CompletableFuture<CallResponse> f = async.callAsync(PRESET, List.of(Message.user("hi")));
        async.shutdown();
        assertThat(async.inFlight()).isEqualTo(1);

        pending.complete(CallResponse.failure(PRESET, "x"));
        assertThat(async.awaitInFlight(Duration.ofSeconds(1))).isTrue();
        assertThat(f.join().error()).isEqualTo("x");
    }
}
