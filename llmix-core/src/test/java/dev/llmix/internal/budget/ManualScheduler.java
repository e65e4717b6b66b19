package dev.llmix.internal.budget;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler that records the delay of every task and runs tasks only when the test says so: budgets computed with
 * an injected nano clock are checked by the delays they ask for, without waiting in real time.
 */
final class ManualScheduler extends ScheduledThreadPoolExecutor {

    /** One scheduled task and the delay it asked for. */
    record Task(long delayNanos, Runnable task, ScheduledFuture<?> future) {
    }

    final List<Task> tasks = new ArrayList<>();
    private final List<Long> delays = new ArrayList<>();

    ManualScheduler() {
        super(1);
    }

    @Override
    public synchronized ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        // A real future that never fires on its own, so cancel() behaves as in production.
        ScheduledFuture<?> f = super.schedule(() -> { }, 1, TimeUnit.DAYS);
        tasks.add(new Task(unit.toNanos(delay), command, f));
        delays.add(unit.toNanos(delay));
        return f;
    }

    /** Every delay asked for so far, in order. */
    synchronized List<Long> delays() {
        return new ArrayList<>(delays);
    }

    /** Runs every recorded task that was not cancelled, in order. */
    void runAll() {
        List<Task> copy;
        synchronized (this) {
            copy = new ArrayList<>(tasks);
            tasks.clear();
        }
        for (Task t : copy) {
            if (!t.future().isCancelled()) {
                t.task().run();
            }
        }
    }
}
