package dev.llmix.pipeline;

import dev.llmix.testsupport.ScriptedDispatch;
import dev.llmix.testsupport.InMemoryResponseCacheStore;
import dev.llmix.spi.CacheHitTier;
import dev.llmix.spi.CallInput;
import dev.llmix.spi.LlmUsage;
import dev.llmix.spi.ProviderException;
import dev.llmix.spi.ProviderResult;
import static dev.llmix.testsupport.ScriptedDispatch.result;
import static dev.llmix.testsupport.ScriptedDispatch.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.cache.TwoTierCache;
import dev.llmix.config.CachingStrategy;
import dev.llmix.config.TimeoutConfig;
import dev.llmix.keys.KeyPool;
import dev.llmix.resilience.CircuitBreakerSnapshot;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Every branch of the call flow beyond the §14 checks: ordering, dispatch contract violations, timeouts, close. */
class CallPipelineFlowTest extends PipelineTestSupport {

    @Test
    void transformErrorComesBeforeTheKillSwitch() throws Exception {
        Files.writeString(stateDir.resolve("killswitch"), "");
        ScriptedDispatch dispatch = ScriptedDispatch.ok("x");
        CallResponse r = pipeline(dispatch).call(input(config().provider("sno-gpu").model("q").build()));
        assertThat(r.error())
                .isEqualTo("sno-gpu provider requires a non-empty base_url in config or GPU_BASE_URL env var");
        assertThat(dispatch.count()).isZero();
    }

    @Test
    void killSwitchCanBeEngagedAndReleasedThroughThePipeline() {
        CallPipeline p = pipeline(ScriptedDispatch.ok("x"));
        p.killSwitch().engage("incident 42");
        assertThat(p.call(input()).error()).startsWith("Kill switch active: ");
        p.killSwitch().release();
        assertThat(p.call(input()).success()).isTrue();
    }

    @Test
    void dispatchThrowingSynchronouslyIsRetriedLikeAFailedStage() {
        ScriptedDispatch dispatch = new ScriptedDispatch((ctx, n) -> {
            if (n == 0) {
                throw status(503);
            }
            return CompletableFuture.completedFuture(result("ok"));
        });
        CallResponse r = pipeline(options().maxRetries(1), dispatch).call(input());
        assertThat(r.success()).isTrue();
        assertThat(dispatch.count()).isEqualTo(2);
    }

    @Test
    void dispatchReturningNullIsALocalFailure() {
        ScriptedDispatch dispatch = new ScriptedDispatch((ctx, n) -> null);
        CallPipeline p = pipeline(options().maxRetries(3).circuitBreakerThreshold(1), dispatch);
        CallResponse r = p.call(input());
        assertThat(r.success()).isFalse();
        assertThat(r.error()).isEqualTo("DispatchFunction returned null instead of a CompletionStage");
        assertThat(dispatch.count()).isEqualTo(1);
        assertThat(p.getCircuitBreakerState("openai", "")).isEqualTo("CLOSED");
        assertThat(p.snapshot().semaphores().get("openai").inFlight()).isZero();
    }

    @Test
    void dispatchCompletingWithNullResultIsALocalFailure() {
        ScriptedDispatch dispatch = new ScriptedDispatch((ctx, n) -> CompletableFuture.completedFuture(null));
        CallPipeline p = pipeline(options().maxRetries(3).circuitBreakerThreshold(1), dispatch);
        CallResponse r = p.call(input());
        assertThat(r.error()).isEqualTo("DispatchFunction completed with a null ProviderResult");
        assertThat(dispatch.count()).isEqualTo(1);
        assertThat(p.getCircuitBreakerState("openai", "")).isEqualTo("CLOSED");
    }

    @Test
    void networkErrorIsRetriedAndCountedOnceByTheBreaker() {
        ScriptedDispatch dispatch = ScriptedDispatch.failing(ProviderException.network("connection reset", null));
        CallPipeline p = pipeline(options().maxRetries(1).circuitBreakerThreshold(1), dispatch);
        assertThat(p.call(input()).error()).isEqualTo("connection reset");
        assertThat(dispatch.count()).isEqualTo(2);
        assertThat(p.getCircuitBreakerState("openai", "")).isEqualTo("OPEN");
    }

    @Test
    void unknownRuntimeExceptionCountsAsANetworkError() {
        ScriptedDispatch dispatch = new ScriptedDispatch((ctx, n) -> {
            throw new IllegalStateException("socket gone");
        });
        CallPipeline p = pipeline(options().maxRetries(2).circuitBreakerThreshold(1), dispatch);
        assertThat(p.call(input()).error()).isEqualTo("socket gone");
        assertThat(dispatch.count()).isEqualTo(3);
        assertThat(p.getCircuitBreakerState("openai", "")).isEqualTo("OPEN");
    }

    @Test
    void errorWithoutMessageIsReportedByItsType() {
        ScriptedDispatch dispatch = ScriptedDispatch.failing(new java.io.IOException());
        assertThat(pipeline(dispatch).call(input()).error()).isEqualTo("java.io.IOException");
    }

    @Test
    void timeoutFailsTheCallReleasesThePermitAndCountsAsNetworkError() {
        CompletableFuture<ProviderResult> never = new CompletableFuture<>();
        ScriptedDispatch dispatch = new ScriptedDispatch((ctx, n) -> never);
        CallPipeline p = pipeline(options().maxRetries(3).circuitBreakerThreshold(1).semaphoreInitial(1)
                .semaphoreMin(1), dispatch);
        CallResponse r = p.call(input(config().timeout(new TimeoutConfig(0.05, null)).build()));
        assertThat(r.success()).isFalse();
        assertThat(r.error()).isEqualTo("LLM call timed out after 0.05 s (timeout.totalTime)");
        assertThat(dispatch.count()).isEqualTo(1);
        assertThat(never).isCancelled();
        SemaphoreSnapshot s = p.snapshot().semaphores().get("openai");
        assertThat(s.inFlight()).isZero();
        assertThat(s.waiters()).isZero();
        assertThat(p.getCircuitBreakerState("openai", "")).isEqualTo("OPEN");
    }

    @Test
    void asyncTimeoutCompletesTheFutureWithAFailedResponse() {
        ScriptedDispatch dispatch = new ScriptedDispatch((ctx, n) -> new CompletableFuture<>());
        CallPipeline p = pipeline(options().defaultCallTimeout(Duration.ofMillis(50)), dispatch);
        CallResponse r = p.callAsync(input()).orTimeout(5, TimeUnit.SECONDS).join();
        assertThat(r.error()).isEqualTo("LLM call timed out after 0.05 s (timeout.totalTime)");
    }

    @Test
    void backOffThatWouldOutliveTheCallBudgetIsNotTaken() {
        ProviderException slowDown = new ProviderException("busy", 503, Map.of("retry-after", "5"));
        ScriptedDispatch dispatch = ScriptedDispatch.sequence(slowDown, "ok");
        CallPipeline p = pipeline(options().maxRetries(3), dispatch);
        CallResponse r = p.call(input(config().timeout(new TimeoutConfig(1, null)).build()));
        assertThat(r.error()).isEqualTo("busy");
        assertThat(dispatch.count()).isEqualTo(1);
    }

    @Test
    void backOffIsScheduledOnTheSchedulerNotSlept() {
        List<Long> delays = new CopyOnWriteArrayList<>();
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1) {
            @Override
            public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
                delays.add(unit.toMillis(delay));
                return super.schedule(command, delay, unit);
            }
        };
        try {
            ScriptedDispatch dispatch = ScriptedDispatch.sequence(status(503), "ok");
            CallPipeline p = pipeline(options().maxRetries(1).retryBaseMs(5).retryMaxDelayMs(5).scheduler(scheduler),
                    dispatch);
            assertThat(p.call(input()).success()).isTrue();
            assertThat(delays).containsExactly(5L);
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void cancellationFromDispatchIsNotRetriedAndCancelsTheHalfOpenProbe() {
        AtomicLong nanos = new AtomicLong();
        ScriptedDispatch dispatch = ScriptedDispatch.sequence(status(503), status(503), status(503),
                new CancellationException("caller gone"));
        CallPipeline p = pipeline(options().maxRetries(2).circuitBreakerThreshold(1).permittedHalfOpenCalls(1)
                .circuitBreakerCooldown(Duration.ofMillis(10)).nanoClock(nanos::get), dispatch);
        p.setKeyPool("openai", new KeyPool(List.of("k")));
        // First call: three 503s → one failure → OPEN.
        p.call(input());
        int afterFirst = dispatch.count();
        nanos.addAndGet(Duration.ofMillis(20).toNanos());
        assertThat(p.getCircuitBreakerState("openai", "")).isEqualTo("HALF_OPEN");
        CallResponse r = p.call(input());
        assertThat(r.error()).isEqualTo("caller gone");
        assertThat(dispatch.count()).isEqualTo(afterFirst + 1);
        CircuitBreakerSnapshot b = p.snapshot().circuitBreakers().get("openai:");
        assertThat(b.halfOpenFailures()).isEqualTo(1);
        assertThat(b.state().name()).isEqualTo("OPEN");
    }

    @Test
    void localErrorInHalfOpenCancelsTheProbeInsteadOfCountingAFailure() {
        AtomicLong nanos = new AtomicLong();
        ScriptedDispatch dispatch = ScriptedDispatch.sequence(status(503), "ok");
        CallPipeline p = pipeline(options().circuitBreakerThreshold(1).circuitBreakerCooldown(Duration.ofMillis(10))
                .nanoClock(nanos::get), dispatch);
        p.call(input());
        nanos.addAndGet(Duration.ofMillis(20).toNanos());
        KeyPool dead = new KeyPool(List.of("gone"));
        dead.markDead("gone");
        p.setKeyPool("openai", dead);
        assertThat(p.call(input()).error()).startsWith("All 1 keys are dead");
        CircuitBreakerSnapshot b = p.snapshot().circuitBreakers().get("openai:");
        assertThat(b.halfOpenActive()).isEqualTo(1);
        assertThat(b.halfOpenFailures()).isEqualTo(1);
        assertThat(b.halfOpenSuccesses()).isZero();
    }

    @Test
    void successfulHalfOpenProbeClosesTheBreaker() {
        AtomicLong nanos = new AtomicLong();
        ScriptedDispatch dispatch = ScriptedDispatch.sequence(status(503), "recovered");
        CallPipeline p = pipeline(options().circuitBreakerThreshold(1).permittedHalfOpenCalls(1)
                .circuitBreakerCooldown(Duration.ofSeconds(30)).nanoClock(nanos::get), dispatch);
        p.call(input());
        assertThat(p.call(input()).error()).startsWith("Circuit breaker OPEN");
        nanos.addAndGet(Duration.ofSeconds(30).toNanos());
        assertThat(p.call(input()).content()).isEqualTo("recovered");
        assertThat(p.getCircuitBreakerState("openai", "")).isEqualTo("CLOSED");
        assertThat(dispatch.count()).isEqualTo(2);
    }

    @Test
    void failedHalfOpenProbeReopensWithADoubledCooldown() {
        AtomicLong nanos = new AtomicLong();
        ScriptedDispatch dispatch = ScriptedDispatch.failing(status(502));
        CallPipeline p = pipeline(options().circuitBreakerThreshold(1).permittedHalfOpenCalls(1)
                .circuitBreakerCooldown(Duration.ofSeconds(30)).nanoClock(nanos::get), dispatch);
        p.call(input());
        nanos.addAndGet(Duration.ofSeconds(30).toNanos());
        assertThat(p.call(input()).error()).isEqualTo("HTTP 502 from provider");
        CircuitBreakerSnapshot b = p.snapshot().circuitBreakers().get("openai:");
        assertThat(b.state().name()).isEqualTo("OPEN");
        assertThat(b.cooldownMs()).isEqualTo(60_000);
        nanos.addAndGet(Duration.ofSeconds(30).toNanos());
        assertThat(p.call(input()).error()).startsWith("Circuit breaker OPEN");
        assertThat(dispatch.count()).isEqualTo(2);
    }

    @Test
    void rateLimitRotatesTheKeyHalvesTheWindowAndWaitsForRetryAfter() {
        List<Long> sleeps = new CopyOnWriteArrayList<>();
        ProviderException limited = new ProviderException("slow down", 429, Map.of("RETRY-AFTER", "3"));
        ScriptedDispatch dispatch = ScriptedDispatch.sequence(limited, "ok");
        CallPipeline p = pipeline(options().maxRetries(1).sleeper(sleeps::add), dispatch);
        p.setKeyPool("openai", new KeyPool(List.of("key-a", "key-b")));
        CallResponse r = p.call(input());
        assertThat(r.success()).isTrue();
        assertThat(dispatch.keysSeen()).containsExactly("key-a", "key-b");
        assertThat(sleeps).containsExactly(3000L);
        assertThat(p.getSemaphoreWindow("openai")).isEqualTo(17);
        assertThat(p.getCircuitBreakerState("openai", "")).isEqualTo("CLOSED");
    }

    @Test
    void followersShareTheLeadersFailure() {
        CompletableFuture<ProviderResult> pending = new CompletableFuture<>();
        ScriptedDispatch dispatch = new ScriptedDispatch((ctx, n) -> pending);
        CallPipeline p = pipeline(dispatch);
        CompletableFuture<CallResponse> a = p.callAsync(input());
        CompletableFuture<CallResponse> b = p.callAsync(input());
        pending.completeExceptionally(status(500));
        assertThat(a.join().error()).isEqualTo("HTTP 500 from provider");
        assertThat(b.join().error()).isEqualTo("HTTP 500 from provider");
        assertThat(p.snapshot().circuitBreakers().get("openai:").consecutiveFailures()).isEqualTo(1);
    }

    @Test
    void interruptedCallerGetsAFailedResponseAndKeepsItsInterruptFlag() throws Exception {
        CompletableFuture<ProviderResult> pending = new CompletableFuture<>();
        CallPipeline p = pipeline(new ScriptedDispatch((ctx, n) -> pending));
        AtomicReference<CallResponse> response = new AtomicReference<>();
        AtomicReference<Boolean> flag = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            response.set(p.call(input()));
            flag.set(Thread.currentThread().isInterrupted());
        });
        caller.start();
        while (p.singleflightCount() == 0) {
            Thread.onSpinWait();
        }
        caller.interrupt();
        caller.join(5000);
        assertThat(response.get().success()).isFalse();
        assertThat(response.get().error()).contains("Interrupted");
        assertThat(flag.get()).isTrue();
        pending.complete(result("late"));
        assertThat(p.singleflightCount()).isZero();
        assertThat(p.snapshot().semaphores().get("openai").inFlight()).isZero();
    }

    @Test
    void followerCancellingItsWaitDoesNotCancelTheSharedExecution() {
        CompletableFuture<ProviderResult> pending = new CompletableFuture<>();
        ScriptedDispatch dispatch = new ScriptedDispatch((ctx, n) -> pending);
        CallPipeline p = pipeline(dispatch);
        CompletableFuture<CallResponse> leader = p.callAsync(input());
        CompletableFuture<CallResponse> follower = p.callAsync(input());
        leader.cancel(true);
        pending.complete(result("shared"));
        assertThat(follower.join().content()).isEqualTo("shared");
        assertThat(dispatch.count()).isEqualTo(1);
    }

    @Test
    void blankSingleflightKeyIsIgnored() {
        ScriptedDispatch dispatch = ScriptedDispatch.delayed(30, ctx -> "x");
        CallPipeline p = pipeline(dispatch);
        CompletableFuture<CallResponse> a = p.callAsync(new CallInput(CONFIG, HI, " "));
        CompletableFuture<CallResponse> b = p.callAsync(new CallInput(CONFIG,
                List.of(Map.of("role", "user", "content", "other")), " "));
        a.join();
        b.join();
        assertThat(dispatch.count()).isEqualTo(2);
    }

    @Test
    void oneThousandConcurrentIdenticalCallsShareOneDispatch() throws Exception {
        CompletableFuture<ProviderResult> pending = new CompletableFuture<>();
        ScriptedDispatch dispatch = new ScriptedDispatch((ctx, n) -> pending);
        CallPipeline p = pipeline(dispatch);
        int threads = 64;
        int calls = 1000;
        List<CompletableFuture<CallResponse>> responses = new CopyOnWriteArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<java.util.concurrent.Future<?>> submitted = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int share = calls / threads + (t < calls % threads ? 1 : 0);
            submitted.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < share; i++) {
                    responses.add(p.callAsync(input()));
                }
                return null;
            }));
        }
        start.countDown();
        for (java.util.concurrent.Future<?> f : submitted) {
            f.get(10, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(responses).hasSize(calls);
        assertThat(p.singleflightCount()).isEqualTo(1);
        pending.complete(result("together"));
        long successes = responses.stream().map(CompletableFuture::join).filter(CallResponse::success).count();
        assertThat(successes).isEqualTo(calls);
        assertThat(dispatch.count()).isEqualTo(1);
        assertThat(p.singleflightCount()).isZero();
    }

    @Test
    void closeFailsQueuedAttemptsButLetsTheInFlightDispatchFinish() {
        CompletableFuture<ProviderResult> pending = new CompletableFuture<>();
        ScriptedDispatch dispatch = new ScriptedDispatch((ctx, n) -> n == 0 ? pending
                : CompletableFuture.completedFuture(result("second")));
        CallPipeline p = pipeline(options().semaphoreInitial(1).semaphoreMin(1), dispatch);
        CompletableFuture<CallResponse> inFlight = p.callAsync(input());
        CompletableFuture<CallResponse> queued = p.callAsync(new CallInput(CONFIG, HI, "other-key"));
        assertThat(p.snapshot().semaphores().get("openai").waiters()).isEqualTo(1);
        p.close();
        assertThat(queued.join().error()).isEqualTo("AdaptiveSemaphore is closed");
        assertThat(inFlight).isNotDone();
        pending.complete(result("first"));
        assertThat(inFlight.join().content()).isEqualTo("first");
        assertThat(dispatch.count()).isEqualTo(1);
        assertThat(p.snapshot().closed()).isTrue();
        assertThat(p.snapshot().semaphores().get("openai").inFlight()).isZero();
        assertThat(p.call(input(config().provider("never-seen").build())).error())
                .isEqualTo("AdaptiveSemaphore is closed");
    }

    @Test
    void closeClosesAnOwnedCache() {
        TwoTierCache cache = TwoTierCache.builder().build();
        InMemoryResponseCacheStore store = new InMemoryResponseCacheStore();
        TwoTierCache withStore = TwoTierCache.builder().strategy(CachingStrategy.REDIS).l2(store).build();
        pipeline(options().responseCache(withStore), ScriptedDispatch.ok("x")).close();
        assertThat(store.closed()).isTrue();
        cache.close();
    }

    @Test
    void l2HitIsReportedAsL2() {
        InMemoryResponseCacheStore store = new InMemoryResponseCacheStore();
        TwoTierCache cache = TwoTierCache.builder().strategy(CachingStrategy.REDIS).l2(store)
                .l2Executor(Runnable::run).build();
        CallInput in = input(config().caching(CachingStrategy.REDIS).build());
        CallPipeline writer = pipeline(options().responseCache(cache).closeResponseCache(false),
                ScriptedDispatch.ok("<think>t</think>shared"));
        writer.call(in);
        assertThat(store.data).hasSize(1);
        cache.clear();
        CallResponse hit = writer.call(in);
        assertThat(hit.cacheHit()).isEqualTo(CacheHitTier.L2);
        assertThat(hit.content()).isEqualTo("shared");
        assertThat(hit.thinkingContent()).isEqualTo("t");
        assertThat(writer.call(in).cacheHit()).isEqualTo(CacheHitTier.L1);
        assertThat(writer.snapshot().cache().l2Hits()).isEqualTo(1);
        cache.close();
    }

    @Test
    void cacheKeysUseTheConfiguredPrefix() {
        InMemoryResponseCacheStore store = new InMemoryResponseCacheStore();
        TwoTierCache cache = TwoTierCache.builder().strategy(CachingStrategy.REDIS).l2(store)
                .l2Executor(Runnable::run).build();
        pipeline(options().responseCache(cache).cacheKeyPrefix("llmix:resp:v2:"), ScriptedDispatch.ok("x"))
                .call(input(config().caching(CachingStrategy.REDIS).build()));
        assertThat(store.data.keySet()).singleElement().asString().startsWith("llmix:resp:v2:").hasSize(78);
    }

    @Test
    void rateLimitHeaderNamesAreMatchedIgnoringCase() {
        CallPipeline p = pipeline(ScriptedDispatch.sequence(new ProviderResult("x", "gpt-4", LlmUsage.of(1, 1, 2),
                Map.of("X-RateLimit-Remaining-Requests", "1", "X-RateLimit-Limit-Requests", "500"), null)));
        p.call(input());
        assertThat(p.getSemaphoreWindow("openai")).isEqualTo(4);
    }

    @Test
    void snapshotShowsEveryResourceWithoutKeyMaterial() {
        TwoTierCache cache = TwoTierCache.builder().build();
        CallPipeline p = pipeline(options().responseCache(cache), ScriptedDispatch.ok("x"));
        p.setKeyPool("openai", new KeyPool(List.of("sk-secret-1", "sk-secret-2")));
        p.call(input(config().caching(CachingStrategy.MEMORY).build()));
        PipelineSnapshot s = p.snapshot();
        assertThat(s.circuitBreakers()).containsOnlyKeys("openai:");
        assertThat(s.semaphores().get("openai")).isEqualTo(new SemaphoreSnapshot("openai", 32, 32, 4, 0, 0, false));
        assertThat(s.keyPools().get("openai")).isEqualTo(new KeyPoolStatus("openai", 2, 2));
        assertThat(s.singleflightInFlight()).isZero();
        assertThat(s.cache().l1Size()).isEqualTo(1);
        assertThat(s.closed()).isFalse();
        assertThat(s.toString()).doesNotContain("sk-secret");
    }

    @Test
    void operatorActionsResetBreakersAndClearTheCache() {
        TwoTierCache cache = TwoTierCache.builder().build();
        ScriptedDispatch dispatch = ScriptedDispatch.sequence(status(500), "ok");
        CallPipeline p = pipeline(options().circuitBreakerThreshold(1).responseCache(cache), dispatch);
        CallInput in = input(config().caching(CachingStrategy.MEMORY).build());
        p.call(in);
        assertThat(p.getCircuitBreakerState("openai", "")).isEqualTo("OPEN");
        assertThat(p.resetCircuitBreaker("openai", "")).isTrue();
        assertThat(p.resetCircuitBreaker("openai", "https://nowhere")).isFalse();
        assertThat(p.getCircuitBreakerState("openai", "")).isEqualTo("CLOSED");
        assertThat(p.call(in).success()).isTrue();
        assertThat(p.call(in).cacheHit()).isEqualTo(CacheHitTier.L1);
        assertThat(p.clearCache()).isTrue();
        assertThat(p.call(in).cacheHit()).isNull();
        assertThat(p.resetAllCircuitBreakers()).isEqualTo(1);
        assertThat(pipeline(ScriptedDispatch.ok("x")).clearCache()).isFalse();
    }

    @Test
    void unknownProviderIntrospectionIsAbsent() {
        CallPipeline p = pipeline(ScriptedDispatch.ok("x"));
        assertThat(p.getCircuitBreakerState("openai", "")).isNull();
        assertThat(p.getSemaphoreWindow("openai")).isNull();
    }
}
