package dev.llmix.testsupport;

import dev.llmix.fleet.FleetRuntime;
import dev.llmix.fleet.FleetSettings;
import dev.llmix.fleet.RedisClock;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Fleet coordinators for single-JVM fleet tests (docs/fleet.md): each gets its own Lettuce client, id and
 * connections on one {@link RealRedis}, with quick intervals so that tests converge in well under a second. Close it
 * to close every runtime and client it made.
 */
public final class FleetClients implements AutoCloseable {

    private final RealRedis redis;
    private final List<AutoCloseable> open = new ArrayList<>();

    /** Coordinators on {@code redis}. */
    public FleetClients(RealRedis redis) {
        this.redis = redis;
    }

    /** Quick settings for tests: poll 100 ms, heartbeat 200 ms, member TTL 1 s, back-off 200 ms (cap 1 s). */
    public static FleetSettings.Builder quick(String id) {
        return FleetSettings.builder().instanceId(id).pollInterval(Duration.ofMillis(100))
                .heartbeatInterval(Duration.ofMillis(200)).memberTtl(Duration.ofSeconds(1))
                .backoff(Duration.ofMillis(200)).backoffMax(Duration.ofSeconds(1)).commandTimeout(Duration.ofSeconds(1))
                .callTimeout(Duration.ofMillis(500));
    }

    /** A Lettuce client like the starter's isolated one: reject while disconnected, short timeouts. */
    public RedisClient client() {
        RedisClient c = RedisClient.create(RedisURI.create(redis.host(), redis.port()));
        c.setOptions(ClientOptions.builder().autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(1)).build())
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(1))).build());
        open.add(0, c::shutdown);
        return c;
    }

    /** A started runtime with {@code settings} on the system clock. */
    public FleetRuntime start(FleetSettings settings) {
        return start(settings, new RedisClock());
    }

    /** A started runtime with {@code settings} on an injected clock. */
    public FleetRuntime start(FleetSettings settings, RedisClock clock) {
        FleetRuntime rt = FleetRuntime.start(settings, client(), clock);
        open.add(0, rt);
        return rt;
    }

    /** A started runtime that is already healthy. */
    public FleetRuntime startHealthy(FleetSettings settings) {
        FleetRuntime rt = start(settings);
        eventually(Duration.ofSeconds(10), rt::healthy, rt + " never became healthy");
        return rt;
    }

    /** Polls {@code condition} every 10 ms until it holds, failing with {@code message} after {@code limit}. */
    public static void eventually(Duration limit, BooleanSupplier condition, String message) {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError(message);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        for (AutoCloseable c : open) {
            try {
                c.close();
            } catch (Exception e) {
                // best effort: the next test gets a fresh set
            }
        }
        open.clear();
    }
}
