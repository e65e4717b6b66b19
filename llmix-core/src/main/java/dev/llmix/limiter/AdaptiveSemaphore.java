package dev.llmix.limiter;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * An AIMD (additive-increase, multiplicative-decrease) limiter for one provider: a window of concurrent calls that
 * halves on a 429, grows by one on success, and follows OpenAI rate-limit headers once they are seen
 * (docs/pipeline.md).
 *
 * <p>Permits follow the spec's Java model: free permits are always {@code max(0, window − inFlight)}. Acquirers queue
 * in FIFO order; a growth admits waiters at once, a shrink only delays admissions until enough holders release.
 * After {@link #close()} every waiter and every later acquisition fails with {@link AdaptiveSemaphoreClosedException}.
 * All operations are atomic; futures are completed outside the internal lock, so their callbacks never run under it.
 */
public final class AdaptiveSemaphore implements AutoCloseable {

    /** Default starting window and ceiling. */
    public static final int DEFAULT_INITIAL = 32;

    /** Default floor. */
    public static final int DEFAULT_MIN_CONCURRENCY = 4;

    /**
     * Largest accepted starting window (and ceiling). Far beyond any real provider's concurrency; bounding it keeps
     * every window computation well inside {@code int} (docs/reliability.md, hostile input).
     */
    public static final int MAX_INITIAL = 1_000_000;

    /** Below this fraction of remaining requests, header feedback scales the window down. */
    private static final double HEADER_BACKOFF_THRESHOLD = 0.1;

    private final Object lock = new Object();
    private final int maxConcurrency;
    private final int minConcurrency;
    private final Supplier<CompletableFuture<Void>> waiterFactory;
    private final ArrayDeque<CompletableFuture<Void>> waiters = new ArrayDeque<>();
    private int window;
    private int inFlight;
    private volatile @Nullable WindowObserver observer;
    /** Set by the first header feedback with a positive limit; from then on {@link #onSuccess()} does nothing. */
    private boolean headerLatch;
    private boolean closed;

    /** A semaphore with the defaults: window and ceiling 32, floor 4. */
    public AdaptiveSemaphore() {
        this(DEFAULT_INITIAL, DEFAULT_MIN_CONCURRENCY);
    }

    /** A semaphore with window and ceiling {@code initial} and the default floor 4. */
    public AdaptiveSemaphore(int initial) {
        this(initial, DEFAULT_MIN_CONCURRENCY);
    }

    /**
     * A semaphore whose window starts at (and never exceeds) {@code initial} and never drops below
     * {@code minConcurrency}.
     *
     * @throws IllegalArgumentException {@code initial must be >= 1}, {@code minConcurrency must be >= 1} or
     *                                  {@code minConcurrency must be <= initial}, checked in that order
     */
    public AdaptiveSemaphore(int initial, int minConcurrency) {
        this(initial, minConcurrency, CompletableFuture::new);
    }

    /** Test seam: lets a test supply the waiter futures to reproduce races deterministically. */
    AdaptiveSemaphore(int initial, int minConcurrency, Supplier<CompletableFuture<Void>> waiterFactory) {
        if (initial < 1) {
            throw new IllegalArgumentException("initial must be >= 1");
        }
        if (minConcurrency < 1) {
            throw new IllegalArgumentException("minConcurrency must be >= 1");
        }
        if (minConcurrency > initial) {
            throw new IllegalArgumentException("minConcurrency must be <= initial");
        }
        if (initial > MAX_INITIAL) {
            throw new IllegalArgumentException("initial must be <= " + MAX_INITIAL);
        }
        this.maxConcurrency = initial;
        this.minConcurrency = minConcurrency;
        this.window = initial;
        this.waiterFactory = waiterFactory;
    }

    /**
     * Requests a permit. The future is already complete when a permit was free and nobody was queued; otherwise it
     * completes when the permit is granted (FIFO), or fails with {@link AdaptiveSemaphoreClosedException} on close.
     * Cancelling (or otherwise completing) a pending future withdraws the request without consuming a permit. Every
     * future that completes normally holds one permit, to be given back with {@link #release()}.
     */
    public CompletableFuture<Void> acquireAsync() {
        CompletableFuture<Void> waiter;
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(new AdaptiveSemaphoreClosedException());
            }
            if (waiters.isEmpty() && inFlight < window) {
                inFlight++;
                return CompletableFuture.completedFuture(null);
            }
            waiter = waiterFactory.get();
            waiters.addLast(waiter);
        }
        // Withdraw a request its caller abandoned, so waiters() stays accurate; admission skips it anyway.
        waiter.whenComplete((ignored, failure) -> {
            if (failure != null) {
                synchronized (lock) {
                    waiters.remove(waiter);
                }
            }
        });
        return waiter;
    }

    /**
     * Withdraws a pending request from {@link #acquireAsync()}, failing it with {@code reason}. Unlike completing the
     * future yourself, the request leaves the queue before any of the future's dependents run, so {@link #waiters()}
     * is already accurate when they do. A request granted in the meantime keeps its permit (returns {@code false}).
     *
     * @return whether the request was withdrawn
     */
    public boolean abandon(CompletableFuture<Void> request, Throwable reason) {
        synchronized (lock) {
            waiters.remove(request);
        }
        // A grant racing with this returns its permit (see grant()).
        return request.completeExceptionally(reason);
    }

    /**
     * Blocks until a permit is granted. On interruption the request is withdrawn (a permit granted concurrently is
     * given back), the thread's interrupt flag is set again, and {@link InterruptedException} is thrown.
     *
     * @throws AdaptiveSemaphoreClosedException when the semaphore is or becomes closed
     */
    public void acquire() throws InterruptedException {
        CompletableFuture<Void> future = acquireAsync();
        try {
            future.get();
        } catch (InterruptedException e) {
            if (!future.cancel(false) && !future.isCompletedExceptionally()) {
                release();
            }
            Thread.currentThread().interrupt();
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AdaptiveSemaphoreClosedException) {
                throw new AdaptiveSemaphoreClosedException();
            }
            throw new IllegalStateException("Unexpected acquisition failure", e.getCause());
        }
    }

    /**
     * Acquires a permit for use in try-with-resources; closing the returned handle releases it (once).
     *
     * @throws AdaptiveSemaphoreClosedException when the semaphore is or becomes closed
     */
    public Permit acquirePermit() throws InterruptedException {
        acquire();
        return new Permit(this);
    }

    /**
     * Takes a permit only if one is free and nobody is queued.
     *
     * @return whether a permit was taken
     * @throws AdaptiveSemaphoreClosedException when the semaphore is closed
     */
    public boolean tryAcquire() {
        synchronized (lock) {
            if (closed) {
                throw new AdaptiveSemaphoreClosedException();
            }
            if (waiters.isEmpty() && inFlight < window) {
                inFlight++;
                return true;
            }
            return false;
        }
    }

    /**
     * Gives a permit back and admits queued waiters while the window allows. An unmatched release is harmless (the
     * in-flight count never drops below zero). Works after {@link #close()} too.
     */
    public void release() {
        List<CompletableFuture<Void>> admitted;
        synchronized (lock) {
            if (inFlight > 0) {
                inFlight--;
            }
            admitted = admitLocked();
        }
        grant(admitted);
    }

    /** Additive increase: window + 1 up to the ceiling, unless closed or rate-limit headers have been seen. */
    public void onSuccess() {
        List<CompletableFuture<Void>> admitted;
        int before;
        int after;
        synchronized (lock) {
            if (closed || headerLatch) {
                return;
            }
            before = window;
            admitted = setWindowLocked(grown(window));
            after = window;
        }
        grant(admitted);
        changed(before, after);
    }

    /** Multiplicative decrease on a 429: window = max(floor(window / 2), floor). Ignored when closed. */
    public void onRateLimit() {
        int before;
        int after;
        synchronized (lock) {
            if (closed) {
                return;
            }
            before = window;
            // A shrink admits nobody, so there is nothing to grant.
            window = Math.max(window / 2, minConcurrency);
            after = window;
        }
        changed(before, after);
    }

    /** Sets who is told (outside the lock) about each window change; {@code null} for nobody. */
    void observeWindow(@Nullable WindowObserver observer) {
        this.observer = observer;
    }

    private void changed(int before, int after) {
        WindowObserver o = observer;
        if (o != null && before != after) {
            o.windowChanged(before, after);
        }
    }

    /** Receives window changes; set by {@link LimiterRegistry}. */
    interface WindowObserver {
        void windowChanged(int from, int to);
    }

    /**
     * Header-driven sizing. Ignored when closed or when {@code limit <= 0} (or NaN). With
     * {@code ratio = remaining / limit}: {@code ratio >= 0.1} grows the window by one (up to the ceiling); a lower
     * ratio sets it to {@code floor(min + (ratio / 0.1) * (max - min))}, clamped to [min, max] — which may raise it.
     * Evaluated in binary64 in exactly that order, as the reference does. Also stops {@link #onSuccess()} growth for
     * good. Feedback yielding NaN (infinite inputs) is ignored.
     */
    public void onHeaderFeedback(double remaining, double limit) {
        if (!(limit > 0)) {
            return;
        }
        double ratio = remaining / limit;
        boolean healthy = ratio >= HEADER_BACKOFF_THRESHOLD;
        // The order of operations is the reference's; ratio * 10 or exact rationals differ on the fp-trap vectors.
        double scale = ratio / HEADER_BACKOFF_THRESHOLD;
        double scaled = Math.floor(minConcurrency + scale * (double) (maxConcurrency - minConcurrency));
        if (Double.isNaN(ratio) || (!healthy && Double.isNaN(scaled))) {
            return;
        }
        List<CompletableFuture<Void>> admitted;
        int before;
        int after;
        synchronized (lock) {
            if (closed) {
                return;
            }
            headerLatch = true;
            before = window;
            int target = healthy ? grown(window) : (int) Math.max(minConcurrency, Math.min(maxConcurrency, scaled));
            admitted = setWindowLocked(target);
            after = window;
        }
        grant(admitted);
        changed(before, after);
    }

    /**
     * Closes the semaphore: every queued waiter fails with {@link AdaptiveSemaphoreClosedException}, later
     * acquisitions fail at once, feedback no longer changes the window; {@link #release()} keeps working. Idempotent.
     */
    @Override
    public void close() {
        List<CompletableFuture<Void>> failed;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            failed = new ArrayList<>(waiters);
            waiters.clear();
        }
        for (CompletableFuture<Void> waiter : failed) {
            waiter.completeExceptionally(new AdaptiveSemaphoreClosedException());
        }
    }

    /** The current window: how many permits may be held at once. */
    public int window() {
        synchronized (lock) {
            return window;
        }
    }

    /** The ceiling (= the initial window). */
    public int maxConcurrency() {
        return maxConcurrency;
    }

    /** The floor. */
    public int minConcurrency() {
        return minConcurrency;
    }

    /** Permits currently held. */
    public int inFlight() {
        synchronized (lock) {
            return inFlight;
        }
    }

    /** Free permits: {@code max(0, window − inFlight)}. */
    public int availablePermits() {
        synchronized (lock) {
            return Math.max(0, window - inFlight);
        }
    }

    /** Acquirers currently queued. */
    public int waiters() {
        synchronized (lock) {
            return waiters.size();
        }
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "AdaptiveSemaphore[window=" + window + ", max=" + maxConcurrency + ", min=" + minConcurrency
                    + ", inFlight=" + inFlight + ", waiters=" + waiters.size() + (closed ? ", closed" : "") + "]";
        }
    }

    private List<CompletableFuture<Void>> setWindowLocked(int target) {
        int clamped = Math.max(minConcurrency, Math.min(maxConcurrency, target));
        boolean grew = clamped > window;
        window = clamped;
        return grew ? admitLocked() : List.of();
    }

    /** {@code window + 1}, saturating: never wraps to a negative window whatever the ceiling. */
    private static int grown(int window) {
        return window == Integer.MAX_VALUE ? window : window + 1;
    }

    /** Dequeues waiters while the window has room, counting a permit for each; the caller completes them unlocked. */
    private List<CompletableFuture<Void>> admitLocked() {
        List<CompletableFuture<Void>> admitted = List.of();
        while (inFlight < window && !waiters.isEmpty()) {
            CompletableFuture<Void> waiter = waiters.pollFirst();
            if (waiter.isDone()) {
                continue; // abandoned by its caller: no permit
            }
            if (admitted.isEmpty()) {
                admitted = new ArrayList<>(2);
            }
            admitted.add(waiter);
            inFlight++;
        }
        return admitted;
    }

    private void grant(List<CompletableFuture<Void>> admitted) {
        for (CompletableFuture<Void> waiter : admitted) {
            if (!waiter.complete(null)) {
                // Cancelled between admission and completion: the permit counted for it goes back.
                release();
            }
        }
    }

    /** A held permit; {@link #close()} releases it exactly once. */
    public static final class Permit implements AutoCloseable {

        private final AdaptiveSemaphore semaphore;
        private final AtomicBoolean released = new AtomicBoolean();

        private Permit(AdaptiveSemaphore semaphore) {
            this.semaphore = semaphore;
        }

        /** Releases the permit; later calls do nothing. */
        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                semaphore.release();
            }
        }
    }
}
