package dev.llmix.benchmarks;

import dev.llmix.budget.BudgetCost;
import dev.llmix.budget.BudgetEnvironment;
import dev.llmix.budget.BudgetGrant;
import dev.llmix.budget.BudgetLimits;
import dev.llmix.budget.BudgetMode;
import dev.llmix.budget.BudgetListener;
import dev.llmix.budget.BudgetScope;
import dev.llmix.budget.RateBudgetFactory;
import dev.llmix.budget.RateLimits;
import dev.llmix.fleet.Bucket4jSharedBuckets;
import dev.llmix.fleet.FleetBudgetRuntime;
import dev.llmix.fleet.FleetBudgetSettings;
import dev.llmix.fleet.FleetRateBudget;
import dev.llmix.fleet.SharedBucket;
import dev.llmix.internal.DaemonThreads;
import dev.llmix.internal.budget.LocalRateBudget;
import dev.llmix.internal.budget.LocalRateBudgetFactory;
import dev.llmix.spi.LlmUsage;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * FLEET rate budgets against a real {@code redis-server} on a free loopback port (docs/fleet-budgets.md), beside the
 * Redis round trip they are built on, all on one byte-array Lettuce connection:
 * <ul>
 *   <li>{@code rawRoundTrip} — one {@code GET} on the fleet connection;</li>
 *   <li>{@code localAcquire}, {@code localAcquireRpmTpm} — acquire + settle on a LOCAL budget (Resilience4j), never
 *       exhausted, completing on the caller (docs/rate-limits.md);</li>
 *   <li>{@code fleetAcquire} — acquire + settle on a FLEET budget with the default lease-ahead, never exhausted
 *       (rpm and tpm): what a call pays on average with prefetch;</li>
 *   <li>{@code fleetTopUp} — the same with lease-ahead 0, so every acquisition is one Bucket4j reservation
 *       ({@code GET} + compare-and-swap script): the no-prefetch cost, reported only.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class RateBudgetBenchmark {

    private static final BudgetCost COST = BudgetCost.of(1, 1);
    private static final BudgetCost LOCAL_COST = new BudgetCost(1, 11, 256);
    private static final LlmUsage LOCAL_USAGE = LlmUsage.of(11, 256, 267);
    private static final LlmUsage USAGE = LlmUsage.of(1, 1, 2);
    /**
     * 20 million requests and tokens a second: above what one thread reaches, so no bucket runs dry within a run, and
     * below Bucket4j's highest refill rate (1 token/ns) and the int range of a Resilience4j cycle.
     */
    private static final RateLimits UNEXHAUSTED = RateLimits.of(1_200_000_000L, 1_200_000_000L);

    private @Nullable LocalRedisServer server;
    private @Nullable RedisClient client;
    private @Nullable StatefulRedisConnection<byte[], byte[]> connection;
    private @Nullable ScheduledThreadPoolExecutor scheduler;
    private @Nullable ExecutorService executor;
    private @Nullable FleetRateBudget prefetching;
    private @Nullable FleetRateBudget noPrefetch;
    private final byte[] rawKey = "llmix:fleet:bench:raw".getBytes(StandardCharsets.UTF_8);

    @Setup(Level.Trial)
    public void open() throws IOException, InterruptedException {
        server = LocalRedisServer.start();
        client = RedisClient.create(server.url());
        connection = client.connect(ByteArrayCodec.INSTANCE);
        connection.sync().set(rawKey, new byte[64]);
        scheduler = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("bench-fleet-scheduler"));
        executor = Executors.newFixedThreadPool(2, DaemonThreads.named("bench-fleet-call"));
        Bucket4jSharedBuckets buckets = new Bucket4jSharedBuckets(connection, "llmix:fleet:",
                () -> TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis()), Duration.ofMillis(500), scheduler);
        FleetBudgetRuntime runtime = new FleetBudgetRuntime() {
            @Override
            public SharedBucket bucket(BudgetScope scope, dev.llmix.budget.BudgetDimension dimension, long capacity,
                    long limitPerMinute) {
                return buckets.bucket(scope, dimension, capacity, limitPerMinute, 1);
            }

            @Override
            public boolean healthy() {
                return true;
            }

            @Override
            public void failed(Throwable cause) {
                throw new IllegalStateException("Redis failed during the benchmark", cause);
            }

            @Override
            public int degradedDivisor() {
                return 1;
            }
        };
        RateBudgetFactory noLocal = (scope, limits, env) -> {
            throw new IllegalStateException("the benchmark never degrades");
        };
        BudgetEnvironment env = new BudgetEnvironment(scheduler, executor, System::nanoTime, BudgetListener.NOOP,
                noLocal);
        prefetching = new FleetRateBudget(BudgetScope.provider("bench-prefetch"), BudgetLimits.of(UNEXHAUSTED), env,
                runtime, FleetBudgetSettings.DEFAULTS);
        noPrefetch = new FleetRateBudget(BudgetScope.provider("bench-topup"), BudgetLimits.of(UNEXHAUSTED), env,
                runtime, new FleetBudgetSettings(Duration.ZERO, FleetBudgetSettings.DEFAULTS.idleReturn()));
        Checks.equal(rawRoundTrip().length, 64, "raw GET length");
        fleetAcquire();
        fleetTopUp();
    }

    @TearDown(Level.Trial)
    public void close() throws IOException, InterruptedException {
        if (prefetching != null) {
            prefetching.close();
        }
        if (noPrefetch != null) {
            noPrefetch.close();
        }
        if (connection != null) {
            connection.close();
        }
        if (client != null) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (executor != null) {
            executor.shutdownNow();
        }
        if (server != null) {
            server.close();
        }
    }

    @Benchmark
    public byte[] rawRoundTrip() {
        return connection.sync().get(rawKey);
    }

    /** LOCAL budgets far above what one thread can use within a refresh period; grants complete on the caller. */
    @State(Scope.Benchmark)
    public static class LocalBudgets {
        final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        final BudgetEnvironment env = new BudgetEnvironment(scheduler, Runnable::run, System::nanoTime,
                BudgetListener.NOOP, LocalRateBudgetFactory.INSTANCE);
        final LocalRateBudget rpm = new LocalRateBudget(BudgetScope.provider("openai"),
                BudgetLimits.of(RateLimits.rpm(600_000_000L)), env, BudgetMode.LOCAL);
        final LocalRateBudget rpmTpm = new LocalRateBudget(BudgetScope.provider("openai"),
                BudgetLimits.of(new RateLimits(600_000_000L, 2_000_000_000L, 0, 0)), env, BudgetMode.LOCAL);

        @TearDown
        public void close() {
            rpm.close();
            rpmTpm.close();
            scheduler.shutdownNow();
        }
    }

    /** One {@code acquire} granted at once plus its settle on a LOCAL rpm budget. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public BudgetGrant localAcquire(LocalBudgets s) {
        BudgetGrant g = s.rpm.acquire(LOCAL_COST, System.nanoTime() + 1_000_000_000L).toCompletableFuture().join();
        g.settleSuccess(LOCAL_USAGE);
        return g;
    }

    /** The same on an rpm + tpm budget settled with a status (tokens refunded: the next acquisition spends credit). */
    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public BudgetGrant localAcquireRpmTpm(LocalBudgets s) {
        BudgetGrant g = s.rpmTpm.acquire(LOCAL_COST, System.nanoTime() + 1_000_000_000L).toCompletableFuture()
                .join();
        g.settleFailure(true);
        return g;
    }

    @Benchmark
    public BudgetGrant fleetAcquire() {
        return acquireAndSettle(prefetching);
    }

    @Benchmark
    public BudgetGrant fleetTopUp() {
        return acquireAndSettle(noPrefetch);
    }

    private static BudgetGrant acquireAndSettle(FleetRateBudget budget) {
        BudgetGrant g = budget.acquire(COST, System.nanoTime() + TimeUnit.SECONDS.toNanos(5)).toCompletableFuture()
                .join();
        g.settleSuccess(USAGE);
        return g;
    }
}
