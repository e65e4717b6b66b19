package dev.llmix.fleet;

import dev.llmix.budget.BudgetDimension;
import dev.llmix.budget.BudgetScope;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;

/**
 * Shared buckets on Bucket4j's Lettuce compare-and-swap proxy manager (docs/fleet-budgets.md): one proxy per budget
 * dimension under {@code <prefix>budget:{<scope>}:<dim>}, refilled greedily at the limit per minute, expiring once full
 * again plus 60 s, timed by the fleet's Redis clock and bounded by the call-path timeout.
 */
public final class Bucket4jSharedBuckets {

    private final AsyncProxyManager<byte[]> manager;
    private final String prefix;
    private final ScheduledExecutorService scheduler;

    /**
     * @param connection  a byte-array Lettuce connection (the fleet's own)
     * @param prefix      fleet key prefix, e.g. {@code llmix:fleet:}
     * @param epochNanos  the fleet's Redis clock in epoch nanoseconds (wall-clock based)
     * @param callTimeout bound of one Bucket4j command (GET + compare-and-swap, retries included)
     * @param scheduler   runs Bucket4j's delayed reservations
     */
    public Bucket4jSharedBuckets(StatefulRedisConnection<byte[], byte[]> connection, String prefix,
            LongSupplier epochNanos, Duration callTimeout, ScheduledExecutorService scheduler) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(epochNanos, "epochNanos");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        TimeMeter clock = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return epochNanos.getAsLong();
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
        this.manager = Bucket4jLettuce.casBasedBuilder(connection)
                // An expired bucket comes back full, which is the state it would have reached anyway.
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                        Duration.ofSeconds(60)))
                .clientClock(clock)
                .requestTimeout(callTimeout)
                .build()
                .asAsync();
    }

    /** The Redis key of a budget dimension: {@code <prefix>budget:{<scope id>}:<dim>}. */
    public String key(BudgetScope scope, BudgetDimension dimension) {
        return prefix + "budget:{" + scope.id() + "}:" + dimension.id();
    }

    /** The shared bucket of one dimension at configuration version {@code version}. */
    public SharedBucket bucket(BudgetScope scope, BudgetDimension dimension, long capacity, long limitPerMinute,
            long version) {
        BucketConfiguration config = BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(capacity).refillGreedy(limitPerMinute, Duration.ofMinutes(1))
                        .id(dimension.id()).build())
                .build();
        AsyncBucketProxy proxy = manager.builder()
                // A stored configuration is replaced only by a higher version; AS_IS keeps the tokens (capped).
                .withImplicitConfigurationReplacement(version, TokensInheritanceStrategy.AS_IS)
                .withOptimization(Optimizations.batching())
                .build(key(scope, dimension).getBytes(StandardCharsets.UTF_8),
                        () -> CompletableFuture.completedFuture(config));
        return new ProxyBucket(proxy, scheduler);
    }

    /** One dimension's proxy; every method is one Bucket4j command (GET, then compare-and-swap when it changes). */
    private static final class ProxyBucket implements SharedBucket {
        private final AsyncBucketProxy proxy;
        private final ScheduledExecutorService scheduler;

        ProxyBucket(AsyncBucketProxy proxy, ScheduledExecutorService scheduler) {
            this.proxy = proxy;
            this.scheduler = scheduler;
        }

        @Override
        public CompletableFuture<Boolean> reserve(long tokens, long maxWaitNanos) {
            return proxy.asScheduler().tryConsume(tokens, maxWaitNanos, scheduler);
        }

        @Override
        public CompletableFuture<?> give(long tokens) {
            return proxy.addTokens(tokens);
        }

        @Override
        public CompletableFuture<?> takeIgnoringLimits(long tokens) {
            return proxy.consumeIgnoringRateLimits(tokens);
        }

        @Override
        public CompletableFuture<Long> available() {
            return proxy.getAvailableTokens();
        }
    }
}
