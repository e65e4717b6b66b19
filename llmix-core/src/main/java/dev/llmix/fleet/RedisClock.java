package dev.llmix.fleet;

import java.time.Clock;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The fleet's time base: Redis server time estimated locally, so that no host ever compares its own wall clock with
 * another's. The local side is a monotonic epoch (the wall clock read once at start plus {@link System#nanoTime()}
 * progress); {@link #sync} sets the offset from the shortest of a few {@code TIME} round trips (error ≤ half of it).
 * Thread-safe; reads are one volatile load.
 */
public final class RedisClock {

    private final LongSupplier nanoTime;
    private final long startWallMillis;
    private final long startNanos;
    private volatile long offsetMillis;
    private volatile boolean synced;

    /** A clock on the system wall clock and {@link System#nanoTime()}. */
    public RedisClock() {
        this(Clock.systemUTC(), System::nanoTime);
    }

    /** A clock on an injected wall clock (read once) and monotonic source, for tests. */
    public RedisClock(Clock wallClock, LongSupplier nanoTime) {
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.startWallMillis = wallClock.millis();
        this.startNanos = nanoTime.getAsLong();
    }

    /** This host's monotonic epoch milliseconds (not corrected by Redis). */
    public long localMillis() {
        return startWallMillis + (nanoTime.getAsLong() - startNanos) / 1_000_000L;
    }

    /** The monotonic nano source this clock runs on. */
    public long nanoTime() {
        return nanoTime.getAsLong();
    }

    /** Estimated Redis time in epoch milliseconds ({@link #localMillis()} before the first sync). */
    public long redisMillis() {
        return localMillis() + offsetMillis;
    }

    /**
     * Estimated Redis time in epoch nanoseconds, at nanosecond resolution: the client clock of the shared buckets
     * (docs/fleet-budgets.md).
     */
    public long redisNanos() {
        return startWallMillis * 1_000_000L + (nanoTime.getAsLong() - startNanos) + offsetMillis * 1_000_000L;
    }

    /** Redis time minus local time, as last measured. */
    public long offsetMillis() {
        return offsetMillis;
    }

    /** True once {@link #sync} has run. */
    public boolean synced() {
        return synced;
    }

    /**
     * Records one {@code TIME} round trip: {@code redisMillis} read by the server between the local readings
     * {@code sentMillis} and {@code receivedMillis}; the caller passes the shortest of its samples.
     */
    public void sync(long sentMillis, long receivedMillis, long redisMillis) {
        long midpoint = sentMillis + (receivedMillis - sentMillis) / 2;
        offsetMillis = redisMillis - midpoint;
        synced = true;
    }

    /** Nanoseconds from now until the Redis time {@code redisMillis} (negative when it has passed). */
    public long nanosUntil(long redisMillis) {
        return (redisMillis - redisMillis()) * 1_000_000L;
    }
}
