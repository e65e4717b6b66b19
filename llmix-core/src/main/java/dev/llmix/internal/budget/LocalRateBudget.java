package dev.llmix.internal.budget;

import dev.llmix.budget.BudgetCost;
import dev.llmix.budget.BudgetDimension;
import dev.llmix.budget.BudgetEnvironment;
import dev.llmix.budget.BudgetGrant;
import dev.llmix.budget.BudgetLimits;
import dev.llmix.budget.BudgetMode;
import dev.llmix.budget.BudgetScope;
import dev.llmix.budget.BudgetTimeoutException;
import dev.llmix.budget.RateBudget;
import dev.llmix.budget.RateBudgetClosedException;
import dev.llmix.budget.RateBudgetSnapshot;
import dev.llmix.budget.RateLimitObservation;
import dev.llmix.spi.LlmUsage;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A LOCAL rate budget (docs/rate-limits.md): one Resilience4j {@link AtomicRateLimiter} per configured dimension with
 * {@code limitForPeriod = capacity} and {@code limitRefreshPeriod = 1 min × capacity / limit}, so the mean rate is
 * exactly the limit. Under one lock per budget (grants are FIFO) an acquisition spends unexpired credit and reserves
 * the rest: {@code reservePermission} never blocks and either grants now, names the delay (the grant is scheduled, no
 * thread waits), or refuses (a local timeout now). {@code acquirePermission} parks the calling thread and is never used.
 *
 * <p>The limiters' timeout stays zero, so the first {@code reservePermission} of a dimension grants at once or takes
 * nothing; only a request that has to wait sets the timeout to the time left before its deadline, reserves again and
 * resets it (each timeout change builds a new {@code RateLimiterConfig}). An immediate grant reads the clock once and
 * allocates only its grant and its completed future (docs/performance.md, rate budgets).
 */
public final class LocalRateBudget implements RateBudget {

    /** Positive usage corrections may wait this long: in practice they always reserve (debt). */
    private static final long DEBT_TIMEOUT_NANOS = Duration.ofHours(24).toNanos();
    private static final long MINUTE_NANOS = 60_000_000_000L;
    private static final AtomicIntegerFieldUpdater<Grant> SETTLED = AtomicIntegerFieldUpdater.newUpdater(
            Grant.class, "settled");

    private final BudgetScope scope;
    private final String id;
    private final BudgetMode mode;
    private final BudgetLimits limits;
    private final BudgetEnvironment env;
    private final LongSupplier clock;
    private final Dim[] dims;
    private final long learnWindowNanos;
    private final Object lock = new Object();
    private final Set<Pending> pending = ConcurrentHashMap.newKeySet();
    /** Per dimension, what the acquisition in progress took from credit and how long it waits; guarded by lock. */
    private final long[] scratchCredit;
    private final long[] scratchDelay;
    /** {@code true} when a token dimension is configured: only those are corrected when a grant is settled. */
    private final boolean hasTokens;
    private volatile boolean closed;
    /** Earliest expiry of a learned limit, checked lazily on the acquisition path. */
    private long nextLearnExpiry;
    private boolean anyLearned;

    /** A budget of {@code scope} reporting {@code mode} (LOCAL, or DEGRADED when a fleet budget falls back). */
    public LocalRateBudget(BudgetScope scope, BudgetLimits limits, BudgetEnvironment env, BudgetMode mode) {
        this.scope = Objects.requireNonNull(scope, "scope");
        this.id = scope.id();
        this.mode = Objects.requireNonNull(mode, "mode");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.env = Objects.requireNonNull(env, "env");
        this.clock = env.nanoClock();
        this.learnWindowNanos = limits.learnWindow().toNanos();
        List<Dim> list = new ArrayList<>(4);
        for (BudgetDimension d : BudgetDimension.values()) {
            long limit = limits.limits().limit(d);
            if (limit > 0) {
                list.add(new Dim(d, limit, limits.capacity(d, limit), id, clock));
            }
        }
        if (list.isEmpty()) {
            throw new IllegalArgumentException("budget " + id + " has no configured dimension");
        }
        this.dims = list.toArray(new Dim[0]);
        this.scratchCredit = new long[dims.length];
        this.scratchDelay = new long[dims.length];
        boolean tokens = false;
        for (Dim d : dims) {
            tokens |= d.dimension.isTokens();
        }
        this.hasTokens = tokens;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public BudgetScope scope() {
        return scope;
    }

    @Override
    public BudgetMode mode() {
        return mode;
    }

    @Override
    public boolean has(BudgetDimension dimension) {
        for (Dim d : dims) {
            if (d.dimension == dimension) {
                return true;
            }
        }
        return false;
    }

    /** The limiter's refresh period of {@code dimension} in nanoseconds (0 when absent); for tests and Actuator. */
    public long periodNanos(BudgetDimension dimension) {
        for (Dim d : dims) {
            if (d.dimension == dimension) {
                return d.periodNanos;
            }
        }
        return 0;
    }

    /** The configured limits, bursts and learning settings. */
    public BudgetLimits limits() {
        return limits;
    }

    @Override
    public CompletionStage<BudgetGrant> acquire(BudgetCost cost, long deadlineNanos) {
        if (closed) {
            env.listener().onReject(this, dims[0].dimension, "closed");
            return CompletableFuture.failedFuture(new RateBudgetClosedException(id));
        }
        Object r;
        synchronized (lock) {
            // Read under the lock, so the limiters (which are given this reading) see time move forward only.
            long now = clock.getAsLong();
            r = reserve(cost, now, Math.max(0, deadlineNanos - now));
        }
        if (r instanceof Dim) {
            BudgetDimension dim = ((Dim) r).dimension;
            env.listener().onReject(this, dim, "deadline");
            return CompletableFuture.failedFuture(new BudgetTimeoutException(id, dim));
        }
        Grant g = (Grant) r;
        if (g.waitNanos == 0) {
            env.listener().onGrant(this, dims[g.limiting].dimension, 0);
            return CompletableFuture.completedFuture(g);
        }
        return schedule(g);
    }

    @Override
    public Optional<BudgetGrant> tryAcquire(BudgetCost cost) {
        if (closed) {
            return Optional.empty();
        }
        Object r;
        synchronized (lock) {
            r = reserve(cost, clock.getAsLong(), 0);
        }
        if (r instanceof Dim) {
            return Optional.empty();
        }
        Grant g = (Grant) r;
        env.listener().onGrant(this, dims[g.limiting].dimension, 0);
        return Optional.of(g);
    }

    /**
     * Takes {@code cost} from every dimension or none; returns the {@link Grant}, or the {@link Dim} that could not
     * grant within {@code timeoutNanos} (what it already took from earlier dimensions becomes credit).
     */
    private Object reserve(BudgetCost cost, long now, long timeoutNanos) {
        if (anyLearned && now - nextLearnExpiry >= 0) {
            expireLearned(now);
        }
        long[] fromCredit = scratchCredit;
        long[] delays = scratchDelay;
        long wait = 0;
        int limiting = 0;
        for (int i = 0; i < dims.length; i++) {
            Dim d = dims[i];
            fromCredit[i] = 0;
            delays[i] = 0;
            long need = cost.amount(d.dimension);
            if (need == 0) {
                continue;
            }
            long used = d.takeCredit(now, need);
            fromCredit[i] = used;
            long rest = need - used;
            if (rest == 0) {
                continue;
            }
            long delay = d.reserve(toInt(rest), now, timeoutNanos);
            if (delay < 0) {
                // Nothing was reserved on this dimension (with a zero timeout, tryAcquire never queues).
                rollback(i, cost, now);
                return d;
            }
            delays[i] = delay;
            if (delay > wait) {
                wait = delay;
                limiting = i;
            }
        }
        // An immediate grant keeps no per-dimension arrays: its amounts are the cost's, granted at `now`.
        return new Grant(cost, now, wait == 0 ? null : delays.clone(), wait, limiting);
    }

    /** Undoes dimensions {@code 0..failed}: credit spent is restored, reserved permits become credit. */
    private void rollback(int failed, BudgetCost cost, long now) {
        for (int j = 0; j <= failed; j++) {
            Dim d = dims[j];
            if (scratchCredit[j] > 0) {
                d.addCredit(now, scratchCredit[j], now);
            }
            if (j < failed) {
                long reserved = cost.amount(d.dimension) - scratchCredit[j];
                if (reserved > 0) {
                    d.addCredit(now + scratchDelay[j], reserved, now);
                }
            }
        }
    }

    private CompletionStage<BudgetGrant> schedule(Grant g) {
        Pending p = new Pending(g);
        pending.add(p);
        if (closed) {
            p.fail();
            return p.future;
        }
        try {
            p.task = env.scheduler().schedule(() -> runOnExecutor(p::deliver), g.waitNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // The pipeline's scheduler is shut down: nothing will run later, so fail like a closed budget.
            p.fail();
        }
        p.future.whenComplete((v, t) -> {
            if (p.future.isCancelled()) {
                p.cancelled();
            }
        });
        return p.future;
    }

    private void runOnExecutor(Runnable task) {
        try {
            env.executor().execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    @Override
    public void observe(RateLimitObservation observation) {
        if (!limits.learn() || observation.isEmpty()) {
            return;
        }
        long now = clock.getAsLong();
        synchronized (lock) {
            if (anyLearned && now - nextLearnExpiry >= 0) {
                expireLearned(now);
            }
            for (Dim d : dims) {
                long v = observation.limit(d.dimension);
                if (v <= 0) {
                    continue;
                }
                boolean valid = d.learned > 0 && now - d.learnedUntil < 0;
                if (!valid || v < d.learned) {
                    d.learned = v;
                    d.learnedUntil = now + learnWindowNanos;
                    d.applyEffective();
                } else if (v == d.learned) {
                    d.learnedUntil = now + learnWindowNanos;
                }
            }
            recomputeLearnExpiry();
        }
    }

    private void expireLearned(long now) {
        for (Dim d : dims) {
            if (d.learned > 0 && now - d.learnedUntil >= 0) {
                d.learned = 0;
                d.applyEffective();
            }
        }
        recomputeLearnExpiry();
    }

    private void recomputeLearnExpiry() {
        boolean any = false;
        long next = 0;
        for (Dim d : dims) {
            if (d.learned > 0) {
                if (!any || d.learnedUntil - next < 0) {
                    next = d.learnedUntil;
                }
                any = true;
            }
        }
        anyLearned = any;
        nextLearnExpiry = next;
    }

    @Override
    public RateBudgetSnapshot snapshot() {
        List<RateBudgetSnapshot.Dimension> out = new ArrayList<>(dims.length);
        synchronized (lock) {
            long now = clock.getAsLong();
            if (anyLearned && now - nextLearnExpiry >= 0) {
                expireLearned(now);
            }
            for (Dim d : dims) {
                d.limiterClock.at = now;
                long remaining = (long) d.limiter.getMetrics().getAvailablePermissions() + d.usableCredit(now);
                out.add(new RateBudgetSnapshot.Dimension(d.dimension, d.configured, null,
                        d.learned > 0 ? d.learned : null, d.effective(), d.limitForPeriod, remaining, null,
                        pending.size()));
            }
        }
        return new RateBudgetSnapshot(id, mode, 0, out);
    }

    @Override
    public void close() {
        closed = true;
        for (Pending p : pending) {
            p.fail();
        }
    }

    private static int toInt(long n) {
        return n > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) n;
    }

    /** Settles {@code g}: {@code keepRequests}/{@code keepTokens} say which estimates stand; usage corrects tokens. */
    private void settle(Grant g, boolean keepRequests, boolean keepTokens, @Nullable LlmUsage usage) {
        if (keepRequests && !hasTokens) {
            return; // nothing to correct or refund: the common settle of an rpm-only budget takes no lock
        }
        synchronized (lock) {
            long now = clock.getAsLong();
            for (int i = 0; i < dims.length; i++) {
                Dim d = dims[i];
                long amount = g.cost.amount(d.dimension);
                long grantedAt = g.grantedAt(i);
                boolean tokens = d.dimension.isTokens();
                if (!tokens) {
                    if (!keepRequests && amount > 0) {
                        d.addCredit(grantedAt, amount, now);
                    }
                    continue;
                }
                if (usage != null) {
                    long actual = d.dimension.usedBy(usage);
                    long delta = actual - amount;
                    if (delta < 0) {
                        d.addCredit(grantedAt, -delta, now);
                    } else if (delta > 0) {
                        long used = d.takeCredit(now, delta);
                        long rest = delta - used;
                        if (rest > 0) {
                            d.reserve(toInt(rest), now, DEBT_TIMEOUT_NANOS);
                        }
                    }
                } else if (!keepTokens && amount > 0) {
                    d.addCredit(grantedAt, amount, now);
                }
            }
        }
    }

    /** One dimension: its limiter, learned limit and refund credit (one cycle's worth, usable only in that cycle). */
    private static final class Dim {
        final BudgetDimension dimension;
        final long configured;
        final long periodNanos;
        final AtomicRateLimiter limiter;
        final LimiterClock limiterClock;
        int limitForPeriod;
        long learned;
        long learnedUntil;
        long credit;
        long creditCycle;

        Dim(BudgetDimension dimension, long configured, long capacity, String id, LongSupplier clock) {
            this.dimension = dimension;
            this.configured = configured;
            this.limitForPeriod = toInt(capacity);
            // 1 min × capacity / limit, in ns (>= 1): the limiter refills exactly `limit` per minute on average.
            BigInteger p = BigInteger.valueOf(MINUTE_NANOS).multiply(BigInteger.valueOf(limitForPeriod))
                    .divide(BigInteger.valueOf(configured));
            this.periodNanos = Math.max(1, p.min(BigInteger.valueOf(Long.MAX_VALUE)).longValue());
            RateLimiterConfig cfg = RateLimiterConfig.custom()
                    .limitForPeriod(limitForPeriod)
                    .limitRefreshPeriod(Duration.ofNanos(periodNanos))
                    .timeoutDuration(Duration.ZERO)
                    .build();
            this.limiterClock = new LimiterClock(clock);
            this.limiter = new AtomicRateLimiter(id + ":" + dimension.id(), cfg, limiterClock);
            this.creditCycle = Long.MIN_VALUE;
        }

        /**
         * Reserves {@code permits} at {@code now} (under the budget's lock): the delay until they are granted, 0 when
         * at once, or -1 when they cannot come within {@code timeoutNanos} (nothing is reserved then).
         */
        long reserve(int permits, long now, long timeoutNanos) {
            limiterClock.at = now;
            // The limiter's timeout is zero: this grants now or takes nothing, without building a new configuration.
            long delay = limiter.reservePermission(permits);
            if (delay == 0 || timeoutNanos <= 0) {
                return delay;
            }
            limiter.changeTimeoutDuration(Duration.ofNanos(timeoutNanos));
            try {
                return limiter.reservePermission(permits);
            } finally {
                limiter.changeTimeoutDuration(Duration.ZERO);
            }
        }

        long cycle(long nanos) {
            return Math.floorDiv(nanos - limiterClock.start, periodNanos);
        }

        long effective() {
            return learned > 0 ? Math.min(configured, learned) : configured;
        }

        /** Applies the effective limit to the limiter (next cycle); {@code true} when it changed. */
        boolean applyEffective() {
            long eff = effective();
            BigInteger lfp = BigInteger.valueOf(eff).multiply(BigInteger.valueOf(periodNanos))
                    .divide(BigInteger.valueOf(MINUTE_NANOS));
            int next = toInt(Math.max(1, lfp.min(BigInteger.valueOf(Integer.MAX_VALUE)).longValue()));
            if (next == limitForPeriod) {
                return false;
            }
            limitForPeriod = next;
            limiter.changeLimitForPeriod(next);
            if (credit > next) {
                credit = next;
            }
            return true;
        }

        long usableCredit(long now) {
            return credit > 0 && creditCycle == cycle(now) ? credit : 0;
        }

        long takeCredit(long now, long need) {
            if (credit == 0 || creditCycle != cycle(now)) {
                return 0;
            }
            long used = Math.min(credit, need);
            credit -= used;
            return used;
        }

        /** Refunded permits become credit of the cycle in which they were (or would have been) granted. */
        void addCredit(long grantedAtNanos, long amount, long now) {
            long c = cycle(grantedAtNanos);
            long current = cycle(now);
            if (c < current) {
                return;
            }
            if (credit == 0 || creditCycle < current || c < creditCycle) {
                // An expired slot is replaced; a nearer cycle wins over a farther one (it is usable sooner).
                creditCycle = c;
                credit = Math.min(amount, limitForPeriod);
            } else if (c == creditCycle) {
                credit = Math.min(credit + amount, limitForPeriod);
            }
        }
    }

    /**
     * The limiter's nano clock: the reading the budget took under its lock ({@link #at}), so an acquisition reads the
     * clock once; remembers the reading the limiter takes as its start (its construction, before any {@code at}).
     */
    private static final class LimiterClock implements Supplier<Long> {
        private final LongSupplier clock;
        private boolean started;
        long start;
        /** Set under the budget's lock before every limiter call that reads the time. */
        long at;

        LimiterClock(LongSupplier clock) {
            this.clock = clock;
        }

        @Override
        public Long get() {
            if (!started) {
                started = true;
                start = clock.getAsLong();
                at = start;
            }
            return at;
        }
    }

    /**
     * What one acquisition took: the cost on every dimension, granted at {@code grantedAt} plus that dimension's delay
     * ({@code delays} is null for an immediate grant).
     */
    private final class Grant implements BudgetGrant {
        final BudgetCost cost;
        final long grantedAt;
        final long @Nullable [] delays;
        final long waitNanos;
        final int limiting;
        /** 0 until settled, then 1; through {@link #SETTLED} instead of an {@code AtomicBoolean} per grant. */
        volatile int settled;

        Grant(BudgetCost cost, long grantedAt, long @Nullable [] delays, long waitNanos, int limiting) {
            this.cost = cost;
            this.grantedAt = grantedAt;
            this.delays = delays;
            this.waitNanos = waitNanos;
            this.limiting = limiting;
        }

        long grantedAt(int dim) {
            long[] d = delays;
            return d == null ? grantedAt : grantedAt + d[dim];
        }

        private boolean settleOnce() {
            return settled == 0 && SETTLED.compareAndSet(this, 0, 1);
        }

        @Override
        public void settleSuccess(LlmUsage usage) {
            if (settleOnce()) {
                boolean none = usage.inputTokens() == 0 && usage.outputTokens() == 0 && usage.totalTokens() == 0;
                if (!none) {
                    settle(this, true, true, usage);
                }
            }
        }

        @Override
        public void settleFailure(boolean providerAnswered) {
            if (settleOnce() && providerAnswered) {
                settle(this, true, false, null);
            }
        }

        @Override
        public void release() {
            if (settleOnce()) {
                settle(this, false, false, null);
            }
        }

        @Override
        public long waitNanos() {
            return waitNanos;
        }
    }

    /** A delayed grant: scheduled, then delivered on the executor unless cancelled or closed first. */
    private final class Pending {
        final Grant grant;
        final CompletableFuture<BudgetGrant> future = new CompletableFuture<>();
        final AtomicBoolean done = new AtomicBoolean();
        volatile @Nullable Future<?> task;

        Pending(Grant grant) {
            this.grant = grant;
        }

        void deliver() {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            pending.remove(this);
            if (closed) {
                grant.release();
                env.listener().onReject(LocalRateBudget.this, dims[grant.limiting].dimension, "closed");
                future.completeExceptionally(new RateBudgetClosedException(id));
            } else if (future.complete(grant)) {
                env.listener().onGrant(LocalRateBudget.this, dims[grant.limiting].dimension, grant.waitNanos);
            } else {
                grant.release();
            }
        }

        void fail() {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            pending.remove(this);
            Future<?> t = task;
            if (t != null) {
                t.cancel(false);
            }
            grant.release();
            env.listener().onReject(LocalRateBudget.this, dims[grant.limiting].dimension, "closed");
            future.completeExceptionally(new RateBudgetClosedException(id));
        }

        void cancelled() {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            pending.remove(this);
            Future<?> t = task;
            if (t != null) {
                t.cancel(false);
            }
            grant.release();
        }
    }
}
