package dev.llmix.cache;

import dev.llmix.config.CachingStrategy;
import dev.llmix.internal.DaemonThreads;
import dev.llmix.internal.JsonStrings;
import dev.llmix.spi.CacheHitTier;
import dev.llmix.spi.ResponseCacheStore;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The LLMix response cache: a bounded in-process LRU L1 with per-entry expiry in front of an optional shared L2
 * reached through a {@link ResponseCacheStore} (Redis). L2 entries use the cross-language payload
 * {@code {"data":…,"cached_at":<unix seconds>}}, so Java, TypeScript and Python services can share one Redis. L2
 * trouble never fails a lookup or a write: it degrades to L1-only and recovers on its own.
 *
 * <p>Thread-safe. L1 lookups are lock-free and allocation-free on a hit; L2 reads run on the caller's thread, L2
 * writes on a bounded background executor.
 */
public final class TwoTierCache implements AutoCloseable {

    /** Default L1 capacity. */
    public static final int DEFAULT_MAX_ITEMS = 1000;
    /** Default time to live of L1 and L2 entries. */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(3600);
    /** Default interval of the L2 health PING, and back-off after a failed connect. */
    public static final Duration HEALTH_INTERVAL = Duration.ofSeconds(30);
    /** Consecutive L2 write failures after which L2 is marked unhealthy. */
    public static final int UNHEALTHY_THRESHOLD = 3;

    private static final Logger LOG = LoggerFactory.getLogger(TwoTierCache.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final double LEGACY_MILLIS_THRESHOLD = 1_000_000_000_000d;
    private static final long NEVER = Long.MIN_VALUE;

    private enum L2State { NOT_CONNECTED, CONNECTED, CLOSED }

    private final CachingStrategy strategy;
    private final int maxItems;
    private final long ttlSeconds;
    private final long ttlNanos;
    private final LongSupplier clock;
    private final LruL1 l1;
    private final @Nullable ResponseCacheStore store;
    private final boolean l2Enabled;
    private final Executor l2Executor;
    private final @Nullable ExecutorService ownedL2Executor;
    private final @Nullable ScheduledExecutorService injectedScheduler;
    private @Nullable ScheduledExecutorService ownedScheduler;
    private @Nullable ScheduledFuture<?> healthTask;
    private final long healthIntervalMs;
    /** When the last "L2 GET failed" warning was logged; failures in between are only counted. */
    private final AtomicLong lastGetWarningMs = new AtomicLong(NEVER);

    private final Object connectLock = new Object();
    private volatile L2State l2State = L2State.NOT_CONNECTED;
    private volatile boolean l2Healthy = true;
    private volatile long lastConnectAttemptMs = NEVER;
    private final AtomicInteger consecutiveWriteFailures = new AtomicInteger();
    private final AtomicBoolean malformedLogged = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    private final LongAdder l1Hits = new LongAdder();
    private final LongAdder l2Hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder l2Errors = new LongAdder();
    private final LongAdder malformedEntries = new LongAdder();

    private TwoTierCache(Builder b) {
        if (!b.strategy.usesResponseCache()) {
            throw new IllegalArgumentException("TwoTierCache strategy must be redis, redis-or-memory or memory, got \""
                    + b.strategy.wireName() + "\"");
        }
        if (b.strategy == CachingStrategy.REDIS && b.l2 == null) {
            throw new IllegalArgumentException(
                    "TwoTierCache strategy \"redis\" requires config.redisUrl to be set.");
        }
        if (b.maxItems < 1) {
            throw new IllegalArgumentException("maxItems must be >= 1, got " + b.maxItems);
        }
        if (b.ttl.getSeconds() < 1) {
            throw new IllegalArgumentException("ttl must be at least 1 second, got " + b.ttl);
        }
        this.strategy = b.strategy;
        this.maxItems = b.maxItems;
        this.ttlSeconds = b.ttl.getSeconds();
        this.ttlNanos = TimeUnit.SECONDS.toNanos(ttlSeconds);
        LongSupplier injectedClock = b.clock;
        this.clock = injectedClock != null ? injectedClock : System::currentTimeMillis;
        // Without an injected clock, expiry uses the monotonic clock so wall-clock jumps cannot expire entries.
        LongSupplier nanos = injectedClock != null ? () -> injectedClock.getAsLong() * 1_000_000L : System::nanoTime;
        this.l1 = new LruL1(maxItems, nanos);
        this.l2Enabled = strategy != CachingStrategy.MEMORY && b.l2 != null;
        this.store = l2Enabled ? b.l2 : null;
        this.injectedScheduler = b.healthScheduler;
        this.healthIntervalMs = b.healthInterval.toMillis();
        if (!l2Enabled) {
            this.l2Executor = Runnable::run;
            this.ownedL2Executor = null;
        } else if (b.l2Executor != null) {
            this.l2Executor = b.l2Executor;
            this.ownedL2Executor = null;
        } else {
            ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS,
                    new ArrayBlockingQueue<>(10_000), DaemonThreads.named("llmix-cache-l2-write"),
                    new ThreadPoolExecutor.AbortPolicy());
            pool.allowCoreThreadTimeOut(true);
            this.l2Executor = pool;
            this.ownedL2Executor = pool;
        }
    }

    /** A builder with the defaults: strategy {@code memory}, 1000 items, one hour TTL, no L2. */
    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Lookups and writes

    /**
     * Looks {@code key} up in L1, then (when enabled and healthy) in L2. An L2 hit is copied into L1 for its remaining
     * lifetime. Never throws for L2 trouble: that is a miss.
     *
     * @return the hit with its tier, or {@code null} on a miss
     */
    public @Nullable CacheLookup get(String key) {
        CacheLookup hit = l1.get(key);
        if (hit != null) {
            l1Hits.increment();
            return hit;
        }
        CacheLookup fromL2 = l2Enabled ? getFromL2(key) : null;
        if (fromL2 == null) {
            misses.increment();
        } else {
            l2Hits.increment();
        }
        return fromL2;
    }

    /**
     * Stores {@code value}: L1 at once, L2 in the background. L2 failures are logged and counted, never thrown.
     */
    public void set(String key, String value) {
        setAsync(key, value);
    }

    /**
     * Stores {@code value} like {@link #set} and returns a future that completes (normally, always) when the L2 write
     * has finished or was skipped.
     */
    public CompletableFuture<Void> setAsync(String key, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        long nowMs = clock.getAsLong();
        l1.put(key, value, ttlNanos);
        if (!l2Enabled || closed.get()) {
            return CompletableFuture.completedFuture(null);
        }
        long cachedAt = Math.floorDiv(nowMs, 1000L);
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            l2Executor.execute(() -> {
                try {
                    writeL2(key, value, cachedAt);
                } finally {
                    done.complete(null);
                }
            });
        } catch (RejectedExecutionException e) {
            // The write queue is full or the cache is closing: the L1 copy still serves this process.
            l2Errors.increment();
            done.complete(null);
        }
        return done;
    }

    /** Empties L1. L2 entries stay until their TTL expires. */
    public void clear() {
        l1.clear();
    }

    /** Current sizes, L2 state and counters. */
    public CacheStats stats() {
        return new CacheStats(l1.size(), maxItems, l2Enabled, l2Healthy, strategy, l1Hits.sum(),
                l2Hits.sum(), misses.sum(), l2Errors.sum(), malformedEntries.sum());
    }

    /** The construction strategy ({@code redis}, {@code redis-or-memory} or {@code memory}). */
    public CachingStrategy strategy() {
        return strategy;
    }

    /** The entry time to live. */
    public Duration ttl() {
        return Duration.ofSeconds(ttlSeconds);
    }

    /**
     * Stops the health monitor, lets queued L2 writes finish (briefly), and closes the L2 store. L1 keeps serving
     * hits. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        synchronized (connectLock) {
            if (healthTask != null) {
                healthTask.cancel(false);
                healthTask = null;
            }
            if (ownedScheduler != null) {
                ownedScheduler.shutdownNow();
                ownedScheduler = null;
            }
        }
        if (ownedL2Executor != null) {
            ownedL2Executor.shutdown();
            try {
                ownedL2Executor.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        l2State = L2State.CLOSED;
        if (store != null) {
            try {
                store.close();
            } catch (RuntimeException e) {
                LOG.debug("Closing the L2 store failed; ignored.", e);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // L2

    private @Nullable CacheLookup getFromL2(String key) {
        ResponseCacheStore l2 = store;
        if (l2 == null || !l2Usable()) {
            return null;
        }
        String raw;
        try {
            raw = l2.get(key);
        } catch (Exception e) {
            l2Errors.increment();
            warnGetFailure(e);
            return null;
        }
        if (raw == null) {
            return null;
        }
        Payload payload;
        try {
            payload = parsePayload(raw);
        } catch (RuntimeException e) {
            // Whatever an entry holds, cache trouble is a miss, never a failed call.
            malformed();
            return null;
        }
        if (payload == null) {
            return null;
        }
        double nowMs = clock.getAsLong();
        double remainingMs = ttlSeconds * 1000d - (nowMs - payload.cachedAtSeconds * 1000d);
        if (remainingMs <= 0) {
            return null;
        }
        // A timestamp from a clock running ahead could promise more than a full TTL; never keep it longer.
        long lifetimeNanos = Math.min(ttlNanos, Math.round(remainingMs * 1_000_000d));
        if (lifetimeNanos <= 0) {
            return null;
        }
        l1.put(key, payload.data, lifetimeNanos);
        return new CacheLookup(payload.data, CacheHitTier.L2);
    }

    /** Logs a failed read at most once per health interval: reads can fail on every call while writes succeed. */
    private void warnGetFailure(Exception e) {
        long now = clock.getAsLong();
        long last = lastGetWarningMs.get();
        if ((last == NEVER || now - last >= healthIntervalMs) && lastGetWarningMs.compareAndSet(last, now)) {
            LOG.warn("L2 GET failed, treating as cache miss. ({}) Further failures within {} ms are only counted.",
                    e.toString(), healthIntervalMs);
        }
    }

    private @Nullable Payload parsePayload(String raw) {
        JsonNode node;
        try {
            node = JSON.readTree(raw);
        } catch (JacksonException e) {
            malformed();
            return null;
        }
        if (node == null || !node.isObject()) {
            malformed();
            return null;
        }
        JsonNode data = node.get("data");
        if (data == null || !data.isString()) {
            malformed();
            return null;
        }
        return new Payload(data.asString(), normaliseCachedAt(node));
    }

    private double normaliseCachedAt(JsonNode node) {
        JsonNode ts = node.get("cached_at");
        if (ts == null || !ts.isNumber()) {
            ts = node.get("cachedAt");
        }
        double nowSeconds = clock.getAsLong() / 1000d;
        if (ts == null || !ts.isNumber()) {
            return nowSeconds;
        }
        // Number.doubleValue never throws: an integer too large for a double becomes Infinity and reads as "now",
        // where asDouble() would throw and fail every call for the key until it expired (docs/reliability.md).
        double v = ts.numberValue().doubleValue();
        if (!Double.isFinite(v) || v <= 0) {
            return nowSeconds;
        }
        if (v > LEGACY_MILLIS_THRESHOLD) {
            return Math.floor(v / 1000d);
        }
        return v;
    }

    private void malformed() {
        malformedEntries.increment();
        if (malformedLogged.compareAndSet(false, true)) {
            LOG.warn("L2 returned malformed cache entry, ignoring. (Further malformed entries are only counted.)");
        }
    }

    private void writeL2(String key, String value, long cachedAtSeconds) {
        ResponseCacheStore l2 = store;
        if (l2 == null || !l2Usable()) {
            return;
        }
        try {
            l2.setex(key, ttlSeconds, payload(value, cachedAtSeconds));
            consecutiveWriteFailures.set(0);
        } catch (Exception e) {
            l2Errors.increment();
            int failures = consecutiveWriteFailures.incrementAndGet();
            LOG.warn("L2 SET failed ({} consecutive). ({})", failures, e.toString());
            if (failures >= UNHEALTHY_THRESHOLD && l2Healthy) {
                l2Healthy = false;
                LOG.warn("L2 marked unhealthy after 3 consecutive write failures.");
            }
        }
    }

    /**
     * The cross-language L2 payload {@code {"data":…,"cached_at":…}} (docs/cache.md), with the text quoted the way
     * {@code JSON.stringify} quotes it: a lone UTF-16 surrogate becomes the six-character ASCII escape
     * {@code \}{@code udxxx}, so the payload is well-formed UTF-16 and its UTF-8 bytes in Redis read back exactly, in
     * every binding and process. Jackson would write the surrogate raw, and UTF-8 encoding would turn it into
     * {@code ?}.
     */
    static String payload(String value, long cachedAtSeconds) {
        StringBuilder sb = new StringBuilder(value.length() + 40).append("{\"data\":");
        JsonStrings.appendQuoted(sb, value);
        return sb.append(",\"cached_at\":").append(cachedAtSeconds).append('}').toString();
    }

    /** Whether L2 may be used now, connecting lazily (at most once per back-off period). */
    private boolean l2Usable() {
        L2State state = l2State;
        if (state == L2State.CONNECTED) {
            return l2Healthy;
        }
        // Not closed.get(): writes queued before close() are drained by it and must still reach L2.
        if (state == L2State.CLOSED) {
            return false;
        }
        return connect();
    }

    private boolean connect() {
        ResponseCacheStore l2 = Objects.requireNonNull(store);
        // Concurrent first operations share one attempt: the others wait here and read its outcome.
        synchronized (connectLock) {
            if (l2State == L2State.CONNECTED) {
                return l2Healthy;
            }
            if (l2State == L2State.CLOSED) {
                return false;
            }
            long now = clock.getAsLong();
            long last = lastConnectAttemptMs;
            if (last != NEVER && now - last < healthIntervalMs) {
                return false;
            }
            lastConnectAttemptMs = now;
            try {
                l2.ping();
            } catch (Exception e) {
                l2Errors.increment();
                l2Healthy = false;
                LOG.warn("Failed to connect Redis L2, operating L1-only. ({})", e.toString());
                return false;
            }
            l2Healthy = true;
            consecutiveWriteFailures.set(0);
            l2State = L2State.CONNECTED;
            if (!closed.get()) {
                // A connect made while close() drains queued writes must not start a monitor nobody stops.
                startHealthMonitor();
            }
            LOG.info("Redis L2 connected for response cache.");
            return true;
        }
    }

    private void startHealthMonitor() {
        ScheduledExecutorService scheduler = injectedScheduler;
        if (scheduler == null) {
            ScheduledThreadPoolExecutor owned = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("llmix-cache-health"));
            owned.setRemoveOnCancelPolicy(true);
            ownedScheduler = owned;
            scheduler = owned;
        }
        long period = healthIntervalMs;
        healthTask = scheduler.scheduleWithFixedDelay(this::runHealthCheck, period, period, TimeUnit.MILLISECONDS);
    }

    /** One health PING: a failure disables L2, a success after a failure re-enables it. Called by the monitor. */
    void runHealthCheck() {
        ResponseCacheStore l2 = store;
        if (l2 == null || l2State != L2State.CONNECTED) {
            return;
        }
        try {
            l2.ping();
        } catch (Exception e) {
            l2Errors.increment();
            if (l2Healthy) {
                l2Healthy = false;
                LOG.warn("Redis L2 health check failed, disabling L2 temporarily. ({})", e.toString());
            }
            return;
        }
        if (!l2Healthy) {
            consecutiveWriteFailures.set(0);
            l2Healthy = true;
            LOG.info("Redis L2 recovered.");
        }
    }

    private record Payload(String data, double cachedAtSeconds) {
    }

    /** Builder for {@link TwoTierCache}. */
    public static final class Builder {
        private CachingStrategy strategy = CachingStrategy.MEMORY;
        private int maxItems = DEFAULT_MAX_ITEMS;
        private Duration ttl = DEFAULT_TTL;
        private @Nullable ResponseCacheStore l2;
        private @Nullable LongSupplier clock;
        private @Nullable Executor l2Executor;
        private @Nullable ScheduledExecutorService healthScheduler;
        private Duration healthInterval = HEALTH_INTERVAL;

        private Builder() {
        }

        /** {@code memory} (default), {@code redis} (L2 store required) or {@code redis-or-memory}. */
        public Builder strategy(CachingStrategy strategy) {
            this.strategy = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /** L1 capacity, at least 1 (default 1000). */
        public Builder maxItems(int maxItems) {
            this.maxItems = maxItems;
            return this;
        }

        /** Entry lifetime in whole seconds, at least one second (default one hour); used for L1 and L2. */
        public Builder ttl(Duration ttl) {
            this.ttl = Objects.requireNonNull(ttl, "ttl");
            return this;
        }

        /** The L2 store; ignored by the {@code memory} strategy. The cache closes it on {@link #close()}. */
        public Builder l2(@Nullable ResponseCacheStore l2) {
            this.l2 = l2;
            return this;
        }

        /** Wall clock in epoch milliseconds, for {@code cached_at}, expiry and back-off (tests). */
        public Builder clock(LongSupplier epochMillis) {
            this.clock = Objects.requireNonNull(epochMillis, "clock");
            return this;
        }

        /** Executor for background L2 writes; default: two owned daemon threads with a bounded queue. */
        public Builder l2Executor(Executor executor) {
            this.l2Executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Interval of the L2 health PING and back-off after a failed connect (default 30 s, as in every binding);
         * shorter values make recovery after a Redis outage quicker.
         */
        public Builder healthInterval(Duration interval) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("healthInterval must be positive, got " + interval);
            }
            this.healthInterval = interval;
            return this;
        }

        /** Scheduler for the periodic L2 health PING; default: one owned daemon thread. Not shut down by the cache. */
        public Builder healthScheduler(ScheduledExecutorService scheduler) {
            this.healthScheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Builds the cache. No L2 connection is opened here.
         *
         * @throws IllegalArgumentException for a skip strategy, {@code redis} without a store, {@code maxItems < 1}
         *                                  or a TTL below one second
         */
        public TwoTierCache build() {
            return new TwoTierCache(this);
        }
    }
}
