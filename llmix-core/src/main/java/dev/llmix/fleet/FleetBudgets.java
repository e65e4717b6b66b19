package dev.llmix.fleet;

import dev.llmix.budget.BudgetDimension;
import dev.llmix.budget.BudgetScope;
import dev.llmix.budget.RateBudgetFactory;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * FLEET rate budgets on a {@link FleetRuntime} (docs/fleet-budgets.md): the runtime side every {@link FleetRateBudget}
 * needs — shared Bucket4j buckets on the runtime's byte-array connection, timed by its Redis clock and bounded by its
 * call-path timeout; Redis health and failure reports; the DEGRADED divisor ({@code degraded-instances}, else the
 * members last seen) — and the {@link #factory() factory} a {@code RateBudgets} registry builds its budgets with.
 *
 * <p>The buckets follow the runtime's connection: when the runtime replaces a connection after an outage, the next
 * top-up rebuilds the Bucket4j proxy manager on the new one. On recovery the DEGRADED fallbacks are discarded.
 */
public final class FleetBudgets implements FleetBudgetRuntime {

    private final FleetRuntime runtime;
    private final FleetBudgetSettings settings;
    private final int degradedInstances;
    private final List<FleetRateBudget> budgets = new CopyOnWriteArrayList<>();
    // Guarded by this: the proxy manager and the connection it was built on.
    private @Nullable Bucket4jSharedBuckets shared;
    private @Nullable StatefulRedisConnection<byte[], byte[]> sharedOn;

    private FleetBudgets(FleetRuntime runtime, FleetBudgetSettings settings, int degradedInstances) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.settings = Objects.requireNonNull(settings, "settings");
        if (degradedInstances < 0) {
            throw new IllegalArgumentException("degradedInstances must be >= 0, got " + degradedInstances);
        }
        this.degradedInstances = degradedInstances;
    }

    /**
     * Fleet budgets on {@code runtime} with the leasing {@code settings}; {@code degradedInstances} is the divisor of
     * the DEGRADED limits, 0 to use the live members last read by the heartbeat.
     */
    public static FleetBudgets attach(FleetRuntime runtime, FleetBudgetSettings settings, int degradedInstances) {
        FleetBudgets b = new FleetBudgets(runtime, settings, degradedInstances);
        runtime.onRecovery(b::recovered);
        return b;
    }

    /** The factory of FLEET budgets for {@code RateBudgets.Builder#factory}; every budget it creates is tracked here. */
    public RateBudgetFactory factory() {
        return (scope, limits, env) -> {
            FleetRateBudget budget = new FleetRateBudget(scope, limits, env, this, settings);
            budgets.add(budget);
            return budget;
        };
    }

    /** The budgets created so far by {@link #factory()}. */
    public List<FleetRateBudget> budgets() {
        return List.copyOf(budgets);
    }

    /** The runtime these budgets share through. */
    public FleetRuntime runtime() {
        return runtime;
    }

    @Override
    public SharedBucket bucket(BudgetScope scope, BudgetDimension dimension, long capacity, long limitPerMinute) {
        return new RuntimeBucket(scope, dimension, capacity, limitPerMinute);
    }

    @Override
    public boolean healthy() {
        return runtime.healthy();
    }

    @Override
    public void failed(Throwable cause) {
        runtime.failed(cause);
    }

    @Override
    public int degradedDivisor() {
        return degradedInstances > 0 ? degradedInstances : Math.max(1, runtime.members());
    }

    private void recovered() {
        for (FleetRateBudget b : budgets) {
            b.recovered();
        }
    }

    /** The proxy manager on the runtime's current byte-array connection; null while Redis is unusable. */
    private synchronized @Nullable Bucket4jSharedBuckets shared() {
        StatefulRedisConnection<byte[], byte[]> c = runtime.byteConnection();
        if (c == null) {
            return null;
        }
        if (shared == null || sharedOn != c) {
            RedisClock clock = runtime.clock();
            shared = new Bucket4jSharedBuckets(c, runtime.settings().prefix(), clock::redisNanos,
                    runtime.settings().callTimeout(), runtime.scheduler());
            sharedOn = c;
        }
        return shared;
    }

    /**
     * One dimension's shared bucket as the allowance sees it: the Bucket4j proxy of the current proxy manager, rebuilt
     * when the manager changes; fails at once, sending nothing, while Redis is unusable.
     */
    private final class RuntimeBucket implements SharedBucket {
        private final BudgetScope scope;
        private final BudgetDimension dimension;
        private final long capacity;
        private final long limitPerMinute;
        // Guarded by this.
        private @Nullable SharedBucket proxy;
        private @Nullable Bucket4jSharedBuckets proxyOf;

        RuntimeBucket(BudgetScope scope, BudgetDimension dimension, long capacity, long limitPerMinute) {
            this.scope = scope;
            this.dimension = dimension;
            this.capacity = capacity;
            this.limitPerMinute = limitPerMinute;
        }

        private @Nullable SharedBucket current() {
            Bucket4jSharedBuckets s = shared();
            if (s == null) {
                return null;
            }
            synchronized (this) {
                if (proxy == null || proxyOf != s) {
                    proxy = s.bucket(scope, dimension, capacity, limitPerMinute, 1);
                    proxyOf = s;
                }
                return proxy;
            }
        }

        private static <T> CompletableFuture<T> unavailable() {
            return CompletableFuture.failedFuture(new FleetUnavailableException("Redis is unhealthy; nothing sent"));
        }

        @Override
        public CompletableFuture<Boolean> reserve(long tokens, long maxWaitNanos) {
            SharedBucket b = current();
            return b == null ? unavailable() : b.reserve(tokens, maxWaitNanos);
        }

        @Override
        public CompletableFuture<?> give(long tokens) {
            SharedBucket b = current();
            return b == null ? unavailable() : b.give(tokens);
        }

        @Override
        public CompletableFuture<?> takeIgnoringLimits(long tokens) {
            SharedBucket b = current();
            return b == null ? unavailable() : b.takeIgnoringLimits(tokens);
        }

        @Override
        public CompletableFuture<Long> available() {
            SharedBucket b = current();
            return b == null ? unavailable() : b.available();
        }
    }
}
