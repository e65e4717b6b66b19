package dev.llmix.spring.killswitch;

import dev.llmix.spi.KillSwitchGate;
import dev.llmix.resilience.KillSwitch;
import dev.llmix.resilience.KillSwitchStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fleet-wide kill switch: engaged while a key exists in a shared store (Redis), honoured by every instance within
 * one poll interval. A daemon thread reads the key every {@code pollInterval} (at most 500 ms) and caches the result
 * in a volatile field, so the per-call {@link #check()} costs one volatile read. The instance's kill switch file still
 * blocks calls on its own (the pipeline checks it first).
 *
 * <p>While the store cannot be read, {@link RedisFailureMode} decides: keep the last state read (default), allow, or
 * block. Reading failures are logged once per outage, recovery once.
 */
public final class FleetKillSwitch implements LlmixKillSwitch, KillSwitchGate, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FleetKillSwitch.class);
    private static final JsonMapper JSON = JsonMapper.shared();
    private static final int MAX_REASON_LENGTH = 500;

    /** One reading of the fleet key. */
    private record Fleet(boolean engaged, @Nullable String reason, @Nullable Instant since) {
        static final Fleet RELEASED = new Fleet(false, null, null);
    }

    private final FleetKillSwitchStore store;
    private final Supplier<KillSwitch> localFile;
    private final Duration pollInterval;
    private final RedisFailureMode failureMode;
    private final Clock clock;
    private final Object writeLock = new Object();
    private volatile @Nullable KillSwitch file;
    /** The last state read from (or written to) the store. */
    private volatile Fleet lastKnown = Fleet.RELEASED;
    /** What the gate enforces: {@link #lastKnown}, or the failure mode's choice while the store is unreadable. */
    private volatile Fleet effective = Fleet.RELEASED;
    private volatile boolean storeReachable = true;
    /** Bumped by engage/release, so a poll that read the key before a local write does not undo it. */
    private long writes;
    private volatile @Nullable ScheduledExecutorService poller;

    /**
     * @param store        the shared key
     * @param localFile    the pipeline's kill switch file (looked up when first needed)
     * @param pollInterval how often the key is read; positive and at most 500 ms
     * @param failureMode  what to assume while the store cannot be read
     * @param clock        stamps {@link #engage(String)}
     */
    public FleetKillSwitch(FleetKillSwitchStore store, Supplier<KillSwitch> localFile, Duration pollInterval,
            RedisFailureMode failureMode, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.localFile = Objects.requireNonNull(localFile, "localFile");
        this.failureMode = Objects.requireNonNull(failureMode, "failureMode");
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(pollInterval, "pollInterval");
        if (pollInterval.isNegative() || pollInterval.isZero()
                || pollInterval.compareTo(LlmixKillSwitchProperties.MAX_POLL_INTERVAL) > 0) {
            throw new IllegalArgumentException(
                    "llmix.kill-switch.fleet.poll-interval must be > 0 and <= 500ms, got " + pollInterval);
        }
        this.pollInterval = pollInterval;
    }

    /** Reads the key once now, then every poll interval on a daemon thread. Idempotent. */
    public synchronized void start() {
        if (poller != null) {
            return;
        }
        poll();
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "llmix-fleet-killswitch");
            t.setDaemon(true);
            return t;
        });
        long nanos = pollInterval.toNanos();
        s.scheduleWithFixedDelay(this::poll, nanos, nanos, TimeUnit.NANOSECONDS);
        poller = s;
    }

    /** Stops polling. */
    @Override
    public synchronized void close() {
        ScheduledExecutorService s = poller;
        if (s != null) {
            s.shutdownNow();
            poller = null;
        }
    }

    /** Reads the key and updates the cached state; never throws (it runs on the poller). */
    void poll() {
        long before;
        synchronized (writeLock) {
            before = writes;
        }
        try {
            Fleet read = parse(store.read());
            synchronized (writeLock) {
                if (writes != before) {
                    return;
                }
                lastKnown = read;
                effective = read;
                if (!storeReachable) {
                    storeReachable = true;
                    LOG.info("LLMix fleet kill switch: {} is readable again", store.describe());
                }
            }
        } catch (Throwable e) {
            synchronized (writeLock) {
                // effective first: a reader that sees the store unreachable also sees the failure mode applied.
                effective = switch (failureMode) {
                    case LAST_KNOWN -> lastKnown;
                    case ALLOW -> Fleet.RELEASED;
                    case BLOCK -> new Fleet(true, "fleet kill switch state unknown (store unreachable)", null);
                };
                if (storeReachable) {
                    storeReachable = false;
                    LOG.warn("LLMix fleet kill switch: cannot read {} ({}); assuming {} until it is readable",
                            store.describe(), e.getClass().getSimpleName(), describe(failureMode));
                }
            }
        }
    }

    @Override
    public void check() {
        Fleet f = effective;
        if (f.engaged) {
            throw new FleetKillSwitchActiveException(file().path(), storeReachable
                    ? "Kill switch active: the fleet-wide switch (" + store.describe()
                            + ") is engaged. All LLMix calls are blocked."
                    : "Kill switch active: the fleet-wide switch (" + store.describe()
                            + ") cannot be read and is assumed engaged. All LLMix calls are blocked.");
        }
    }

    @Override
    public KillSwitchScope scope() {
        return KillSwitchScope.FLEET;
    }

    @Override
    public KillSwitchState state() {
        KillSwitchStatus local = file().status();
        Fleet f = effective;
        if (f.engaged) {
            return new KillSwitchState(true, KillSwitchScope.FLEET, local.path(), f.reason, f.since);
        }
        return new KillSwitchState(local.active(), KillSwitchScope.FLEET, local.path(), local.reason(), local.since());
    }

    /** Whether the fleet key (not the local file) currently blocks calls on this instance. */
    public boolean fleetEngaged() {
        return effective.engaged;
    }

    /** Whether the last read of the store succeeded. */
    public boolean storeReachable() {
        return storeReachable;
    }

    /**
     * Engages the switch for the whole fleet: writes the key with the reason and the current instant. This instance
     * honours it at once, the others at their next poll.
     */
    @Override
    public void engage(String reason) {
        Objects.requireNonNull(reason, "reason");
        Fleet f = new Fleet(true, sanitize(reason), clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("reason", f.reason);
        doc.put("since", String.valueOf(f.since));
        synchronized (writeLock) {
            store.write(JSON.writeValueAsString(doc));
            writes++;
            lastKnown = f;
            effective = f;
            storeReachable = true;
        }
    }

    /** Releases the fleet key and this instance's kill switch file. */
    @Override
    public void release() {
        synchronized (writeLock) {
            store.delete();
            writes++;
            lastKnown = Fleet.RELEASED;
            effective = Fleet.RELEASED;
            storeReachable = true;
        }
        file().release();
    }

    private KillSwitch file() {
        KillSwitch f = file;
        if (f == null) {
            f = Objects.requireNonNull(localFile.get(), "kill switch file");
            file = f;
        }
        return f;
    }

    /** Any value under the key engages the switch; reason and timestamp are read when it is our JSON. */
    private static Fleet parse(@Nullable String doc) {
        if (doc == null) {
            return Fleet.RELEASED;
        }
        String reason = null;
        Instant since = null;
        try {
            JsonNode n = JSON.readTree(doc);
            JsonNode r = n.get("reason");
            if (r != null && r.isString()) {
                reason = sanitize(r.asString());
            }
            JsonNode s = n.get("since");
            if (s != null && s.isString()) {
                since = Instant.parse(s.asString());
            }
        } catch (JacksonException | DateTimeParseException e) {
            // Set by hand (e.g. redis-cli SET llmix:killswitch 1): engaged without details.
        }
        return new Fleet(true, reason == null || reason.isEmpty() ? null : reason, since);
    }

    private static String sanitize(String reason) {
        StringBuilder sb = new StringBuilder(Math.min(reason.length(), MAX_REASON_LENGTH));
        for (int i = 0; i < reason.length() && sb.length() < MAX_REASON_LENGTH; i++) {
            char c = reason.charAt(i);
            sb.append(Character.isISOControl(c) || c == '\u2028' || c == '\u2029' ? ' ' : c);
        }
        return sb.toString().strip();
    }

    private static String describe(RedisFailureMode mode) {
        return switch (mode) {
            case LAST_KNOWN -> "the last state read";
            case ALLOW -> "released (on-redis-failure=allow)";
            case BLOCK -> "engaged (on-redis-failure=block)";
        };
    }

    @Override
    public String toString() {
        return "FleetKillSwitch[" + store.describe() + ", engaged=" + effective.engaged + "]";
    }
}
