package dev.llmix.internal;

import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Time bounds of exchanges and attempts behind one timer. Almost every exchange ends long before its bound, so arming
 * a timer per exchange (as {@code CompletableFuture.orTimeout} does) wakes the timer thread on every call for nothing,
 * and on a small virtual machine each wake-up is a pair of context switches. Here the timer is armed only for the
 * earliest pending bound: a later bound, the usual case for calls with the same timeout, joins the set without
 * touching the timer; an exchange that ends removes its bound (docs/performance.md, "Streaming: the first chunk and
 * the stream's timers"). Not part of the supported API.
 */
public final class Deadlines {

    /** The instance the built-in adapters share, with its own timer thread. */
    public static final Deadlines SHARED = new Deadlines(null);

    /** A pending bound; {@link #cancel()} removes it once the exchange has ended. */
    public interface Bound {
        /** Withdraws the bound; its action will not run unless it already has. */
        void cancel();
    }

    private final ConcurrentSkipListSet<Entry> pending = new ConcurrentSkipListSet<>();
    private final AtomicLong sequence = new AtomicLong();
    /** Written under this monitor. */
    private @Nullable ScheduledExecutorService timer;
    /** Whether a timer is armed, and the time it fires at; written under this monitor. */
    private volatile boolean isArmed;
    private volatile long armedAt;
    private @Nullable ScheduledFuture<?> armed;

    /**
     * Bounds on {@code timer} (a pipeline's scheduler, so a closed pipeline arms nothing more), or on a daemon timer
     * thread of its own when null.
     */
    public Deadlines(@Nullable ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /**
     * Runs {@code action} on the timer thread after {@code nanos}, unless the returned bound is cancelled first. The
     * action must be short and must not block.
     *
     * @throws java.util.concurrent.RejectedExecutionException when the timer had to be armed and has been shut down
     */
    public Bound after(long nanos, Runnable action) {
        long at = System.nanoTime() + Math.max(0, nanos);
        Entry entry = new Entry(this, at, sequence.incrementAndGet(), action);
        pending.add(entry);
        if (earlierThanArmed(at)) {
            synchronized (this) {
                if (earlierThanArmed(at)) {
                    arm(at);
                }
            }
        }
        return entry;
    }

    /** Bounds pending now (for tests). */
    int pendingCount() {
        return pending.size();
    }

    /** Compared as differences: {@code System.nanoTime()} values may be negative and may wrap. */
    private boolean earlierThanArmed(long at) {
        return !isArmed || at - armedAt < 0;
    }

    private void arm(long at) {
        ScheduledFuture<?> next = timer().schedule(this::fire, Math.max(0, at - System.nanoTime()),
                TimeUnit.NANOSECONDS);
        ScheduledFuture<?> previous = armed;
        if (previous != null) {
            previous.cancel(false);
        }
        armed = next;
        armedAt = at;
        isArmed = true;
    }

    private ScheduledExecutorService timer() {
        ScheduledExecutorService t = timer;
        if (t == null) {
            ScheduledThreadPoolExecutor own = new ScheduledThreadPoolExecutor(1,
                    DaemonThreads.named("llmix-deadlines"));
            own.setRemoveOnCancelPolicy(true);
            timer = own;
            t = own;
        }
        return t;
    }

    private void fire() {
        synchronized (this) {
            armed = null;
            isArmed = false;
        }
        long now = System.nanoTime();
        Entry first;
        while ((first = firstOrNull()) != null && first.at - now <= 0) {
            if (pending.remove(first)) {
                try {
                    first.action.run();
                } catch (RuntimeException | Error e) {
                    Thread t = Thread.currentThread();
                    t.getUncaughtExceptionHandler().uncaughtException(t, e);
                }
            }
        }
        // A bound added while the loop ran and earlier than any armed timer armed one itself; the rest wait here.
        Entry next = firstOrNull();
        if (next != null) {
            synchronized (this) {
                if (earlierThanArmed(next.at) && pending.contains(next)) {
                    try {
                        arm(next.at);
                    } catch (RejectedExecutionException shutDown) {
                        // The pipeline that owns the timer has closed: its calls are failed by the close.
                    }
                }
            }
        }
    }

    private @Nullable Entry firstOrNull() {
        if (pending.isEmpty()) {
            return null;
        }
        try {
            return pending.first();
        } catch (java.util.NoSuchElementException removedMeanwhile) {
            return null;
        }
    }

    private static final class Entry implements Bound, Comparable<Entry> {
        private final Deadlines owner;
        final long at;
        private final long seq;
        final Runnable action;

        Entry(Deadlines owner, long at, long seq, Runnable action) {
            this.owner = owner;
            this.at = at;
            this.seq = seq;
            this.action = action;
        }

        @Override
        public void cancel() {
            owner.pending.remove(this);
        }

        @Override
        public int compareTo(Entry o) {
            long d = at - o.at;
            if (d != 0) {
                return d < 0 ? -1 : 1;
            }
            return Long.compare(seq, o.seq);
        }
    }
}
