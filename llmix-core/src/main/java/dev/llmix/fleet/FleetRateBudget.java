package dev.llmix.fleet;

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
import dev.llmix.budget.RateLimits;
import dev.llmix.spi.LlmUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A FLEET rate budget: each configured dimension is a Bucket4j token bucket in Redis shared by every instance, from
 * which this instance leases an allowance in prefetched batches, so a busy instance makes well under one Redis round
 * trip per call (docs/fleet-budgets.md). While Redis is unusable the budget is DEGRADED: it spends its allowance, then
 * a LOCAL budget with the limits divided by the number of instances.
 */
public final class FleetRateBudget implements RateBudget {

    /** Thrown into waiters handed to the DEGRADED fallback when a top-up fails on Redis. */
    private static final class HandedOff extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HandedOff() {
            super(null, null, false, false);
        }
    }

    private static final long AVAILABLE_CACHE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long OBSERVE_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final BudgetScope scope;
    private final String id;
    private final BudgetLimits limits;
    private final BudgetEnvironment env;
    private final FleetBudgetRuntime runtime;
    private final List<BudgetDimension> dimensions = new ArrayList<>();
    private final LeasedAllowance[] allowances = new LeasedAllowance[BudgetDimension.values().length];
    private final SharedBucket[] buckets = new SharedBucket[BudgetDimension.values().length];
    private final @Nullable Long[] available = new Long[BudgetDimension.values().length];
    private final long[] availableAt = new long[BudgetDimension.values().length];
    private final long[] observedAt = new long[BudgetDimension.values().length];
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile @Nullable RateBudget fallback;
    private int fallbackDivisor;

    /** A fleet budget of {@code scope}; buckets are created (not yet touched in Redis) for each configured dimension. */
    public FleetRateBudget(BudgetScope scope, BudgetLimits limits, BudgetEnvironment env, FleetBudgetRuntime runtime,
            FleetBudgetSettings settings) {
        this.scope = Objects.requireNonNull(scope, "scope");
        this.id = scope.id();
        this.limits = Objects.requireNonNull(limits, "limits");
        this.env = Objects.requireNonNull(env, "env");
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        for (BudgetDimension d : BudgetDimension.values()) {
            long limit = limits.limits().limit(d);
            if (limit <= 0) {
                continue;
            }
            long capacity = limits.capacity(d, limit);
            SharedBucket bucket = runtime.bucket(scope, d, capacity, limit);
            dimensions.add(d);
            buckets[d.ordinal()] = bucket;
            allowances[d.ordinal()] = new LeasedAllowance(d.id(), bucket, capacity, settings.leaseAhead().toNanos(),
                    settings.idleReturn().toNanos(), env.scheduler(), env.executor(), env.nanoClock(),
                    this::handOff);
        }
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
        return runtime.healthy() ? BudgetMode.FLEET : BudgetMode.DEGRADED;
    }

    @Override
    public boolean has(BudgetDimension dimension) {
        return allowances[dimension.ordinal()] != null;
    }

    @Override
    public CompletionStage<BudgetGrant> acquire(BudgetCost cost, long deadlineNanos) {
        if (closed.get()) {
            return rejectClosed(dimensions.isEmpty() ? BudgetDimension.RPM : dimensions.get(0));
        }
        long start = env.nanoClock().getAsLong();
        if (!runtime.healthy()) {
            return degradedAcquire(cost, deadlineNanos, start);
        }
        if (fallback != null) {
            // Redis is back: the DEGRADED fallback is discarded (docs/fleet-budgets.md).
            recovered();
        }
        CompletableFuture<BudgetGrant> out = new CompletableFuture<>();
        acquireFrom(0, cost, deadlineNanos, start, null, out);
        return out;
    }

    /** Takes dimension {@code i} and on; on a failure gives back what dimensions before {@code i} took. */
    private void acquireFrom(int i, BudgetCost cost, long deadlineNanos, long start,
            @Nullable BudgetDimension waitedOn, CompletableFuture<BudgetGrant> out) {
        if (i == dimensions.size()) {
            long waited = env.nanoClock().getAsLong() - start;
            BudgetDimension reported = waitedOn != null ? waitedOn : dimensions.isEmpty() ? BudgetDimension.RPM
                    : dimensions.get(0);
            FleetGrant grant = new FleetGrant(cost, waitedOn != null ? waited : 0);
            if (!out.complete(grant)) {
                // The caller cancelled while it waited: what was taken goes back.
                grant.release();
                return;
            }
            env.listener().onGrant(this, reported, grant.waitNanos());
            return;
        }
        BudgetDimension d = dimensions.get(i);
        CompletableFuture<Void> taken = allowances[d.ordinal()].acquire(cost.amount(d), deadlineNanos);
        if (taken.isDone() && !taken.isCompletedExceptionally()) {
            acquireFrom(i + 1, cost, deadlineNanos, start, waitedOn, out);
            return;
        }
        taken.whenComplete((ok, err) -> {
            if (err == null) {
                acquireFrom(i + 1, cost, deadlineNanos, start, waitedOn != null ? waitedOn : d, out);
                return;
            }
            refundUpTo(i, cost);
            Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            if (cause instanceof HandedOff) {
                degradedAcquire(cost, deadlineNanos, start).whenComplete((g, e) -> {
                    if (e != null) {
                        out.completeExceptionally(e);
                    } else {
                        out.complete(g);
                    }
                });
            } else if (cause instanceof LeasedAllowance.ClosedException) {
                env.listener().onReject(this, d, "closed");
                out.completeExceptionally(new RateBudgetClosedException(id));
            } else {
                env.listener().onReject(this, d, "deadline");
                out.completeExceptionally(new BudgetTimeoutException(id, d));
            }
        });
    }

    private void refundUpTo(int end, BudgetCost cost) {
        for (int j = 0; j < end; j++) {
            BudgetDimension d = dimensions.get(j);
            allowances[d.ordinal()].refund(cost.amount(d));
        }
    }

    /** DEGRADED: the allowance first (no Redis), then the LOCAL fallback with the divided limits. */
    private CompletionStage<BudgetGrant> degradedAcquire(BudgetCost cost, long deadlineNanos, long start) {
        Optional<BudgetGrant> fromAllowance = tryAllowance(cost);
        if (fromAllowance.isPresent()) {
            env.listener().onGrant(this, dimensions.isEmpty() ? BudgetDimension.RPM : dimensions.get(0), 0);
            return CompletableFuture.completedFuture(fromAllowance.get());
        }
        return fallback().acquire(cost, deadlineNanos);
    }

    @Override
    public Optional<BudgetGrant> tryAcquire(BudgetCost cost) {
        if (closed.get()) {
            return Optional.empty();
        }
        Optional<BudgetGrant> g = tryAllowance(cost);
        if (g.isPresent() || runtime.healthy()) {
            return g;
        }
        return fallback().tryAcquire(cost);
    }

    private Optional<BudgetGrant> tryAllowance(BudgetCost cost) {
        for (int i = 0; i < dimensions.size(); i++) {
            BudgetDimension d = dimensions.get(i);
            if (!allowances[d.ordinal()].tryAcquire(cost.amount(d))) {
                refundUpTo(i, cost);
                return Optional.empty();
            }
        }
        return Optional.of(new FleetGrant(cost, 0));
    }

    /** The LOCAL fallback at {@code max(1, floor(limit / D))}; rebuilt when the divisor changed, dropped on recovery. */
    private synchronized RateBudget fallback() {
        int divisor = Math.max(1, runtime.degradedDivisor());
        RateBudget f = fallback;
        if (f == null || divisor != fallbackDivisor) {
            // The replaced fallback is dropped, not closed: closing it would fail the calls it already reserved
            // permits for, and no call may fail because of Redis (docs/fleet-budgets.md). Its scheduled grants
            // still arrive; then nothing refers to it.
            FleetScopeConfig conf = runtime.config(scope);
            RateLimits divided = new RateLimits(share(conf, BudgetDimension.RPM, divisor),
                    share(conf, BudgetDimension.TPM, divisor), share(conf, BudgetDimension.ITPM, divisor),
                    share(conf, BudgetDimension.OTPM, divisor));
            f = env.local().create(scope, new BudgetLimits(divided, limits.requestBurst(), limits.tokenBurst(),
                    limits.learn(), limits.learnWindow()), env);
            fallback = f;
            fallbackDivisor = divisor;
        }
        return f;
    }

    /** This instance's share of the effective limit of {@code d} while degraded; 0 for a dimension not configured. */
    private long share(@Nullable FleetScopeConfig conf, BudgetDimension d, int divisor) {
        return limits.limits().limit(d) <= 0 ? 0 : divide(effective(conf, d), divisor);
    }

    /** The fleet's effective limit of {@code d}, or the configured one before the fleet configuration is read. */
    private long effective(@Nullable FleetScopeConfig conf, BudgetDimension d) {
        long e = conf == null ? 0 : conf.effective().limit(d);
        return e > 0 ? e : limits.limits().limit(d);
    }

    private static long divide(long limit, int divisor) {
        return limit <= 0 ? 0 : Math.max(1, limit / divisor);
    }

    /**
     * Called when Redis is healthy again: the fallback is discarded. It is not closed, so the calls it already reserved
     * permits for are still granted on schedule, and its grants settle on their own.
     */
    public synchronized void recovered() {
        fallback = null;
    }

    /** The fallback's limits while degraded (tests and Actuator), or {@code null} when none is in use. */
    synchronized @Nullable RateBudget currentFallback() {
        return fallback;
    }

    private void handOff(Throwable cause, List<LeasedAllowance.Waiter> waiters) {
        runtime.failed(cause);
        for (LeasedAllowance.Waiter w : waiters) {
            w.future.completeExceptionally(new HandedOff());
        }
    }

    /**
     * Sends a reported limit to the fleet's learn rule when it changes this instance's view (a cut below the effective
     * limit, or a renewal of the learned one), at most once a second per dimension; the rule runs in Redis and every
     * instance adopts the result with the scope's next configuration version (docs/fleet-budgets.md).
     */
    @Override
    public void observe(RateLimitObservation observation) {
        if (!limits.learn() || observation.isEmpty() || closed.get()) {
            return;
        }
        FleetScopeConfig conf = runtime.config(scope);
        long now = env.nanoClock().getAsLong();
        for (BudgetDimension d : dimensions) {
            long reported = observation.limit(d);
            if (reported <= 0) {
                continue;
            }
            long effective = conf == null ? limits.limits().limit(d) : conf.effective().limit(d);
            long learned = conf == null ? 0 : conf.learned().limit(d);
            if (reported >= effective && reported != learned) {
                continue;
            }
            synchronized (observedAt) {
                int i = d.ordinal();
                if (observedAt[i] != 0 && now - observedAt[i] < OBSERVE_INTERVAL_NANOS) {
                    continue;
                }
                observedAt[i] = now == 0 ? 1 : now;
            }
            runtime.observe(scope, d, reported, limits.learnWindow());
        }
    }

    @Override
    public RateBudgetSnapshot snapshot() {
        boolean healthy = runtime.healthy();
        FleetScopeConfig conf = runtime.config(scope);
        List<RateBudgetSnapshot.Dimension> out = new ArrayList<>();
        for (BudgetDimension d : dimensions) {
            long limit = limits.limits().limit(d);
            long fleetConfigured = conf == null || conf.configured().limit(d) <= 0 ? limit : conf.configured().limit(d);
            long learned = conf == null ? 0 : conf.learned().limit(d);
            long effective = effective(conf, d);
            LeasedAllowance a = allowances[d.ordinal()];
            out.add(new RateBudgetSnapshot.Dimension(d, limit, fleetConfigured, learned > 0 ? learned : null,
                    effective, limits.capacity(d, effective), healthy ? remaining(d) : null, a.allowance(),
                    a.waiting()));
        }
        return new RateBudgetSnapshot(id, healthy ? BudgetMode.FLEET : BudgetMode.DEGRADED,
                conf == null ? 0 : conf.version(), out);
    }

    /** Shared-bucket tokens, read at most once a second; the first read answers {@code null} until it lands. */
    private @Nullable Long remaining(BudgetDimension d) {
        int i = d.ordinal();
        long now = env.nanoClock().getAsLong();
        synchronized (available) {
            if (availableAt[i] == 0 || now - availableAt[i] >= AVAILABLE_CACHE_NANOS) {
                availableAt[i] = now == 0 ? 1 : now;
                buckets[i].available().whenComplete((v, e) -> {
                    if (v != null) {
                        synchronized (available) {
                            available[i] = v;
                        }
                    }
                });
            }
            return available[i];
        }
    }

    /** The allowance of {@code dimension} (tests and Actuator). */
    long allowance(BudgetDimension dimension) {
        return allowances[dimension.ordinal()].allowance();
    }

    /** Top-ups made so far on {@code dimension} (tests). */
    long topUps(BudgetDimension dimension) {
        return allowances[dimension.ordinal()].topUps();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (BudgetDimension d : dimensions) {
            allowances[d.ordinal()].close();
        }
        RateBudget f;
        synchronized (this) {
            f = fallback;
            fallback = null;
        }
        if (f != null) {
            f.close();
        }
    }

    private CompletionStage<BudgetGrant> rejectClosed(BudgetDimension d) {
        env.listener().onReject(this, d, "closed");
        return CompletableFuture.failedFuture(new RateBudgetClosedException(id));
    }

    /** Units taken from the allowances for one attempt; settled once, settling only moves the allowances. */
    private final class FleetGrant implements BudgetGrant {
        private final BudgetCost cost;
        private final long waitNanos;
        private final AtomicBoolean settled = new AtomicBoolean();

        FleetGrant(BudgetCost cost, long waitNanos) {
            this.cost = cost;
            this.waitNanos = waitNanos;
        }

        @Override
        public void settleSuccess(LlmUsage usage) {
            if (!settled.compareAndSet(false, true)) {
                return;
            }
            if (usage.inputTokens() == 0 && usage.outputTokens() == 0 && usage.totalTokens() == 0) {
                return;
            }
            for (BudgetDimension d : dimensions) {
                if (!d.isTokens()) {
                    continue;
                }
                long delta = d.usedBy(usage) - cost.amount(d);
                if (delta < 0) {
                    allowances[d.ordinal()].refund(-delta);
                } else if (delta > 0) {
                    allowances[d.ordinal()].consumeWithoutWaiting(delta);
                }
            }
        }

        @Override
        public void settleFailure(boolean providerAnswered) {
            if (!settled.compareAndSet(false, true) || !providerAnswered) {
                return;
            }
            for (BudgetDimension d : dimensions) {
                if (d.isTokens()) {
                    allowances[d.ordinal()].refund(cost.amount(d));
                }
            }
        }

        @Override
        public void release() {
            if (!settled.compareAndSet(false, true)) {
                return;
            }
            for (BudgetDimension d : dimensions) {
                allowances[d.ordinal()].refund(cost.amount(d));
            }
        }

        @Override
        public long waitNanos() {
            return waitNanos;
        }
    }
}
