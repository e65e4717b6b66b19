package dev.llmix.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** 64+ threads on one breaker: admission and outcome counts, never timing (resilience.md §2.7). */
class CircuitBreakerConcurrencyTest {

    private static final int THREADS = 64;
    private static final int PERMITTED = 10;

    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    private final FakeNanoClock clock = new FakeNanoClock(0);

    @AfterEach
    void shutdown() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    /** A task that knows which of the racing threads runs it. */
    @FunctionalInterface
    private interface IndexedTask<T> {
        T call(int index) throws Exception;
    }

    private <T> List<T> race(Callable<T> task) throws Exception {
        return race(i -> task.call());
    }

    /** Runs {@code task} on all threads at once and returns each thread's result, in thread-index order. */
    private <T> List<T> race(IndexedTask<T> task) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            int index = i;
            futures.add(pool.submit(() -> {
                start.await();
                return task.call(index);
            }));
        }
        start.countDown();
        List<T> results = new ArrayList<>();
        for (Future<T> f : futures) {
            results.add(f.get(30, TimeUnit.SECONDS));
        }
        return results;
    }

    private static boolean tryCheck(CircuitBreaker b) {
        try {
            b.check();
            return true;
        } catch (CircuitOpenException e) {
            return false;
        }
    }

    @Test
    void concurrentRetryableFailuresOpenOnceAndLaterOnesAreIgnored() throws Exception {
        CircuitBreaker b = new CircuitBreaker("p", "u", new CircuitBreakerConfig(40, Duration.ofHours(1), 1), clock);
        race(() -> {
            b.onFailure(503, false);
            return null;
        });
        CircuitBreakerSnapshot s = b.snapshot();
        assertThat(s.state()).isEqualTo(CircuitState.OPEN);
        assertThat(s.consecutiveFailures()).isEqualTo(40);
    }

    @Test
    void halfOpenAdmitsExactlyThePermittedProbesAndTheirOutcomesDecide() throws Exception {
        CircuitBreaker b = new CircuitBreaker("p", "u",
                new CircuitBreakerConfig(1, Duration.ofMillis(100), PERMITTED), clock);
        for (int round = 0; round < 40; round++) {
            if (b.state() == CircuitState.CLOSED) {
                b.onFailure(503, false);
            }
            clock.advanceMs(b.snapshot().cooldownMs());
            assertThat(b.state()).isEqualTo(CircuitState.HALF_OPEN);
            AtomicInteger successes = new AtomicInteger();
            AtomicInteger failures = new AtomicInteger();
            // Admission first, then outcomes: a decision reached while others still check would admit them CLOSED.
            List<Boolean> admitted = race(() -> tryCheck(b));
            race(i -> {
                if (!admitted.get(i)) {
                    return null;
                }
                switch (ThreadLocalRandom.current().nextInt(5)) {
                    case 0 -> {
                        b.onSuccess();
                        successes.incrementAndGet();
                    }
                    case 1 -> {
                        b.onFailure(403, false); // the server answered: a successful probe
                        successes.incrementAndGet();
                    }
                    case 2 -> {
                        b.onFailure(503, false);
                        failures.incrementAndGet();
                    }
                    case 3 -> {
                        b.onFailure(null, true);
                        failures.incrementAndGet();
                    }
                    default -> {
                        b.cancelProbe();
                        failures.incrementAndGet();
                    }
                }
                return null;
            });
            assertThat(admitted.stream().filter(a -> a).count()).as("round %s admissions", round)
                    .isEqualTo(PERMITTED);
            CircuitBreakerSnapshot s = b.snapshot();
            assertThat(s.halfOpenActive()).isEqualTo(PERMITTED);
            assertThat(s.halfOpenSuccesses()).isEqualTo(successes.get());
            assertThat(s.halfOpenFailures()).isEqualTo(failures.get());
            assertThat(s.state()).isEqualTo(
                    successes.get() > failures.get() ? CircuitState.CLOSED : CircuitState.OPEN);
        }
    }

    @Test
    void duplicateCancelsAndStaleOutcomesNeverCountBeyondAdmittedProbes() throws Exception {
        CircuitBreaker b = new CircuitBreaker("p", "u",
                new CircuitBreakerConfig(1, Duration.ofMillis(100), PERMITTED), clock);
        for (int round = 0; round < 40; round++) {
            if (b.state() == CircuitState.CLOSED) {
                b.onFailure(503, false);
            }
            clock.advanceMs(b.snapshot().cooldownMs());
            List<Boolean> admitted = race(() -> tryCheck(b));
            race(() -> {
                // Every thread, admitted or not, reports something and then cancels as a safety net.
                if (ThreadLocalRandom.current().nextBoolean()) {
                    b.onSuccess();
                } else {
                    b.onFailure(503, false);
                }
                b.cancelProbe();
                return null;
            });
            assertThat(admitted.stream().filter(a -> a).count()).isEqualTo(PERMITTED);
            CircuitBreakerSnapshot s = b.snapshot();
            assertThat(s.state()).isNotEqualTo(CircuitState.HALF_OPEN);
            assertThat(s.halfOpenActive()).isEqualTo(PERMITTED);
            assertThat(s.halfOpenSuccesses() + s.halfOpenFailures()).isEqualTo(PERMITTED);
        }
    }

    @Test
    void randomMixKeepsTheCountersConsistent() throws Exception {
        CircuitBreaker b = new CircuitBreaker("p", "u",
                new CircuitBreakerConfig(3, Duration.ofMillis(5), 4), clock);
        Queue<String> violations = new ConcurrentLinkedQueue<>();
        AtomicInteger admittedTotal = new AtomicInteger();
        race(() -> {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            for (int i = 0; i < 2_000; i++) {
                switch (r.nextInt(8)) {
                    case 0 -> {
                        if (tryCheck(b)) {
                            admittedTotal.incrementAndGet();
                        }
                    }
                    case 1 -> b.onSuccess();
                    case 2 -> b.onFailure(r.nextBoolean() ? 503 : 429, false);
                    case 3 -> b.onFailure(r.nextBoolean() ? 401 : 400, r.nextBoolean());
                    case 4 -> b.cancelProbe();
                    case 5 -> clock.advanceMs(1);
                    case 6 -> {
                        if (r.nextInt(200) == 0) {
                            b.reset();
                        }
                    }
                    default -> {
                        CircuitBreakerSnapshot s = b.snapshot();
                        if (s.halfOpenActive() > 4) {
                            violations.add("admitted " + s.halfOpenActive() + " probes: " + s);
                        }
                        if (s.halfOpenSuccesses() + s.halfOpenFailures() > s.halfOpenActive()) {
                            violations.add("more outcomes than admitted probes: " + s);
                        }
                        if (s.consecutiveFailures() > 3) {
                            violations.add("counted past the threshold: " + s);
                        }
                        long c = s.cooldownMs();
                        if (c < 5 || c > 300_000 || Long.bitCount(c / 5) != 1 || c % 5 != 0) {
                            violations.add("cooldown is not base x 2^k: " + s);
                        }
                    }
                }
            }
            return null;
        });
        assertThat(violations).isEmpty();
        assertThat(admittedTotal.get()).isPositive();
    }
}
