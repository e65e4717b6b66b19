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
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A LOCAL rate budget (docs/rate-limits.md): one Resilience4j {@link AtomicRateLimiter} per configured dimension with
 * {@code limitForPeriod = capacity} and {@code limitRefreshPeriod = 1 min × capacity / limit}, so the mean rate is
 * exactly the limit. Under one lock per budget (grants are FIFO) an acquisition spends unexpired credit, sets the
 * limiter's timeout to the time left before the deadline and reserves the rest: {@code reservePermission} never
 * blocks and either grants now, names the delay (the grant is scheduled, no thread waits), or refuses (a local
 * timeout now). {@code acquirePermission} parks the calling thread and is never used.
 */
public final class LocalRateBudget implements RateBudget {

    /** Positive usage corrections may wait this long: in practice they always reserve (debt). */
    private static final Duration DEBT_TIMEOUT = Duration.ofHours(24);
    private static final long MINUTE_NANOS = 60_000_000_000L;

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
        long now = clock.getAsLong();
        Object r;
        synchronized (lock) {
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
        long now = clock.getAsLong();
        Object r;
        synchronized (lock) {
            r = reserve(cost, now, 0);
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
        long[] amounts = new long[dims.length];
        long[] fromCredit = new long[dims.length];
        long[] grantedAt = new long[dims.length];
        long wait = 0;
        int limiting = 0;
        Duration timeout = null;
        for (int i = 0; i < dims.length; i++) {
            Dim d = dims[i];
            long need = cost.amount(d.dimension);
            amounts[i] = need;
            grantedAt[i] = now;
            if (need == 0) {
                continue;
            }
            long used = d.takeCredit(now, need);
            fromCredit[i] = used;
            long rest = need - used;
            if (rest == 0) {
                continue;
            }
            if (timeout == null) {
                timeout = Duration.ofNanos(timeoutNanos);
            }
            d.limiter.changeTimeoutDuration(timeout);
            long delay = d.limiter.reservePermission(toInt(rest));
            if (delay < 0) {
                // Nothing was reserved on this dimension (with a zero timeout, tryAcquire never queues).
                rollback(i, amounts, fromCredit, grantedAt, now);
                return d;
            }
            grantedAt[i] = now + delay;
            if (delay > wait) {
                wait = delay;
                limiting = i;
            }
        }
        return new Grant(amounts, grantedAt, wait, limiting);
    }

    /** Undoes dimensions {@code 0..failed}: credit spent is restored, reserved permits become credit. */
    private void rollback(int failed, long[] amounts, long[] fromCredit, long[] grantedAt, long now) {
        for (int j = 0; j <= failed; j++) {
            Dim d = dims[j];
            if (fromCredit[j] > 0) {
                d.addCredit(now, fromCredit[j]);
            }
            if (j < failed) {
                long reserved = amounts[j] - fromCredit[j];
                if (reserved > 0) {
                    d.addCredit(grantedAt[j], reserved);
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
        long now = clock.getAsLong();
        List<RateBudgetSnapshot.Dimension> out = new ArrayList<>(dims.length);
        synchronized (lock) {
            if (anyLearned && now - nextLearnExpiry >= 0) {
                expireLearned(now);
            }
            for (Dim d : dims) {
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
        long now = clock.getAsLong();
        synchronized (lock) {
            for (int i = 0; i < dims.length; i++) {
                Dim d = dims[i];
                long amount = g.amounts[i];
                boolean tokens = d.dimension.isTokens();
                if (!tokens) {
                    if (!keepRequests && amount > 0) {
                        d.addCredit(g.grantedAt[i], amount);
                    }
                    continue;
                }
                if (usage != null) {
                    long actual = d.dimension.usedBy(usage);
                    long delta = actual - amount;
                    if (delta < 0) {
                        d.addCredit(g.grantedAt[i], -delta);
                    } else if (delta > 0) {
                        long used = d.takeCredit(now, delta);
                        long rest = delta - used;
                        if (rest > 0) {
                            d.limiter.changeTimeoutDuration(DEBT_TIMEOUT);
                            d.limiter.reservePermission(toInt(rest));
                        }
                    }
                } else if (!keepTokens && amount > 0) {
                    d.addCredit(g.grantedAt[i], amount);
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
        void addCredit(long grantedAtNanos, long amount) {
            long c = cycle(grantedAtNanos);
            long current = cycle(limiterClock.now());
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

    /** The limiter's nano clock: the pipeline's, remembering the reading the limiter takes as its start. */
    private static final class LimiterClock implements Supplier<Long> {
        private final LongSupplier clock;
        private boolean started;
        long start;

        LimiterClock(LongSupplier clock) {
            this.clock = clock;
        }

        long now() {
            return clock.getAsLong();
        }

        @Override
        public Long get() {
            long t = clock.getAsLong();
            if (!started) {
                started = true;
                start = t;
            }
            return t;
        }
    }

    /** What one acquisition took: per dimension the amount and when its permits are granted. */
    private final class Grant implements BudgetGrant {
        final long[] amounts;
        final long[] grantedAt;
        final long waitNanos;
        final int limiting;
        private final AtomicBoolean settled = new AtomicBoolean();

        Grant(long[] amounts, long[] grantedAt, long waitNanos, int limiting) {
            this.amounts = amounts;
            this.grantedAt = grantedAt;
            this.waitNanos = waitNanos;
            this.limiting = limiting;
        }

        @Override
        public void settleSuccess(LlmUsage usage) {
            if (settled.compareAndSet(false, true)) {
                boolean none = usage.inputTokens() == 0 && usage.outputTokens() == 0 && usage.totalTokens() == 0;
                if (!none) {
                    settle(this, true, true, usage);
                }
            }
        }

        @Override
        public void settleFailure(boolean providerAnswered) {
            if (settled.compareAndSet(false, true) && providerAnswered) {
                settle(this, true, false, null);
            }
        }

        @Override
        public void release() {
            if (settled.compareAndSet(false, true)) {
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
