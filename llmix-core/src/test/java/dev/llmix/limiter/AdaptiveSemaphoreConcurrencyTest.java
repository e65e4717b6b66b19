package dev.llmix.limiter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * AdaptiveSemaphore under contention (pipeline.md §8): counts, never timing. Concurrently held permits are tracked
 * with an atomic counter and checked against a bound on the window that was in force when they were granted.
 */
class AdaptiveSemaphoreConcurrencyTest {

    private static final int THREADS = 96;
    private static final int ITERATIONS = 300;

    @Test
    void acquireReleaseStormWithRandomFeedbackNeverOverAdmitsAndLeaksNothing() throws Exception {
        int ceiling = 24;
        int floor = 2;
        AdaptiveSemaphore semaphore = new AdaptiveSemaphore(ceiling, floor);
        // Only the feedback thread changes the window. It raises this bound BEFORE any call that may grow the
        // window and never lowers it, so every permit ever granted was granted while window <= bound.
        AtomicInteger bound = new AtomicInteger(ceiling);
        semaphore.onRateLimit();
        semaphore.onRateLimit();
        bound.set(semaphore.window());
        AtomicInteger held = new AtomicInteger();
        AtomicInteger maxHeld = new AtomicInteger();
        AtomicInteger cancelledWaits = new AtomicInteger();
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch workersDone = new CountDownLatch(THREADS);

        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            long seed = t;
            threads.add(new Thread(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                try {
                    start.await();
                    for (int i = 0; i < ITERATIONS; i++) {
                        if (!acquireSomehow(semaphore, random, cancelledWaits)) {
                            continue;
                        }
                        int now = held.incrementAndGet();
                        maxHeld.accumulateAndGet(now, Math::max);
                        int limit = bound.get();
                        if (now > limit) {
                            failures.add(new AssertionError(now + " permits held, window bound " + limit));
                        }
                        if (random.nextInt(4) == 0) {
                            Thread.yield();
                        }
                        held.decrementAndGet();
                        semaphore.release();
                    }
                } catch (Throwable e) {
                    failures.add(e);
                } finally {
                    workersDone.countDown();
                }
            }));
        }
        Thread feedback = new Thread(() -> {
            SplittableRandom random = new SplittableRandom(42);
            WindowModel model = new WindowModel(semaphore.window(), ceiling, floor);
            try {
                start.await();
                while (workersDone.getCount() > 0) {
                    int dice = random.nextInt(10);
                    if (dice < 3) {
                        model.rateLimit();
                        semaphore.onRateLimit();
                    } else if (dice < 6) {
                        bound.accumulateAndGet(model.success(), Math::max);
                        semaphore.onSuccess();
                    } else if (dice < 8) {
                        double remaining = random.nextInt(50, 100);
                        bound.accumulateAndGet(model.header(remaining, 100), Math::max);
                        semaphore.onHeaderFeedback(remaining, 100);
                    } else {
                        double remaining = random.nextInt(0, 3);
                        bound.accumulateAndGet(model.header(remaining, 100), Math::max);
                        semaphore.onHeaderFeedback(remaining, 100);
                    }
                    if (semaphore.window() != model.window) {
                        failures.add(new AssertionError("window " + semaphore.window() + ", model " + model.window));
                    }
                    Thread.yield();
                }
            } catch (Throwable e) {
                failures.add(e);
            }
        });
        threads.forEach(Thread::start);
        feedback.start();
        start.countDown();
        assertThat(workersDone.await(60, TimeUnit.SECONDS)).as("workers finished").isTrue();
        feedback.join(10_000);

        assertThat(failures).isEmpty();
        assertThat(semaphore.inFlight()).isZero();
        assertThat(semaphore.waiters()).isZero();
        assertThat(held.get()).isZero();
        assertThat(maxHeld.get()).isPositive().isLessThanOrEqualTo(bound.get()).isLessThanOrEqualTo(ceiling);
        System.out.println("[concurrency] max held " + maxHeld.get() + ", window bound " + bound.get()
                + ", cancelled waits " + cancelledWaits.get());
    }

    /** Blocking acquire, async acquire, or async acquire then cancel; false when the request was withdrawn. */
    private static boolean acquireSomehow(AdaptiveSemaphore semaphore, SplittableRandom random,
            AtomicInteger cancelledWaits) throws InterruptedException, ExecutionException {
        switch (random.nextInt(3)) {
            case 0 -> {
                semaphore.acquire();
                return true;
            }
            case 1 -> {
                semaphore.acquireAsync().get();
                return true;
            }
            default -> {
                CompletableFuture<Void> future = semaphore.acquireAsync();
                if (future.cancel(false)) {
                    cancelledWaits.incrementAndGet();
                    return false;
                }
                future.get();
                return true;
            }
        }
    }

    @Test
    void fixedWindowIsNeverExceededBy64Threads() throws Exception {
        int window = 5;
        AdaptiveSemaphore semaphore = new AdaptiveSemaphore(window, 1);
        AtomicInteger held = new AtomicInteger();
        AtomicInteger maxHeld = new AtomicInteger();
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 64; t++) {
            threads.add(new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < 200; i++) {
                        try (AdaptiveSemaphore.Permit permit = semaphore.acquirePermit()) {
                            maxHeld.accumulateAndGet(held.incrementAndGet(), Math::max);
                            Thread.yield();
                            held.decrementAndGet();
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        threads.forEach(Thread::start);
        start.countDown();
        for (Thread thread : threads) {
            thread.join(60_000);
            assertThat(thread.isAlive()).isFalse();
        }
        assertThat(failures).isEmpty();
        assertThat(maxHeld.get()).isPositive().isLessThanOrEqualTo(window);
        assertThat(semaphore.inFlight()).isZero();
        assertThat(semaphore.waiters()).isZero();
    }

    @Test
    void closeFailsAll64QueuedWaitersAndNoneHangs() throws Exception {
        AdaptiveSemaphore semaphore = new AdaptiveSemaphore(1, 1);
        assertThat(semaphore.tryAcquire()).isTrue();
        AtomicInteger closedErrors = new AtomicInteger();
        Queue<Throwable> other = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 64; t++) {
            threads.add(new Thread(() -> {
                try {
                    semaphore.acquire();
                    other.add(new AssertionError("acquired after close"));
                } catch (AdaptiveSemaphoreClosedException e) {
                    if ("AdaptiveSemaphore is closed".equals(e.getMessage())) {
                        closedErrors.incrementAndGet();
                    }
                } catch (Throwable e) {
                    other.add(e);
                }
            }));
        }
        threads.forEach(Thread::start);
        AdaptiveSemaphoreTest.awaitWaiters(semaphore, 64);
        semaphore.close();
        for (Thread thread : threads) {
            thread.join(10_000);
            assertThat(thread.isAlive()).as("waiter still blocked after close").isFalse();
        }
        assertThat(other).isEmpty();
        assertThat(closedErrors.get()).isEqualTo(64);
        assertThat(semaphore.waiters()).isZero();
        assertThat(semaphore.inFlight()).isEqualTo(1);
        semaphore.release();
        assertThat(semaphore.inFlight()).isZero();
    }

    @Test
    void cancellationRacingReleaseNeverLeaksAPermit() throws Exception {
        AdaptiveSemaphore semaphore = new AdaptiveSemaphore(1, 1);
        for (int i = 0; i < 2_000; i++) {
            assertThat(semaphore.tryAcquire()).isTrue();
            CompletableFuture<Void> waiter = semaphore.acquireAsync();
            CountDownLatch go = new CountDownLatch(1);
            Thread canceller = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                waiter.cancel(false);
            });
            canceller.start();
            go.countDown();
            semaphore.release();
            canceller.join();
            int expected = waiter.isCancelled() ? 0 : 1;
            assertThat(semaphore.inFlight()).as("iteration %d", i).isEqualTo(expected);
            if (expected == 1) {
                semaphore.release();
            }
            assertThat(semaphore.waiters()).isZero();
        }
    }

    /** The spec's window arithmetic (resilience.md §9.2), for predicting the window from the feedback thread. */
    private static final class WindowModel {
        private int window;
        private final int max;
        private final int min;
        private boolean latch;

        WindowModel(int window, int max, int min) {
            this.window = window;
            this.max = max;
            this.min = min;
        }

        int rateLimit() {
            window = Math.max(window / 2, min);
            return window;
        }

        int success() {
            if (!latch) {
                window = Math.min(window + 1, max);
            }
            return window;
        }

        int header(double remaining, double limit) {
            latch = true;
            double ratio = remaining / limit;
            if (ratio >= 0.1) {
                window = Math.min(window + 1, max);
            } else {
                double target = Math.floor(min + (ratio / 0.1) * (max - min));
                window = (int) Math.max(min, Math.min(max, target));
            }
            return window;
        }
    }
}
