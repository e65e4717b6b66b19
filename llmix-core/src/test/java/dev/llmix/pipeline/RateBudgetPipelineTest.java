package dev.llmix.pipeline;

import dev.llmix.spi.ProviderException;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.budget.BudgetDimension;
import dev.llmix.budget.ProviderRateLimits;
import dev.llmix.budget.RateBudgetSnapshot;
import dev.llmix.budget.RateBudgets;
import dev.llmix.budget.RateLimits;
import dev.llmix.config.CommonParams;
import dev.llmix.config.LlmConfig;
import dev.llmix.config.TimeoutConfig;
import dev.llmix.keys.KeyPool;
import dev.llmix.provider.http.AdapterOptions;
import dev.llmix.providers.ProviderAdapters;
import dev.llmix.spi.CallInput;
import dev.llmix.spi.DispatchFunction;
import dev.llmix.spi.LlmUsage;
import dev.llmix.spi.ProviderStreamEvent;
import dev.llmix.testsupport.PipelineFixtures;
import dev.llmix.testsupport.RecordingChunkSubscriber;
import dev.llmix.testsupport.ScriptedDispatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rate budgets in the call path against a loopback OpenAI-compatible server reached through the real HTTP adapter:
 * pacing, correction from usage, local deadline failures, settling on retries, per-key budgets and streams
 * (docs/rate-limits.md).
 */
class RateBudgetPipelineTest {

    private static final List<Map<String, String>> HELLO = List.of(Map.of("role", "user", "content", "hello world"));

    @TempDir
    Path stateDir;

    private final MockWebServer server = new MockWebServer();
    /** Server-side arrival time (nanoTime) and bearer key of every request. */
    private final List<long[]> arrivals = new CopyOnWriteArrayList<>();
    private final List<String> keys = new CopyOnWriteArrayList<>();
    private volatile String body = "{\"choices\":[{\"message\":{\"content\":\"ok\"}}],"
            + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":8,\"total_tokens\":20}}";
    private final List<Integer> statuses = new CopyOnWriteArrayList<>();
    private DispatchFunction http;
    private CallPipeline pipeline;

    @BeforeEach
    void start() throws Exception {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                arrivals.add(new long[] {System.nanoTime()});
                String auth = request.getHeaders().get("Authorization");
                keys.add(auth == null ? "" : auth.substring("Bearer ".length()));
                int status = statuses.isEmpty() ? 200 : statuses.remove(0);
                return new MockResponse.Builder().code(status).setHeader("Content-Type", "application/json")
                        .body(status == 200 ? body : "{\"error\":{\"message\":\"busy\"}}").build();
            }
        });
        server.start();
        http = ProviderAdapters.routing(AdapterOptions.builder().env(name -> null).build());
    }

    @AfterEach
    void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
        server.close();
    }

    private CallPipeline pipeline(RateBudgets budgets, DispatchFunction dispatch, int maxRetries, int threshold) {
        return pipeline(PipelineFixtures.deterministic(stateDir), budgets, dispatch, maxRetries, threshold);
    }

    private CallPipeline pipeline(PipelineConfig.Builder base, RateBudgets budgets, DispatchFunction dispatch,
            int maxRetries, int threshold) {
        pipeline = new CallPipeline(base.maxRetries(maxRetries)
                .circuitBreakerThreshold(threshold).rateBudgets(budgets).build(), dispatch);
        pipeline.setKeyPool("openai", new KeyPool(List.of("sk-a")));
        return pipeline;
    }

    private LlmConfig preset(double totalSeconds, Integer maxOutputTokens) {
        return LlmConfig.builder("openai", "gpt-4.1").baseUrl(server.url("/v1").toString())
                .timeout(new TimeoutConfig(totalSeconds, null))
                .common(CommonParams.builder().maxOutputTokens(maxOutputTokens).build())
                .build();
    }

    private static CallInput input(LlmConfig cfg, String text) {
        return CallInput.of(cfg, List.of(Map.of("role", "user", "content", text)));
    }

    private RateBudgetSnapshot.Dimension dim(String id, BudgetDimension d) {
        for (RateBudgetSnapshot s : pipeline.rateBudgets().snapshots()) {
            if (s.id().equals(id)) {
                return s.dimension(d);
            }
        }
        throw new AssertionError("no budget " + id);
    }

    @Test
    void rpm60SpreadsABurstOf30CallsOverHalfAMinute() {
        pipeline(RateBudgets.builder().provider("openai", RateLimits.rpm(60)).build(), http, 0, 3);
        LlmConfig cfg = preset(90, 16);
        List<CompletableFuture<CallResponse>> calls = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            calls.add(pipeline.callAsync(input(cfg, "burst " + i)));
        }
        for (CompletableFuture<CallResponse> c : calls) {
            assertThat(c.join().success()).isTrue();
        }
        assertThat(arrivals).hasSize(30);
        List<Long> t = arrivals.stream().map(a -> a[0]).sorted().toList();
        // One request a second: any three consecutive arrivals span about two seconds (generous lower bound).
        for (int i = 0; i + 2 < t.size(); i++) {
            assertThat(t.get(i + 2) - t.get(i)).as("arrivals %d..%d", i, i + 2)
                    .isGreaterThan(TimeUnit.MILLISECONDS.toNanos(1500));
        }
        assertThat(t.get(29) - t.get(0)).isGreaterThan(TimeUnit.SECONDS.toNanos(25));
    }

    @Test
    void tpmIsCorrectedToTheReportedUsage() {
        pipeline(RateBudgets.builder().provider("openai", new RateLimits(0, 10_000, 0, 0)).build(), http, 0, 3);
        CallResponse r = pipeline.call(input(preset(30, 500), "hello"));
        assertThat(r.success()).isTrue();
        assertThat(r.usage().totalTokens()).isEqualTo(20);
        assertThat(dim("p:openai", BudgetDimension.TPM).remaining()).isEqualTo(10_000 - 20);
    }

    @Test
    void theEstimatePricesTheCanonicalMessagesAndTheOutputCap() {
        // A network failure keeps the estimate, which then shows in the budget: 41 canonical chars → 11 input tokens.
        ScriptedDispatch broken = ScriptedDispatch.failing(
                dev.llmix.spi.ProviderException.network("connection reset", null));
        pipeline(RateBudgets.builder().provider("openai", new RateLimits(0, 10_000, 1000, 1000)).build(),
                broken, 0, 3);
        CallResponse r = pipeline.call(CallInput.of(preset(30, 256), HELLO));
        assertThat(r.success()).isFalse();
        assertThat(dim("p:openai", BudgetDimension.ITPM).remaining()).isEqualTo(1000 - 11);
        assertThat(dim("p:openai", BudgetDimension.OTPM).remaining()).isEqualTo(1000 - 256);
        assertThat(dim("p:openai", BudgetDimension.TPM).remaining()).isEqualTo(10_000 - 267);
    }

    @Test
    void waitingPastTheDeadlineIsALocalTimeoutAndTheBreakerStaysClosed() {
        // rpm 1: the next request a minute away, so no cycle boundary falls between the two calls.
        pipeline(RateBudgets.builder().provider("openai", RateLimits.rpm(1)).build(), http, 2, 1);
        assertThat(pipeline.call(input(preset(30, 16), "first")).success()).isTrue();

        CallResponse late = pipeline.call(input(preset(0.1, 16), "second"));

        assertThat(late.success()).isFalse();
        assertThat(late.error()).isEqualTo("LLM call timed out after 0.1 s (timeout.totalTime) waiting for rate "
                + "budget (p:openai rpm)");
        assertThat(arrivals).hasSize(1);
        assertThat(pipeline.getCircuitBreakerState("openai", server.url("/v1").toString())).isEqualTo("CLOSED");
        // Nothing was reserved for the refused call: the budget is as the first call left it.
        assertThat(dim("p:openai", BudgetDimension.RPM).remaining()).isZero();
    }

    /** rpm 60 on a pipeline clock standing still at t = 0: the first call takes the unit, the next is 1 s away. */
    private void oneUnitSpentAndTheNextOneSecondAway() {
        pipeline(PipelineFixtures.deterministic(stateDir).nanoClock(() -> 0L),
                RateBudgets.builder().provider("openai", RateLimits.rpm(60)).build(), http, 0, 3);
        assertThat(pipeline.call(input(preset(30, 16), "first")).success()).isTrue();
    }

    @Test
    void aGrantDueInTheLastTenthOfTheCallsTimeFailsAtOnceWithoutDispatch() {
        oneUnitSpentAndTheNextOneSecondAway();

        // 1.05 s: the unit would come in time for the deadline, but in its last tenth (after 0.945 s).
        CallResponse late = pipeline.call(input(preset(1.05, 16), "second"));

        assertThat(late.success()).isFalse();
        assertThat(late.error()).isEqualTo("LLM call timed out after 1.05 s (timeout.totalTime) waiting for rate "
                + "budget (p:openai rpm)");
        assertThat(arrivals).hasSize(1);
        assertThat(dim("p:openai", BudgetDimension.RPM).waiting()).isZero();
    }

    @Test
    void aGrantDueWithinNineTenthsOfTheCallsTimeIsWaitedFor() {
        oneUnitSpentAndTheNextOneSecondAway();

        // 1.2 s: the unit comes after 1 s, before the last tenth begins (1.08 s).
        CallResponse r = pipeline.call(input(preset(1.2, 16), "second"));

        assertThat(r.success()).isTrue();
        assertThat(arrivals).hasSize(2);
    }

    @Test
    void aCallWaitingForBudgetHoldsNoPermitAndQueuesForOneOnlyOnceGranted() throws Exception {
        // Call 1 hangs at the provider holding the only permit. The pipeline clock stands still (the budget's cycle
        // with it), so call 2's grant is one refresh period (1 s, scheduled in real time) away.
        pipeline = new CallPipeline(PipelineFixtures.deterministic(stateDir).nanoClock(() -> 0L)
                .semaphoreInitial(1).semaphoreMin(1)
                .rateBudgets(RateBudgets.builder().provider("openai", RateLimits.rpm(60)).build()).build(),
                ctx -> new CompletableFuture<>());
        pipeline.setKeyPool("openai", new KeyPool(List.of("sk-a")));
        CompletableFuture<CallResponse> first = pipeline.callAsync(input(preset(30, 16), "one"));
        CompletableFuture<CallResponse> second = pipeline.callAsync(input(preset(30, 16), "two"));

        SemaphoreSnapshot waitingForBudget = pipeline.snapshot().semaphores().get("openai");
        assertThat(waitingForBudget.inFlight()).isEqualTo(1);
        assertThat(waitingForBudget.waiters()).isZero();
        assertThat(dim("p:openai", BudgetDimension.RPM).waiting()).isEqualTo(1);

        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pipeline.snapshot().semaphores().get("openai").waiters() == 0 && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertThat(pipeline.snapshot().semaphores().get("openai").waiters()).isEqualTo(1);
        assertThat(dim("p:openai", BudgetDimension.RPM).waiting()).isZero();
        assertThat(first).isNotDone();
        assertThat(second).isNotDone();
    }

    @Test
    void everyAttemptConsumesAndARetriedCallKeepsItsRequests() {
        pipeline(RateBudgets.builder().provider("openai", new RateLimits(600, 10_000, 0, 0)).build(), http, 2, 10);
        statuses.add(503);
        statuses.add(503);
        CallResponse r = pipeline.call(input(preset(30, 100), "retried"));
        assertThat(r.success()).isTrue();
        assertThat(arrivals).hasSize(3);
        // rpm 600 → capacity 10: three attempts kept three requests; the 503s refunded their tokens.
        assertThat(dim("p:openai", BudgetDimension.RPM).remaining()).isEqualTo(7);
        assertThat(dim("p:openai", BudgetDimension.TPM).remaining()).isEqualTo(10_000 - 20);
    }

    @Test
    void aModelBudgetIsConsumedAfterTheProviderBudget() {
        pipeline(RateBudgets.builder().provider("openai", ProviderRateLimits.of(RateLimits.rpm(600))
                .withModel("gpt-4.1", RateLimits.rpm(120))).build(), http, 0, 3);
        assertThat(pipeline.call(input(preset(30, 16), "m")).success()).isTrue();
        assertThat(dim("p:openai", BudgetDimension.RPM).remaining()).isEqualTo(9);
        assertThat(dim("m:openai/gpt-4.1", BudgetDimension.RPM).remaining()).isEqualTo(1);
    }

    @Test
    void reportedLimitsAreLearnedByTheMostSpecificBudget() {
        body = "{\"choices\":[{\"message\":{\"content\":\"ok\"}}]}";
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                        .setHeader("x-ratelimit-limit-requests", "500")
                        .setHeader("x-ratelimit-reset-requests", "120ms")
                        .body(body).build();
            }
        });
        pipeline(RateBudgets.builder().provider("openai", ProviderRateLimits.of(RateLimits.rpm(600))
                .withModel("gpt-4.1", RateLimits.rpm(600))).build(), http, 0, 3);
        assertThat(pipeline.call(input(preset(30, 16), "learn")).success()).isTrue();
        assertThat(dim("m:openai/gpt-4.1", BudgetDimension.RPM).effective()).isEqualTo(500);
        assertThat(dim("p:openai", BudgetDimension.RPM).effective()).isEqualTo(600);
    }

    @Test
    void perKeyBudgetsUseTheNextKeyAtOnceThenWaitForTheCursorKey() {
        // The pipeline clock stands still at t = 0 (the budgets' cycles with it); the wait itself is scheduled in
        // real time, so the server sees the third request about a second after the first.
        pipeline(PipelineFixtures.deterministic(stateDir).nanoClock(() -> 0L), RateBudgets.builder().provider("openai", ProviderRateLimits.of(RateLimits.NONE)
                .withPerKey(RateLimits.rpm(60))).build(), http, 0, 3);
        pipeline.setKeyPool("openai", new KeyPool(List.of("sk-a", "sk-b")));
        LlmConfig cfg = preset(30, 16);
        assertThat(pipeline.call(input(cfg, "k1")).success()).isTrue();
        assertThat(pipeline.call(input(cfg, "k2")).success()).isTrue();
        assertThat(pipeline.call(input(cfg, "k3")).success()).isTrue();
        assertThat(keys).containsExactly("sk-a", "sk-b", "sk-a");
        // The third call waited for sk-a's budget (one request a second) instead of failing or using a spent key.
        assertThat(arrivals.get(2)[0] - arrivals.get(0)[0]).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(700));
        assertThat(pipeline.rateBudgets().snapshots()).extracting(RateBudgetSnapshot::id)
                .allSatisfy(id -> assertThat(id).doesNotContain("sk-"));
    }

    @Test
    void aCompletedStreamCorrectsTokensToItsLastUsage() throws Exception {
        ScriptedStreamDispatch streams = ScriptedStreamDispatch.always(ScriptedStreamDispatch.opened(),
                ScriptedStreamDispatch.text("hi"), new ProviderStreamEvent.Usage(LlmUsage.of(5, 2, 7)));
        pipeline(RateBudgets.builder().provider("openai", new RateLimits(600, 10_000, 0, 0)).build(), streams, 0,
                3);
        RecordingChunkSubscriber sub = new RecordingChunkSubscriber();
        pipeline.stream(input(preset(30, 100), "stream")).subscribe(sub);
        assertThat(sub.awaitDone().success()).isTrue();
        assertThat(dim("p:openai", BudgetDimension.TPM).remaining()).isEqualTo(10_000 - 7);
        assertThat(dim("p:openai", BudgetDimension.RPM).remaining()).isEqualTo(9);
    }

    @Test
    void aStreamFailedAfterOpenedKeepsTheEstimate() throws Exception {
        ScriptedStreamDispatch streams = ScriptedStreamDispatch.always(ScriptedStreamDispatch.opened(),
                ScriptedStreamDispatch.text("hi"), dev.llmix.spi.ProviderException.network("reset", null));
        pipeline(RateBudgets.builder().provider("openai", new RateLimits(600, 10_000, 0, 0)).build(), streams, 0,
                3);
        RecordingChunkSubscriber sub = new RecordingChunkSubscriber();
        pipeline.stream(CallInput.of(preset(30, 256), HELLO)).subscribe(sub);
        assertThat(sub.awaitDone().success()).isFalse();
        assertThat(dim("p:openai", BudgetDimension.TPM).remaining()).isEqualTo(10_000 - 267);
    }

    @Test
    void aStreamWaitingPastTheDeadlineFailsWithTheBudgetMessageWithoutDispatch() throws Exception {
        ScriptedStreamDispatch streams = ScriptedStreamDispatch.always(ScriptedStreamDispatch.opened(),
                ScriptedStreamDispatch.text("hi"));
        pipeline(RateBudgets.builder().provider("openai", RateLimits.rpm(1)).build(), streams, 0, 1);
        RecordingChunkSubscriber first = new RecordingChunkSubscriber();
        pipeline.stream(input(preset(30, 16), "a")).subscribe(first);
        assertThat(first.awaitDone().success()).isTrue();
        RecordingChunkSubscriber second = new RecordingChunkSubscriber();
        pipeline.stream(input(preset(0.1, 16), "b")).subscribe(second);
        CallResponse done = second.awaitDone();
        assertThat(done.success()).isFalse();
        assertThat(done.error()).contains("waiting for rate budget (p:openai rpm)");
        assertThat(streams.count()).isEqualTo(1);
        // A local failure: with a threshold of 1 a recorded failure would have opened the breaker.
        assertThat(pipeline.snapshot().circuitBreakers().values()).allSatisfy(b -> {
            assertThat(b.state()).isEqualTo(dev.llmix.resilience.CircuitState.CLOSED);
            assertThat(b.consecutiveFailures()).isZero();
        });
    }

    // Streaming check 45: a stream cancelled while waiting for its permit refunds rpm and tpm
    @Test
    void aStreamCancelledWhileWaitingForItsPermitRefundsBothDimensions() throws Exception {
        // A frozen clock: the budgets never refill, so what remains moves only by grants and refunds.
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(1_000_000_000L);
        ScriptedStreamDispatch streams = ScriptedStreamDispatch.always(ScriptedStreamDispatch.opened(),
                ScriptedStreamDispatch.text("hi"), ScriptedStreamDispatch.HANG);
        pipeline(PipelineFixtures.deterministic(stateDir).nanoClock(now::get).semaphoreInitial(1).semaphoreMin(1),
                RateBudgets.builder().provider("openai", new RateLimits(600, 10_000, 0, 0)).build(), streams, 0, 3);
        RecordingChunkSubscriber holder = new RecordingChunkSubscriber();
        pipeline.stream(input(preset(30, 100), "holder")).subscribe(holder);
        holder.awaitChunks(1);
        long rpm = dim("p:openai", BudgetDimension.RPM).remaining();
        long tpm = dim("p:openai", BudgetDimension.TPM).remaining();

        RecordingChunkSubscriber queued = new RecordingChunkSubscriber();
        pipeline.stream(input(preset(30, 100), "queued")).subscribe(queued);
        // Its budgets were granted before the permit, which the holder has.
        assertThat(pipeline.snapshot().semaphores().get("openai").waiters()).isEqualTo(1);
        assertThat(dim("p:openai", BudgetDimension.RPM).remaining()).isEqualTo(rpm - 1);
        assertThat(dim("p:openai", BudgetDimension.TPM).remaining()).isLessThan(tpm);

        queued.cancel();
        assertThat(pipeline.snapshot().semaphores().get("openai").waiters()).isZero();
        assertThat(dim("p:openai", BudgetDimension.RPM).remaining()).isEqualTo(rpm);
        assertThat(dim("p:openai", BudgetDimension.TPM).remaining()).isEqualTo(tpm);
        assertThat(streams.count()).isEqualTo(1);
        holder.cancel();
    }
}
