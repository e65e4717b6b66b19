package dev.llmix.pipeline;

import dev.llmix.testsupport.ScriptedDispatch;
import dev.llmix.spi.CallInput;
import dev.llmix.spi.ProviderException;
import static dev.llmix.testsupport.ScriptedDispatch.result;
import static dev.llmix.testsupport.ScriptedDispatch.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.keys.KeyPool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 64 threads × 2,000 calls over a dispatch that fails at random (provider errors, rate limits, synchronous network
 * errors, asynchronous completions), with zero back-off. Afterwards every permit is back, no singleflight entry is
 * left, and every call got exactly one response.
 */
class CallPipelineStressTest extends PipelineTestSupport {

    private static final int THREADS = 64;
    private static final int CALLS_PER_THREAD = 2_000;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void everyCallGetsOneResponseAndNoPermitOrFlightIsLeftBehind() throws Exception {
        ExecutorService providerThreads = Executors.newFixedThreadPool(2);
        ScriptedDispatch dispatch = new ScriptedDispatch((ctx, n) -> {
            int roll = ThreadLocalRandom.current().nextInt(10);
            switch (roll) {
                case 0:
                    return CompletableFuture.failedFuture(status(503));
                case 1:
                    return CompletableFuture.failedFuture(status(429));
                case 2:
                    throw ProviderException.network("connection reset", null);
                case 3:
                    return CompletableFuture.failedFuture(status(400));
                case 4:
                    return CompletableFuture.supplyAsync(() -> result("async"), providerThreads);
                default:
                    return CompletableFuture.completedFuture(result("sync"));
            }
        });
        CallPipeline p = pipeline(options().maxRetries(2).retryBaseMs(0).retryMaxDelayMs(0).semaphoreInitial(8)
                .semaphoreMin(2).circuitBreakerCooldown(Duration.ZERO), dispatch);
        p.setKeyPool("openai", new KeyPool(List.of("a1", "a2", "a3")));
        p.setKeyPool("deepinfra", new KeyPool(List.of("d1", "d2", "d3")));

        AtomicLong responses = new AtomicLong();
        AtomicLong successes = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService callers = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            done.add(callers.submit(() -> {
                start.await();
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                for (int i = 0; i < CALLS_PER_THREAD; i++) {
                    String provider = rnd.nextBoolean() ? "openai" : "deepinfra";
                    CallInput in = CallInput.of(config().provider(provider).build(),
                            List.of(Map.of("role", "user", "content", "m" + rnd.nextInt(32))));
                    CallResponse r = p.call(in);
                    if (r != null) {
                        responses.incrementAndGet();
                        if (r.success()) {
                            successes.incrementAndGet();
                        }
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get();
        }
        callers.shutdown();
        providerThreads.shutdown();

        assertThat(responses.get()).isEqualTo((long) THREADS * CALLS_PER_THREAD);
        assertThat(successes.get()).isPositive();
        assertThat(p.singleflightCount()).isZero();
        PipelineSnapshot s = p.snapshot();
        assertThat(s.semaphores()).containsOnlyKeys("openai", "deepinfra");
        s.semaphores().values().forEach(sem -> {
            assertThat(sem.inFlight()).as(sem.provider() + " in flight").isZero();
            assertThat(sem.waiters()).as(sem.provider() + " waiters").isZero();
        });
    }
}
