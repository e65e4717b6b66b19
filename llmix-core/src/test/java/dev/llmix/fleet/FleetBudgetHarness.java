package dev.llmix.fleet;

import dev.llmix.budget.BudgetDimension;
import dev.llmix.budget.BudgetEnvironment;
import dev.llmix.budget.BudgetLimits;
import dev.llmix.budget.BudgetListener;
import dev.llmix.budget.BudgetScope;
import dev.llmix.budget.RateBudgetFactory;
import dev.llmix.budget.RateLimits;
import dev.llmix.internal.DaemonThreads;
import dev.llmix.testsupport.RealRedis;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One coordinator of the single-JVM fleet tests: its own Lettuce connection to the real Redis, its own threads, and
 * a minimal runtime whose health a test can switch (the fleet runtime proper owns health in production).
 */
final class FleetBudgetHarness implements AutoCloseable {

    static final String PREFIX = "llmix:fleet:";

    final RedisClient client;
    final StatefulRedisConnection<byte[], byte[]> connection;
    final ScheduledThreadPoolExecutor scheduler;
    final ExecutorService executor;
    final Bucket4jSharedBuckets buckets;
    final AtomicBoolean healthy = new AtomicBoolean(true);
    final AtomicInteger divisor = new AtomicInteger(1);
    final List<Throwable> failures = new ArrayList<>();
    private final List<FleetRateBudget> budgets = new ArrayList<>();

    FleetBudgetHarness(RealRedis redis, String name) {
        client = RedisClient.create(RedisURI.create(redis.host(), redis.port()));
        // Like the fleet connection: rejected at once while disconnected, never queued.
        client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
        connection = client.connect(ByteArrayCodec.INSTANCE);
        scheduler = new ScheduledThreadPoolExecutor(1, DaemonThreads.named(name + "-scheduler"));
        scheduler.setRemoveOnCancelPolicy(true);
        executor = Executors.newFixedThreadPool(2, DaemonThreads.named(name + "-call"));
        long epochBase = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
        long nanoBase = System.nanoTime();
        buckets = new Bucket4jSharedBuckets(connection, PREFIX, () -> epochBase + (System.nanoTime() - nanoBase),
                Duration.ofMillis(500), scheduler);
    }

    FleetRateBudget budget(BudgetScope scope, RateLimits limits, FleetBudgetSettings settings,
            RateBudgetFactory local) {
        FleetBudgetRuntime runtime = new FleetBudgetRuntime() {
            @Override
            public SharedBucket bucket(BudgetScope s, BudgetDimension d, long capacity, long limitPerMinute) {
                return buckets.bucket(s, d, capacity, limitPerMinute, 1);
            }

            @Override
            public boolean healthy() {
                return healthy.get();
            }

            @Override
            public void failed(Throwable cause) {
                synchronized (failures) {
                    failures.add(cause);
                }
                healthy.set(false);
            }

            @Override
            public int degradedDivisor() {
                return divisor.get();
            }
        };
        BudgetEnvironment env = new BudgetEnvironment(scheduler, executor, System::nanoTime, BudgetListener.NOOP,
                local);
        FleetRateBudget b = new FleetRateBudget(scope, BudgetLimits.of(limits), env, runtime, settings);
        budgets.add(b);
        return b;
    }

    /** Redis commands by name since the last {@code CONFIG RESETSTAT} (from {@code INFO commandstats}). */
    static Map<String, Long> commandStats(RealRedis redis) {
        Object info = redis.command("INFO", "commandstats");
        Map<String, Long> out = new java.util.TreeMap<>();
        for (String line : String.valueOf(info).split("\r?\n")) {
            if (line.startsWith("cmdstat_")) {
                String name = line.substring("cmdstat_".length(), line.indexOf(':'));
                int c = line.indexOf("calls=") + "calls=".length();
                out.put(name, Long.parseLong(line.substring(c, line.indexOf(',', c))));
            }
        }
        return out;
    }

    /**
     * Round trips on budget keys: a Bucket4j compare-and-swap command is a client {@code GET} of the state, then an
     * {@code EVAL} of the swap script, which itself runs a {@code GET} and a {@code PSETEX} inside Redis (counted by
     * {@code INFO commandstats} but not round trips). So client round trips = (GET − EVAL) + EVAL.
     */
    static long roundTrips(Map<String, Long> stats) {
        long evals = stats.getOrDefault("eval", 0L) + stats.getOrDefault("evalsha", 0L);
        long clientGets = stats.getOrDefault("get", 0L) - evals;
        return clientGets + evals;
    }

    @Override
    public void close() {
        for (FleetRateBudget b : budgets) {
            b.close();
        }
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        scheduler.shutdownNow();
        executor.shutdownNow();
    }
}
