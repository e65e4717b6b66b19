package dev.llmix.fleet;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * One instance's allowance of one fleet budget dimension (docs/fleet-budgets.md): tokens already taken from the shared
 * bucket, spent without Redis while they last. Waiters queue FIFO; at most one top-up is in flight and it reserves the
 * head's shortfall plus a prefetch sized by the EWMA of the grant rate (half-life 5 s), so a busy instance pays far
 * less than one round trip per call. After an idle period without grants the allowance goes back to the bucket (or its
 * debt is repaid).
 */
final class LeasedAllowance {

    /** Where waiters go when a top-up fails on Redis: the budget's DEGRADED fallback. */
    interface Handoff {
        void redisFailed(Throwable cause, List<Waiter> waiters);
    }

    /** One queued acquisition. */
    static final class Waiter {
        final long units;
        final long deadlineNanos;
        final CompletableFuture<Void> future = new CompletableFuture<>();
        /** Set when a reservation with prefetch could not be supplied in time: the retry asks for the shortfall only. */
        boolean bare;
        /** Prefetch included in the head's last reservation. */
        long prefetched;

        Waiter(long units, long deadlineNanos) {
            this.units = units;
            this.deadlineNanos = deadlineNanos;
        }
    }

    /** Thrown into a waiter whose deadline cannot be met; the budget turns it into the call's timeout. */
    static final class DeadlineException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DeadlineException(String dimension) {
            super(dimension, null, false, false);
        }
    }

    /** Thrown into acquisitions after {@link #close()}. */
    static final class ClosedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ClosedException(String dimension) {
            super(dimension, null, false, false);
        }
    }

    private static final double LAMBDA_PER_NANO = Math.log(2) / TimeUnit.SECONDS.toNanos(5);
    private static final long MIN_HISTORY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long NEVER = Long.MIN_VALUE;

    private final String dimension;
    private final SharedBucket bucket;
    private final long capacity;
    private final long leaseAheadNanos;
    private final long idleReturnNanos;
    private final ScheduledExecutorService scheduler;
    private final Executor executor;
    private final LongSupplier nanoClock;
    private final Handoff handoff;

    // All below guarded by this.
    private long allowance;
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private boolean topUpInFlight;
    private double ratePerNano;
    private long rateAtNanos;
    private long lastGrantNanos;
    private long firstGrantNanos = NEVER;
    private @Nullable ScheduledFuture<?> idleTask;
    private boolean closed;
    private long topUps;

    LeasedAllowance(String dimension, SharedBucket bucket, long capacity, long leaseAheadNanos, long idleReturnNanos,
            ScheduledExecutorService scheduler, Executor executor, LongSupplier nanoClock, Handoff handoff) {
        this.dimension = Objects.requireNonNull(dimension, "dimension");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.capacity = capacity;
        this.leaseAheadNanos = leaseAheadNanos;
        this.idleReturnNanos = idleReturnNanos;
        this.scheduler = scheduler;
        this.executor = executor;
        this.nanoClock = nanoClock;
        this.handoff = handoff;
        long now = nanoClock.getAsLong();
        this.rateAtNanos = now;
        this.lastGrantNanos = now;
    }

    String dimension() {
        return dimension;
    }

    /**
     * Takes {@code units}: from the allowance at once when nobody waits and it covers them, otherwise in FIFO order after
     * a top-up. Completes on the executor; fails with {@link DeadlineException} as soon as the shared bucket cannot
     * supply the units before {@code deadlineNanos}.
     */
    CompletableFuture<Void> acquire(long units, long deadlineNanos) {
        long now = nanoClock.getAsLong();
        Waiter w;
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(new ClosedException(dimension));
            }
            if (waiters.isEmpty() && allowance >= units) {
                allowance -= units;
                granted(units, now);
                return CompletableFuture.completedFuture(null);
            }
            if (deadlineNanos - now <= 0) {
                return CompletableFuture.failedFuture(new DeadlineException(dimension));
            }
            w = new Waiter(units, deadlineNanos);
            waiters.add(w);
        }
        armDeadline(w, deadlineNanos - now);
        pump();
        return w.future;
    }

    /** A queued waiter fails at its deadline even when it never became the head (one scheduled task, no thread). */
    private void armDeadline(Waiter w, long delayNanos) {
        try {
            ScheduledFuture<?> timer = scheduler.schedule(() -> {
                boolean removed;
                synchronized (this) {
                    removed = waiters.remove(w);
                }
                if (removed) {
                    complete(List.of(() -> w.future.completeExceptionally(new DeadlineException(dimension))));
                }
            }, delayNanos, TimeUnit.NANOSECONDS);
            w.future.whenComplete((r, e) -> timer.cancel(false));
        } catch (RejectedExecutionException shutDown) {
            // Scheduler gone with the pipeline: the head's reservation still bounds the wait.
        }
    }

    /** Takes {@code units} from the allowance if nobody waits and it covers them; never touches Redis. */
    synchronized boolean tryAcquire(long units) {
        if (closed || !waiters.isEmpty() || allowance < units) {
            return false;
        }
        allowance -= units;
        granted(units, nanoClock.getAsLong());
        return true;
    }

    /** Gives units back to this instance's allowance (a refund: the busy instance spends it itself). */
    void refund(long units) {
        if (units <= 0) {
            return;
        }
        synchronized (this) {
            allowance += units;
            scheduleIdleReturn();
        }
        pump();
    }

    /** Takes units without waiting, possibly into debt (a usage correction above the estimate). */
    synchronized void consumeWithoutWaiting(long units) {
        if (units > 0) {
            allowance -= units;
            scheduleIdleReturn();
        }
    }

    synchronized long allowance() {
        return allowance;
    }

    synchronized int waiting() {
        return waiters.size();
    }

    /** Top-ups started so far (each one reservation on the shared bucket). */
    synchronized long topUps() {
        return topUps;
    }

    /** Removes every waiter (for the DEGRADED fallback) and returns them; the allowance itself stays. */
    List<Waiter> drainWaiters() {
        synchronized (this) {
            List<Waiter> out = new ArrayList<>(waiters);
            waiters.clear();
            return out;
        }
    }

    /** Fails waiters, stops idle returns, and gives the allowance back (or repays its debt). */
    CompletableFuture<Void> close() {
        List<Waiter> failed;
        long back;
        synchronized (this) {
            if (closed) {
                return CompletableFuture.completedFuture(null);
            }
            closed = true;
            failed = new ArrayList<>(waiters);
            waiters.clear();
            back = allowance;
            allowance = 0;
            if (idleTask != null) {
                idleTask.cancel(false);
                idleTask = null;
            }
        }
        for (Waiter w : failed) {
            w.future.completeExceptionally(new ClosedException(dimension));
        }
        return giveBack(back);
    }

    // -----------------------------------------------------------------------------------------------------------

    /** Grants what the allowance covers, fails heads past their deadline, and starts a top-up for the next head. */
    private void pump() {
        List<Runnable> completions = new ArrayList<>();
        Waiter head = null;
        long tokens = 0;
        long maxWait = 0;
        synchronized (this) {
            long now = nanoClock.getAsLong();
            while (!waiters.isEmpty()) {
                Waiter h = waiters.peek();
                if (allowance >= h.units) {
                    waiters.poll();
                    allowance -= h.units;
                    granted(h.units, now);
                    completions.add(() -> h.future.complete(null));
                    continue;
                }
                if (topUpInFlight) {
                    break;
                }
                long wait = h.deadlineNanos - now;
                if (wait <= 0) {
                    waiters.poll();
                    completions.add(() -> h.future.completeExceptionally(new DeadlineException(dimension)));
                    continue;
                }
                head = h;
                h.prefetched = h.bare ? 0 : prefetch(now, h.units);
                tokens = h.units - allowance + h.prefetched;
                maxWait = wait;
                topUpInFlight = true;
                topUps++;
                break;
            }
        }
        complete(completions);
        if (head != null) {
            Waiter h = head;
            long n = tokens;
            CompletableFuture<Boolean> reservation;
            try {
                reservation = bucket.reserve(n, maxWait);
            } catch (RuntimeException e) {
                reservation = CompletableFuture.failedFuture(e);
            }
            reservation.whenComplete((ok, err) -> toppedUp(h, n, ok, err));
        }
    }

    private void toppedUp(Waiter head, long tokens, @Nullable Boolean ok, @Nullable Throwable err) {
        List<Waiter> handedOff = null;
        List<Runnable> completions = new ArrayList<>();
        boolean returnTokens = false;
        synchronized (this) {
            topUpInFlight = false;
            if (err != null) {
                handedOff = new ArrayList<>(waiters);
                waiters.clear();
            } else if (Boolean.TRUE.equals(ok)) {
                if (closed) {
                    returnTokens = true;
                } else {
                    allowance += tokens;
                    scheduleIdleReturn();
                }
            } else if (!head.bare && head.prefetched > 0 && waiters.peek() == head) {
                // The prefetch made the reservation too large for the deadline: try the shortfall alone once.
                head.bare = true;
            } else if (waiters.remove(head)) {
                completions.add(() -> head.future.completeExceptionally(new DeadlineException(dimension)));
            }
        }
        if (returnTokens) {
            giveBack(tokens);
        }
        complete(completions);
        if (handedOff != null) {
            if (!handedOff.isEmpty()) {
                handoff.redisFailed(err, handedOff);
            }
            return;
        }
        pump();
    }

    /**
     * {@code min(floor(rate × lease-ahead), floor(capacity / 2))}, the rate counting the head's units, which this
     * top-up is about to grant (without them a steady stream of n calls/s would always see a rate just below n).
     * Called under the lock.
     */
    private long prefetch(long now, long headUnits) {
        if (leaseAheadNanos <= 0) {
            return 0;
        }
        decayRate(now);
        double rate = ratePerNano + LAMBDA_PER_NANO * headUnits;
        long history = now - firstGrantNanos;
        if (firstGrantNanos != NEVER && history >= MIN_HISTORY_NANOS) {
            // Bias correction: an average started at zero reaches a steady rate only after several half-lives; divided
            // by the weight its history can have gathered, it is exact for a steady stream after one second.
            rate /= 1 - Math.exp(-LAMBDA_PER_NANO * history);
        }
        long byRate = (long) Math.floor(rate * leaseAheadNanos);
        return Math.max(0, Math.min(byRate, capacity / 2));
    }

    /** EWMA of granted units per nanosecond: each grant adds λ·units, the sum decays with half-life 5 s. */
    private void granted(long units, long now) {
        if (firstGrantNanos == NEVER) {
            firstGrantNanos = now;
        }
        decayRate(now);
        ratePerNano += LAMBDA_PER_NANO * units;
        lastGrantNanos = now;
        scheduleIdleReturn();
    }

    private void decayRate(long now) {
        long dt = now - rateAtNanos;
        if (dt > 0) {
            ratePerNano *= Math.exp(-LAMBDA_PER_NANO * dt);
            rateAtNanos = now;
        }
    }

    /** Arms the idle check once; called under the lock. */
    private void scheduleIdleReturn() {
        if (idleTask != null || closed || idleReturnNanos <= 0) {
            return;
        }
        long delay = Math.max(0, lastGrantNanos + idleReturnNanos - nanoClock.getAsLong());
        try {
            idleTask = scheduler.schedule(this::idleCheck, delay, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException shutDown) {
            idleTask = null;
        }
    }

    private void idleCheck() {
        long back;
        synchronized (this) {
            idleTask = null;
            if (closed || allowance == 0) {
                return;
            }
            long now = nanoClock.getAsLong();
            if (!waiters.isEmpty() || topUpInFlight || now - lastGrantNanos < idleReturnNanos) {
                scheduleIdleReturn();
                return;
            }
            back = allowance;
            allowance = 0;
        }
        giveBack(back);
    }

    private CompletableFuture<Void> giveBack(long amount) {
        CompletableFuture<?> sent;
        try {
            if (amount > 0) {
                sent = bucket.give(amount);
            } else if (amount < 0) {
                sent = bucket.takeIgnoringLimits(-amount);
            } else {
                return CompletableFuture.completedFuture(null);
            }
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        // A failed return loses at most one idle allowance: the bucket refills anyway.
        return sent.handle((r, e) -> null);
    }

    private void complete(List<Runnable> completions) {
        for (Runnable r : completions) {
            try {
                executor.execute(r);
            } catch (RejectedExecutionException shutDown) {
                r.run();
            }
        }
    }
}
