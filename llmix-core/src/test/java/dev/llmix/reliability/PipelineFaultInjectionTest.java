package dev.llmix.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmix.config.LlmConfig;
import dev.llmix.config.TimeoutConfig;
import dev.llmix.keys.KeyPool;
import dev.llmix.spi.CallInput;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.spi.DispatchFunction;
import dev.llmix.pipeline.PipelineConfig;
import dev.llmix.spi.ProviderResult;
import dev.llmix.pipeline.SemaphoreSnapshot;
import dev.llmix.internal.resilience.GlobalConcurrencyLock;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults injected through the whole pipeline and the real HTTP adapter against a loopback provider: a 5xx storm, a
 * 429 storm, a kill switch engaged under load, hanging dispatches and an unusable state directory. Assertions are on
 * counts (requests that reached the server, concurrency observed on both sides), never on timing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PipelineFaultInjectionTest {

    @TempDir
    Path stateDir;

    private final LoopbackProvider provider = new LoopbackProvider();
    private final List<CallPipeline> pipelines = new ArrayList<>();
    private final List<ExecutorService> pools = new ArrayList<>();

    @AfterEach
    void tearDown() {
        pipelines.forEach(CallPipeline::close);
        pools.forEach(ExecutorService::shutdownNow);
        provider.close();
    }

    private PipelineConfig.Builder options() {
        return PipelineConfig.builder()
                .maxRetries(0).retryBaseMs(1).retryMaxDelayMs(1).retryJitterMs(0)
                .stateDir(stateDir).env(name -> null);
    }

    private CallPipeline pipeline(PipelineConfig.Builder options, DispatchFunction dispatch) {
        CallPipeline p = new CallPipeline(options.build(), dispatch);
        pipelines.add(p);
        p.setKeyPool("openai", new KeyPool(List.of("sk-reliability-key-a", "sk-reliability-key-b")));
        return p;
    }

    private ExecutorService pool(int threads) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        pools.add(pool);
        return pool;
    }

    // --- 5xx storm --------------------------------------------------------------------------------------------------

    @Test
    void serviceUnavailableStormOpensTheBreakerAndOpenCallsNeverReachTheServer() {
        AtomicLong nanos = new AtomicLong(1_000_000_000L);
        CallPipeline p = pipeline(options().circuitBreakerThreshold(3).circuitBreakerCooldown(Duration.ofSeconds(30))
                .permittedHalfOpenCalls(2).nanoClock(nanos::get), provider.dispatch());
        AtomicBoolean healthy = new AtomicBoolean();
        provider.behave(r -> healthy.get() ? LoopbackProvider.ok()
                : LoopbackProvider.json(503, "{\"error\":{\"message\":\"overloaded\"}}"));
        LlmConfig preset = provider.preset().build();

        for (int i = 0; i < 3; i++) {
            assertThat(p.call(CallInput.of(preset, LoopbackProvider.message("storm-" + i))).success()).isFalse();
        }
        assertThat(p.getCircuitBreakerState("openai", provider.baseUrl())).isEqualTo("OPEN");
        assertThat(provider.requestCount()).isEqualTo(3);

        int openCalls = 20_000;
        long start = System.nanoTime();
        for (int i = 0; i < openCalls; i++) {
            CallResponse r = p.call(CallInput.of(preset, LoopbackProvider.message("open-" + (i % 64))));
            if (r.success() || r.error() == null || !r.error().startsWith("Circuit breaker OPEN for (openai, ")) {
                throw new AssertionError("call " + i + " while OPEN: " + r);
            }
        }
        long elapsed = System.nanoTime() - start;
        assertThat(provider.requestCount()).as("no request may reach the server while OPEN").isEqualTo(3);
        assertThat(provider.dispatches.get()).isEqualTo(3);
        Reports.record("open-breaker call latency (avg over " + openCalls + " calls, 1 thread, incl. cache-key hash)",
                String.format("%.2f µs", elapsed / 1000.0 / openCalls));

        healthy.set(true);
        nanos.addAndGet(Duration.ofSeconds(30).toNanos() + 1);
        assertThat(p.getCircuitBreakerState("openai", provider.baseUrl())).isEqualTo("HALF_OPEN");
        for (int i = 0; i < 2; i++) {
            CallResponse r = p.call(CallInput.of(preset, LoopbackProvider.message("probe-" + i)));
            assertThat(r.success()).as("probe %s: %s", i, r.error()).isTrue();
        }
        assertThat(p.getCircuitBreakerState("openai", provider.baseUrl())).isEqualTo("CLOSED");
        assertThat(provider.requestCount()).as("exactly the two probes reached the recovered server").isEqualTo(5);
    }

    // --- 429 storm --------------------------------------------------------------------------------------------------

    @Test
    void rateLimitStormShrinksTheWindowToItsFloorAndConcurrencyNeverExceedsIt() throws Exception {
        int initial = 16;
        int floor = 2;
        CallPipeline p = pipeline(options().semaphoreInitial(initial).semaphoreMin(floor)
                .circuitBreakerThreshold(Integer.MAX_VALUE), provider.dispatch());
        provider.behave(r -> new MockResponse.Builder().code(429)
                .addHeader("Content-Type", "application/json")
                .addHeader("Retry-After", "0")
                .addHeader("x-ratelimit-remaining-requests", "0")
                .addHeader("x-ratelimit-limit-requests", "100")
                .body("{\"error\":{\"message\":\"slow down\"}}").build());
        provider.hold(5);
        LlmConfig preset = provider.preset().build();

        // Phase 1: 32 callers against a window of 16 until the 429s have halved it down to the floor.
        AtomicInteger seq = new AtomicInteger();
        AtomicBoolean atFloor = new AtomicBoolean();
        runCallers(32, () -> {
            while (!atFloor.get()) {
                CallResponse r = p.call(CallInput.of(preset, LoopbackProvider.message("rl-" + seq.incrementAndGet())));
                assertThat(r.success()).isFalse();
                Integer w = p.getSemaphoreWindow("openai");
                if (w != null && w == floor) {
                    atFloor.set(true);
                }
            }
        });
        assertThat(p.getSemaphoreWindow("openai")).isEqualTo(floor);
        assertThat(provider.serverMaxConcurrent.get()).as("server-side concurrency before the floor")
                .isLessThanOrEqualTo(initial);
        assertThat(provider.clientMaxConcurrent.get()).as("dispatches in flight before the floor")
                .isLessThanOrEqualTo(initial);

        // Phase 2: the storm goes on with 32 callers; the window stays at its floor and so does concurrency.
        provider.resetCounters();
        int before = provider.requestCount();
        runCallers(32, () -> {
            for (int i = 0; i < 10; i++) {
                p.call(CallInput.of(preset, LoopbackProvider.message("rl-" + seq.incrementAndGet())));
            }
        });
        assertThat(p.getSemaphoreWindow("openai")).isEqualTo(floor);
        assertThat(provider.requestCount() - before).isEqualTo(320);
        assertThat(provider.clientMaxConcurrent.get()).as("dispatches in flight at the floor").isBetween(1, floor);
        assertThat(provider.serverMaxConcurrent.get()).as("requests handled at once at the floor")
                .isBetween(1, floor);
        assertNoResourcesHeld(p);
    }

    // --- kill switch under load -------------------------------------------------------------------------------------

    @Test
    void killSwitchEngagedUnderLoadStopsEveryCallThatStartsAfterItReturns() throws Exception {
        CallPipeline p = pipeline(options(), provider.dispatch());
        provider.hold(1);
        LlmConfig preset = provider.preset().build();
        AtomicBoolean engaged = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger seq = new AtomicInteger();
        Queue<String> lateCalls = new ConcurrentLinkedQueue<>();
        Queue<String> wrongAnswers = new ConcurrentLinkedQueue<>();
        Set<String> startedBefore = ConcurrentHashMap.newKeySet();
        CountDownLatch warm = new CountDownLatch(200);

        ExecutorService callers = pool(64);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 64; t++) {
            done.add(callers.submit(() -> {
                while (!stop.get()) {
                    String id = "ks-" + seq.incrementAndGet();
                    boolean after = engaged.get();
                    if (!after) {
                        startedBefore.add(id);
                    }
                    CallResponse r = p.call(CallInput.of(preset, LoopbackProvider.message(id)));
                    warm.countDown();
                    if (after) {
                        lateCalls.add(id);
                        if (r.success() || r.error() == null || !r.error().startsWith("Kill switch active: ")) {
                            wrongAnswers.add(id + " -> " + r);
                        }
                    }
                }
                return null;
            }));
        }
        assertThat(warm.await(20, TimeUnit.SECONDS)).isTrue();
        int dispatchesAtEngage = provider.dispatches.get();
        p.killSwitch().engage("reliability test: engaged under load");
        engaged.set(true);
        TimeUnit.MILLISECONDS.sleep(300);
        stop.set(true);
        for (Future<?> f : done) {
            f.get(20, TimeUnit.SECONDS);
        }

        assertThat(wrongAnswers).as("calls started after engage() returned that were not refused").isEmpty();
        assertThat(lateCalls).as("calls made after engaging").hasSizeGreaterThan(64);
        Set<String> lateDispatched = ConcurrentHashMap.newKeySet();
        for (String id : lateCalls) {
            if (provider.dispatchedIds.contains(id)) {
                lateDispatched.add(id);
            }
        }
        assertThat(lateDispatched).as("calls started after engage() that reached dispatch").isEmpty();
        // The switch is checked again right before each dispatch, so only a call that passed that last check in the
        // instant before engage() returned can still reach the provider (plus requests already on the wire).
        int stragglers = provider.dispatches.get() - dispatchesAtEngage;
        assertThat(stragglers).isLessThanOrEqualTo(8);
        Reports.record("kill switch: dispatches started after engage() by calls admitted before it (64 callers)",
                String.valueOf(stragglers));
        assertNoResourcesHeld(p);

        p.killSwitch().release();
        assertThat(p.call(CallInput.of(preset, LoopbackProvider.message("after-release"))).success()).isTrue();
    }

    // --- hanging dispatch -------------------------------------------------------------------------------------------

    @Test
    void stalledProviderTimesOutAndReleasesThePermitTheLockAndTheFlight() throws Exception {
        CallPipeline p = pipeline(options().semaphoreInitial(8).semaphoreMin(2)
                .circuitBreakerThreshold(Integer.MAX_VALUE)
                .env(name -> GlobalConcurrencyLock.ENV_VAR.equals(name) ? "4" : null), provider.dispatch());
        provider.behave(r -> new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
        LlmConfig stalled = provider.preset().timeout(new TimeoutConfig(0.3, null)).build();

        List<CompletableFuture<CallResponse>> calls = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            calls.add(p.callAsync(CallInput.of(stalled, LoopbackProvider.message("hang-" + i))));
        }
        for (CompletableFuture<CallResponse> c : calls) {
            CallResponse r = c.get(20, TimeUnit.SECONDS);
            assertThat(r.success()).isFalse();
            assertThat(r.error()).contains("timed out");
        }
        assertThat(provider.clientMaxConcurrent.get()).isLessThanOrEqualTo(8);
        Reports.record("stalled provider: requests sent for 64 calls, window 8, totalTime 0.3 s",
                String.valueOf(provider.dispatches.get()));
        assertNoResourcesHeld(p);
        assertLockFree(stateDir.resolve(GlobalConcurrencyLock.FILE_NAME));

        provider.behave(r -> LoopbackProvider.ok());
        CallResponse healthy = p.call(CallInput.of(provider.preset().build(), LoopbackProvider.message("healthy")));
        assertThat(healthy.success()).as("error: %s", healthy.error()).isTrue();
    }

    @Test
    void dispatchThatNeverCompletesTimesOutAndLeavesNothingHeld() throws Exception {
        List<CompletableFuture<ProviderResult>> stages = new ArrayList<>();
        CallPipeline p = pipeline(options().semaphoreInitial(4).semaphoreMin(1)
                .circuitBreakerThreshold(Integer.MAX_VALUE)
                .env(name -> GlobalConcurrencyLock.ENV_VAR.equals(name) ? "1" : null), ctx -> {
                    CompletableFuture<ProviderResult> never = new CompletableFuture<>();
                    synchronized (stages) {
                        stages.add(never);
                    }
                    return never;
                });
        LlmConfig preset = LlmConfig.builder("openai", "gpt-4o-mini").timeout(new TimeoutConfig(0.2, null)).build();

        ExecutorService callers = pool(64);
        List<Future<CallResponse>> calls = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            String id = "never-" + i;
            calls.add(callers.submit(() -> p.call(CallInput.of(preset, LoopbackProvider.message(id)))));
        }
        for (Future<CallResponse> c : calls) {
            CallResponse r = c.get(20, TimeUnit.SECONDS);
            assertThat(r.success()).isFalse();
            // Permit holders time out in dispatch; the rest time out still waiting for a permit.
            assertThat(r.error()).startsWith("LLM call timed out after 0.2 s (timeout.totalTime)");
        }
        synchronized (stages) {
            assertThat(stages).allSatisfy(s -> assertThat(s.isCancelled()).as("abandoned stage cancelled").isTrue());
        }
        assertNoResourcesHeld(p);
        assertLockFree(stateDir.resolve(GlobalConcurrencyLock.FILE_NAME));
    }

    // --- unusable state directory -----------------------------------------------------------------------------------

    @Test
    void stateDirectoryBehindARegularFileFailsTheFirstCallWithAClearError() throws Exception {
        // A path through a regular file is "not a directory" even for root, unlike permission bits.
        Path blocker = Files.writeString(stateDir.resolve("blocker"), "not a directory");
        Path unusable = blocker.resolve("state");
        CallPipeline p = pipeline(options().stateDir(unusable)
                .env(name -> GlobalConcurrencyLock.ENV_VAR.equals(name) ? "4" : null), provider.dispatch());
        LlmConfig preset = provider.preset().build();

        for (int i = 0; i < 3; i++) {
            CallResponse r = p.call(CallInput.of(preset, LoopbackProvider.message("state-" + i)));
            assertThat(r.success()).isFalse();
            assertThat(r.error()).contains(unusable.resolve("killswitch").toString()).contains("Not a directory");
        }
        CallResponse async = p.callAsync(CallInput.of(preset, LoopbackProvider.message("state-async")))
                .get(5, TimeUnit.SECONDS);
        assertThat(async.error()).contains("Not a directory");
        assertThat(provider.requestCount()).as("an unreadable kill switch must not let traffic through").isZero();
        assertThatThrownBy(() -> p.killSwitch().engage("x")).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(blocker.toString());
        assertThatThrownBy(() -> p.killSwitch().status()).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("Not a directory");
        assertThat(p.isClosed()).isFalse();
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private void runCallers(int threads, ThrowingRunnable body) throws Exception {
        ExecutorService callers = pool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            done.add(callers.submit(() -> {
                start.await();
                body.run();
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get(30, TimeUnit.SECONDS);
        }
    }

    /** No permit in use or waiting, no shared execution left, for every provider. */
    static void assertNoResourcesHeld(CallPipeline p) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            var snap = p.snapshot();
            boolean idle = snap.singleflightInFlight() == 0
                    && snap.semaphores().values().stream().allMatch(s -> s.inFlight() == 0 && s.waiters() == 0);
            if (idle) {
                return;
            }
            if (System.nanoTime() > deadline) {
                Map<String, SemaphoreSnapshot> s = snap.semaphores();
                throw new AssertionError("resources still held: " + s + ", flights " + snap.singleflightInFlight());
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }

    /** Another thread of this JVM can take the cross-process lock at once. */
    static void assertLockFree(Path lockFile) throws Exception {
        GlobalConcurrencyLock other = GlobalConcurrencyLock.atPath(lockFile);
        ExecutorService t = Executors.newSingleThreadExecutor();
        try {
            Future<@Nullable Void> took = t.submit(() -> {
                other.acquire();
                other.release();
                return null;
            });
            took.get(2, TimeUnit.SECONDS);
        } finally {
            t.shutdownNow();
        }
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
