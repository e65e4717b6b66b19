package dev.llmix.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Exchange bounds share one timer: a bound runs its action once it is due, never after it was cancelled. */
class DeadlinesTest {

    private final Deadlines deadlines = new Deadlines(null);

    @Test
    void aDueBoundRunsItsAction() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        deadlines.after(TimeUnit.MILLISECONDS.toNanos(20), ran::countDown);

        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(deadlines.pendingCount()).isZero();
    }

    @Test
    void aCancelledBoundNeverRuns() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        Deadlines.Bound cancelled = deadlines.after(TimeUnit.MILLISECONDS.toNanos(30), () -> ran.add("cancelled"));
        CountDownLatch later = new CountDownLatch(1);
        deadlines.after(TimeUnit.MILLISECONDS.toNanos(60), later::countDown);
        cancelled.cancel();

        assertThat(later.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).isEmpty();
    }

    @Test
    void anEarlierBoundAddedAfterALaterOneRunsFirst() throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch both = new CountDownLatch(2);
        deadlines.after(TimeUnit.MILLISECONDS.toNanos(300), () -> {
            order.add("late");
            both.countDown();
        });
        deadlines.after(TimeUnit.MILLISECONDS.toNanos(10), () -> {
            order.add("early");
            both.countDown();
        });

        assertThat(both.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(order).containsExactly("early", "late");
    }

    @Test
    void boundsThatEndBeforeTheirTimeLeaveNothingPendingAndStartNoThreadEach() {
        long before = java.lang.management.ManagementFactory.getThreadMXBean().getTotalStartedThreadCount();
        for (int i = 0; i < 1_000; i++) {
            deadlines.after(TimeUnit.SECONDS.toNanos(60), () -> { }).cancel();
        }
        long started = java.lang.management.ManagementFactory.getThreadMXBean().getTotalStartedThreadCount() - before;

        assertThat(deadlines.pendingCount()).isZero();
        assertThat(started).as("threads started for 1,000 bounds").isLessThanOrEqualTo(2);
    }

    @Test
    void manyBoundsDueTogetherAllRunOnce() throws Exception {
        int n = 500;
        CountDownLatch ran = new CountDownLatch(n);
        java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
        for (int i = 0; i < n; i++) {
            deadlines.after(TimeUnit.MILLISECONDS.toNanos(5 + i % 20), () -> {
                runs.incrementAndGet();
                ran.countDown();
            });
        }

        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(50);
        assertThat(runs).hasValue(n);
        assertThat(deadlines.pendingCount()).isZero();
    }
}
