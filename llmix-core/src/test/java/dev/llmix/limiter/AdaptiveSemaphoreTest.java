package dev.llmix.limiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmix.LlmixLocalException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Acceptance checks 31–38 of resilience.md §13 and the Java permit model of §9.3. */
class AdaptiveSemaphoreTest {

    private static List<Integer> windows(AdaptiveSemaphore semaphore, Runnable... ops) {
        List<Integer> out = new ArrayList<>();
        for (Runnable op : ops) {
            op.run();
            out.add(semaphore.window());
        }
        return out;
    }

    private static void repeat(int times, Runnable op) {
        for (int i = 0; i < times; i++) {
            op.run();
        }
    }

    // --- check 31–36: window arithmetic

    @Test
    void defaultsAre32And4AndRateLimitsHalveDownToTheFloor() {
        AdaptiveSemaphore s = new AdaptiveSemaphore();
        assertThat(s.window()).isEqualTo(32);
        assertThat(s.maxConcurrency()).isEqualTo(32);
        assertThat(s.minConcurrency()).isEqualTo(4);
        assertThat(windows(s, s::onRateLimit, s::onRateLimit, s::onRateLimit, s::onRateLimit, s::onRateLimit))
                .containsExactly(16, 8, 4, 4, 4);
    }

    @Test
    void successAfterRateLimitGrowsByOne() {
        AdaptiveSemaphore s = new AdaptiveSemaphore(10);
        s.onRateLimit();
        s.onSuccess();
        assertThat(s.window()).isEqualTo(6);
    }

    @Test
    void successesStopAtTheCeiling() {
        AdaptiveSemaphore s = new AdaptiveSemaphore(10);
        s.onRateLimit();
        repeat(10, s::onSuccess);
        assertThat(s.window()).isEqualTo(10);
    }

    @Test
    void lowRemainingHeaderScalesTheWindow() {
        AdaptiveSemaphore s = new AdaptiveSemaphore(32);
        s.onHeaderFeedback(25, 500);
        assertThat(s.window()).isEqualTo(18);
    }

    @Test
    void nearZeroRemainingHeaderHitsTheFloor() {
        AdaptiveSemaphore s = new AdaptiveSemaphore(32);
        s.onHeaderFeedback(1, 500);
        assertThat(s.window()).isEqualTo(4);
    }

    @Test
    void healthyHeaderAfterRateLimitGrowsByOne() {
        AdaptiveSemaphore s = new AdaptiveSemaphore(32);
        s.onRateLimit();
        s.onHeaderFeedback(250, 500);
        assertThat(s.window()).isEqualTo(17);
    }

    @Test
    void rateLimitAfterHealthyHeadersHalvesFromTheCeiling() {
        AdaptiveSemaphore s = new AdaptiveSemaphore(32);
        repeat(5, () -> s.onHeaderFeedback(480, 500));
        s.onRateLimit();
        assertThat(s.window()).isEqualTo(16);
    }

    @Test
    void healthyHeadersRecoverOneAtATime() {
        AdaptiveSemaphore s = new AdaptiveSemaphore(32);
        s.onHeaderFeedback(5, 500);
        repeat(10, () -> s.onHeaderFeedback(400, 500));
        assertThat(s.window()).isEqualTo(16);
    }

    @Test
    void headerFeedbackLatchesOffSuccessGrowth() {
        AdaptiveSemaphore s = new AdaptiveSemaphore(10);
        s.onRateLimit();
        s.onHeaderFeedback(450, 500);
        s.onSuccess();
        assertThat(s.window()).isEqualTo(6);
    }

    @Test
    void latchSurvivesRateLimits() {
        AdaptiveSemaphore s = new AdaptiveSemaphore(20, 2);
        Runnable header = () -> s.onHeaderFeedback(50, 100);
        assertThat(windows(s, s::onRateLimit, header, s::onRateLimit, s::onSuccess, s::onSuccess, s::onSuccess,
                header)).containsExactly(10, 11, 5, 5, 5, 5, 6);
    }

    @Test
    void zeroLimitIsIgnoredAndDoesNotLatch() {
        AdaptiveSemaphore s = new AdaptiveSemaphore(10, 2);
        assertThat(windows(s, s::onRateLimit, () -> s.onHeaderFeedback(0, 0), s::onSuccess, s::onSuccess))
                .containsExactly(5, 5, 6, 7);
    }

    @Test
    void ratioOfExactlyTenPercentCountsAsHealthy() {
        AdaptiveSemaphore s = new AdaptiveSemaphore(16, 2);
        assertThat(windows(s, s::onRateLimit, () -> s.onHeaderFeedback(10, 100))).containsExactly(8, 9);
    }

    @Test
    void ratioJustBelowTenPercentScalesDown() {
        AdaptiveSemaphore s = new AdaptiveSemaphore(16, 2);
        s.onHeaderFeedback(999, 10000);
        assertThat(s.window()).isEqualTo(15);
    }

    @Test
    void lowHeaderCanRaiseTheWindow() {
        AdaptiveSemaphore s = new AdaptiveSemaphore(40, 4);
        repeat(3, s::onRateLimit);
        assertThat(s.window()).isEqualTo(5);
        s.onHeaderFeedback(9, 100);
        assertThat(s.window()).isEqualTo(36);
    }

    @Test
    void negativeRemainingClampsToTheFloor() {
        AdaptiveSemaphore s = new AdaptiveSemaphore(32, 4);
        s.onHeaderFeedback(-1, 1000);
        assertThat(s.window()).isEqualTo(4);
    }

    @Test
    void nonFiniteFeedbackYieldingNaNIsIgnored() {
        AdaptiveSemaphore s = new AdaptiveSemaphore(8, 8);
        s.onHeaderFeedback(Double.NEGATIVE_INFINITY, 100);
        s.onHeaderFeedback(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
        s.onHeaderFeedback(1, Double.NaN);
        s.onRateLimit();
        assertThat(s.window()).isEqualTo(8);
        AdaptiveSemaphore t = new AdaptiveSemaphore(10, 2);
        t.onRateLimit();
        t.onHeaderFeedback(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
        t.onSuccess();
        assertThat(t.window()).as("ignored feedback does not latch").isEqualTo(6);
    }

    @Test
    void fpTrapTargetsFollowTheReferenceOrderOfOperations() {
        assertThat(windowAfterHeader(32, 1, 3, 31)).isEqualTo(30);
        assertThat(windowAfterHeader(32, 1, 11, 155)).isEqualTo(22);
        assertThat(windowAfterHeader(32, 1, 21, 465)).isEqualTo(14);
        assertThat(windowAfterHeader(32, 4, 3, 31)).isEqualTo(31);
        assertThat(windowAfterHeader(100, 2, 7, 310)).isEqualTo(24);
        assertThat(windowAfterHeader(256, 16, 2, 100)).isEqualTo(63);
    }

    private static int windowAfterHeader(int initial, int min, double remaining, double limit) {
        AdaptiveSemaphore s = new AdaptiveSemaphore(initial, min);
        s.onHeaderFeedback(remaining, limit);
        return s.window();
    }

    // --- check 37: constructor

    @Test
    void constructorRejectsFloorBelowOne() {
        assertThatThrownBy(() -> new AdaptiveSemaphore(4, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("minConcurrency must be >= 1");
    }

    @Test
    void constructorRejectsFloorAboveInitial() {
        assertThatThrownBy(() -> new AdaptiveSemaphore(4, 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("minConcurrency must be <= initial");
        assertThatThrownBy(() -> new AdaptiveSemaphore(2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("minConcurrency must be <= initial");
    }

    @Test
    void constructorChecksInitialFirst() {
        assertThatThrownBy(() -> new AdaptiveSemaphore(0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("initial must be >= 1");
    }

    // --- check 38: permits

    @Test
    void thirdAcquireWaitsUntilARelease() {
        AdaptiveSemaphore s = new AdaptiveSemaphore(2, 1);
        assertThat(s.acquireAsync()).isCompleted();
        assertThat(s.acquireAsync()).isCompleted();
        CompletableFuture<Void> third = s.acquireAsync();
        assertThat(third).isNotDone();
        assertThat(s.waiters()).isEqualTo(1);
        s.release();
        assertThat(third).isCompletedWithValue(null);
        assertThat(s.inFlight()).isEqualTo(2);
        assertThat(s.waiters()).isZero();
    }

    @Test
    void shrinkDelaysAdmissionUntilInFlightDropsBelowTheNewWindow() {
        AdaptiveSemaphore s = new AdaptiveSemaphore(4, 1);
        repeat(4, () -> assertThat(s.acquireAsync()).isCompleted());
        s.onRateLimit();
        assertThat(s.window()).isEqualTo(2);
        CompletableFuture<Void> waiter = s.acquireAsync();
        assertThat(waiter).isNotDone();
        s.release();
        s.release();
        assertThat(waiter).isNotDone();
        assertThat(s.availablePermits()).isZero();
        s.release();
        assertThat(waiter).isCompleted();
        assertThat(s.inFlight()).isEqualTo(2);
    }

    @Test
    void closeFailsQueuedWaitersAndLaterAcquires() {
        AdaptiveSemaphore s = new AdaptiveSemaphore(4, 1);
        repeat(4, () -> s.acquireAsync());
        s.onRateLimit();
        repeat(4, s::release);
        assertThat(s.acquireAsync()).isCompleted();
        assertThat(s.acquireAsync()).isCompleted();
        CompletableFuture<Void> third = s.acquireAsync();
        assertThat(third).isNotDone();
        s.close();
        assertThat(third).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(AdaptiveSemaphoreClosedException.class)
                .withMessageContaining("AdaptiveSemaphore is closed");
        assertThat(s.acquireAsync()).isCompletedExceptionally();
        assertThatThrownBy(s::acquire).isInstanceOf(AdaptiveSemaphoreClosedException.class)
                .isInstanceOf(LlmixLocalException.class).hasMessage("AdaptiveSemaphore is closed");
        assertThatThrownBy(s::tryAcquire).isInstanceOf(AdaptiveSemaphoreClosedException.class);
        assertThat(s.waiters()).isZero();
    }

    @Test
    void closeFreezesTheWindowButReleaseStillWorks() {
        AdaptiveSemaphore s = new AdaptiveSemaphore(8, 2);
        s.tryAcquire();
        s.close();
        s.close();
        s.onRateLimit();
        s.onHeaderFeedback(1, 100);
        s.onSuccess();
        assertThat(s.window()).isEqualTo(8);
        assertThat(s.isClosed()).isTrue();
        s.release();
        assertThat(s.inFlight()).isZero();
    }

    @Test
    void growthAdmitsWaitersAtOnce() {
        AdaptiveSemaphore s = new AdaptiveSemaphore(4, 1);
        s.onRateLimit();
        s.onRateLimit();
        assertThat(s.window()).isEqualTo(1);
        s.tryAcquire();
        CompletableFuture<Void> a = s.acquireAsync();
        CompletableFuture<Void> b = s.acquireAsync();
        s.onSuccess();
        assertThat(a).isCompleted();
        assertThat(b).isNotDone();
        s.onHeaderFeedback(9, 100);
        assertThat(s.window()).isEqualTo(3);
        assertThat(b).isCompleted();
        assertThat(s.inFlight()).isEqualTo(3);
    }

    @Test
    void waitersAreAdmittedInFifoOrder() {
        AdaptiveSemaphore s = new AdaptiveSemaphore(1, 1);
        s.tryAcquire();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int id = i;
            s.acquireAsync().thenRun(() -> order.add(id));
        }
        repeat(5, s::release);
        assertThat(order).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void tryAcquireDoesNotJumpTheQueue() {
        AdaptiveSemaphore s = new AdaptiveSemaphore(2, 1);
        s.tryAcquire();
        s.tryAcquire();
        s.acquireAsync();
        s.onRateLimit();
        s.onSuccess();
        assertThat(s.tryAcquire()).isFalse();
    }

    @Test
    void unmatchedReleaseIsHarmless() {
        AdaptiveSemaphore s = new AdaptiveSemaphore(2, 1);
        s.release();
        assertThat(s.inFlight()).isZero();
        assertThat(s.availablePermits()).isEqualTo(2);
    }

    @Test
    void cancelledWaiterIsSkippedWithoutConsumingAPermit() {
        AdaptiveSemaphore s = new AdaptiveSemaphore(1, 1);
        s.tryAcquire();
        CompletableFuture<Void> cancelled = s.acquireAsync();
        CompletableFuture<Void> next = s.acquireAsync();
        assertThat(s.waiters()).isEqualTo(2);
        cancelled.cancel(false);
        assertThat(s.waiters()).isEqualTo(1);
        s.release();
        assertThat(next).isCompleted();
        assertThat(s.inFlight()).isEqualTo(1);
        s.release();
        assertThat(s.inFlight()).isZero();
    }

    @Test
    void abandonedRequestHasLeftTheQueueWhenItsDependentsRun() {
        AdaptiveSemaphore s = new AdaptiveSemaphore(1, 1);
        s.tryAcquire();
        CompletableFuture<Void> request = s.acquireAsync();
        AtomicReference<Integer> waitersSeenByDependent = new AtomicReference<>();
        request.whenComplete((ignored, failure) -> waitersSeenByDependent.set(s.waiters()));

        assertThat(s.abandon(request, new IllegalStateException("deadline"))).isTrue();

        assertThat(waitersSeenByDependent.get()).isZero();
        assertThat(request).isCompletedExceptionally();
        s.release();
        assertThat(s.inFlight()).isZero();
    }

    @Test
    void abandoningAGrantedRequestKeepsItsPermit() {
        AdaptiveSemaphore s = new AdaptiveSemaphore(1, 1);
        CompletableFuture<Void> granted = s.acquireAsync();

        assertThat(s.abandon(granted, new IllegalStateException("too late"))).isFalse();

        assertThat(granted).isCompleted();
        assertThat(s.inFlight()).isEqualTo(1);
    }

    @Test
    void cancellationRacingAdmissionReturnsThePermit() {
        // The waiter is admitted under the lock, then cancelled before the semaphore completes it.
        AdaptiveSemaphore s = new AdaptiveSemaphore(1, 1, CancelledOnGrant::new);
        s.tryAcquire();
        CompletableFuture<Void> racing = s.acquireAsync();
        s.release();
        assertThat(racing).isCancelled();
        assertThat(s.inFlight()).isZero();
        assertThat(s.waiters()).isZero();
        assertThat(s.availablePermits()).isEqualTo(1);
    }

    @Test
    void cancellationRacingAdmissionPassesThePermitToTheNextWaiter() {
        java.util.Iterator<CompletableFuture<Void>> futures =
                List.<CompletableFuture<Void>>of(new CancelledOnGrant(), new CompletableFuture<>()).iterator();
        AdaptiveSemaphore s = new AdaptiveSemaphore(1, 1, futures::next);
        s.tryAcquire();
        CompletableFuture<Void> racing = s.acquireAsync();
        CompletableFuture<Void> next = s.acquireAsync();
        s.release();
        assertThat(racing).isCancelled();
        assertThat(next).isCompletedWithValue(null);
        assertThat(s.inFlight()).isEqualTo(1);
        assertThat(s.waiters()).isZero();
    }

    @Test
    void futureCompletedByItsCallerIsSkipped() {
        AdaptiveSemaphore s = new AdaptiveSemaphore(1, 1);
        s.tryAcquire();
        CompletableFuture<Void> abandoned = s.acquireAsync();
        abandoned.complete(null);
        s.release();
        assertThat(s.inFlight()).isZero();
    }

    @Test
    void interruptedAcquireWithdrawsTheRequestAndRestoresTheFlag() throws Exception {
        AdaptiveSemaphore s = new AdaptiveSemaphore(1, 1);
        s.tryAcquire();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> flag = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                s.acquire();
            } catch (Throwable e) {
                thrown.set(e);
                flag.set(Thread.currentThread().isInterrupted());
            }
        });
        t.start();
        awaitWaiters(s, 1);
        t.interrupt();
        t.join(10_000);
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        assertThat(flag.get()).isTrue();
        assertThat(s.waiters()).isZero();
        s.release();
        assertThat(s.inFlight()).isZero();
    }

    @Test
    void permitHandleReleasesExactlyOnce() throws Exception {
        AdaptiveSemaphore s = new AdaptiveSemaphore(2, 1);
        try (AdaptiveSemaphore.Permit permit = s.acquirePermit()) {
            assertThat(s.inFlight()).isEqualTo(1);
            permit.close();
        }
        assertThat(s.inFlight()).isZero();
    }

    @Test
    void toStringShowsTheState() {
        AdaptiveSemaphore s = new AdaptiveSemaphore(8, 2);
        s.tryAcquire();
        assertThat(s).hasToString("AdaptiveSemaphore[window=8, max=8, min=2, inFlight=1, waiters=0]");
    }

    static void awaitWaiters(AdaptiveSemaphore s, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (s.waiters() < count) {
            assertThat(System.nanoTime()).as("waiting for %d waiters", count).isLessThan(deadline);
            Thread.sleep(1);
        }
    }

    /** Simulates a caller cancelling in the gap between admission (under the lock) and completion. */
    private static final class CancelledOnGrant extends CompletableFuture<Void> {
        @Override
        public boolean complete(Void value) {
            cancel(false);
            return super.complete(value);
        }
    }
}
