package dev.llmix.fleet;

import dev.llmix.internal.DaemonThreads;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fleet runtime of one instance (docs/fleet.md): its Redis connections (commands, pub/sub, and a byte-array one
 * for Bucket4j), the Redis clock, membership heartbeats, the events channel, the poll, and outage handling.
 *
 * <p>Any connection failure, command timeout or rejected command makes Redis <em>unhealthy</em>: from then on no
 * command is sent ({@link FleetUnavailableException} at once) and the features run locally; after the back-off a
 * background {@code PING} decides, doubling the back-off on failure; on success the clock is re-synchronised, the
 * heartbeat and one poll run, then the recovery listeners re-publish what happened meanwhile. One {@code WARN} per
 * outage, one {@code INFO} on recovery. Everything periodic runs on one daemon thread, {@code llmix-fleet-1}.
 */
public final class FleetRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FleetRuntime.class);
    private static final long MEMBERS_KEY_TTL_MS = 3_600_000L;

    /** Receives every counted event: type, direction ({@code in}/{@code out}), result. */
    @FunctionalInterface
    public interface EventCounter {
        /** Counts one event. */
        void count(String type, String direction, String result);
    }

    private final FleetSettings settings;
    private final RedisClient client;
    private final RedisClock clock;
    private final ScheduledExecutorService scheduler;
    private final JsonMapper json = JsonMapper.builder().build();
    private final String membersKey;
    private final String channel;

    private volatile @Nullable StatefulRedisConnection<String, String> conn;
    private volatile @Nullable StatefulRedisPubSubConnection<String, String> pubsub;
    private volatile @Nullable StatefulRedisConnection<byte[], byte[]> bytes;

    private volatile boolean healthy;
    private volatile Instant since = Instant.now();
    private volatile @Nullable String lastError;
    private volatile int members;
    private volatile boolean closed;
    private volatile boolean everConnected;
    // Guarded by this.
    private boolean probing;
    private boolean warned;
    private long backoffNanos;

    private final Map<String, FleetEventListener> listeners = new ConcurrentHashMap<>();
    private final List<Runnable> recoveryListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> outageListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> heartbeatListeners = new CopyOnWriteArrayList<>();
    private final List<Supplier<CompletionStage<?>>> pollTasks = new CopyOnWriteArrayList<>();
    private volatile EventCounter eventCounter = (type, direction, result) -> { };
    private final List<AutoCloseable> owned = new CopyOnWriteArrayList<>();

    private FleetRuntime(FleetSettings settings, RedisClient client, RedisClock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.client = Objects.requireNonNull(client, "client");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("llmix-fleet"));
        this.membersKey = settings.prefix() + "members";
        this.channel = settings.prefix() + "events";
        this.backoffNanos = settings.backoff().toNanos();
    }

    /**
     * A runtime on {@code client} (its default URI and client options: short timeouts, commands rejected while
     * disconnected) that connects in the background; unhealthy until the first connection succeeds.
     */
    public static FleetRuntime start(FleetSettings settings, RedisClient client) {
        return start(settings, client, new RedisClock());
    }

    /** As {@link #start(FleetSettings, RedisClient)} with an injected clock (tests). */
    public static FleetRuntime start(FleetSettings settings, RedisClient client, RedisClock clock) {
        FleetRuntime rt = new FleetRuntime(settings, client, clock);
        rt.begin();
        return rt;
    }

    private void begin() {
        synchronized (this) {
            probing = true;
        }
        scheduler.execute(this::probe);
        long poll = settings.pollInterval().toNanos();
        scheduler.scheduleWithFixedDelay(() -> periodic(this::poll), poll, poll, TimeUnit.NANOSECONDS);
        long beat = settings.heartbeatInterval().toNanos();
        scheduler.scheduleWithFixedDelay(() -> periodic(this::heartbeat), beat, beat, TimeUnit.NANOSECONDS);
        long sync = settings.clockSyncInterval().toNanos();
        scheduler.scheduleWithFixedDelay(() -> periodic(this::syncClock), sync, sync, TimeUnit.NANOSECONDS);
    }

    // --- identity and state -----------------------------------------------------------------------------------

    /** The settings this runtime runs with. */
    public FleetSettings settings() {
        return settings;
    }

    /** This instance's id. */
    public String instanceId() {
        return settings.instanceId();
    }

    /** {@code prefix + suffix}: every fleet key is built here. */
    public String key(String suffix) {
        return settings.prefix() + suffix;
    }

    /** The Redis clock (time base of every fleet decision). */
    public RedisClock clock() {
        return clock;
    }

    /** True while Redis is usable. */
    public boolean healthy() {
        return healthy;
    }

    /** Live members last read by the heartbeat (0 before the first). */
    public int members() {
        return members;
    }

    /** True once a connection has ever succeeded. */
    public boolean everConnected() {
        return everConnected;
    }

    /** A consistent-enough view for the Actuator and health. */
    public FleetStatus status() {
        return new FleetStatus(instanceId(), settings.budgetsShared(), settings.breakersShared(),
                settings.keysShared(), healthy, since, lastError, clock.offsetMillis(), members);
    }

    /** The fleet thread: features schedule their own background work here. */
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** The Lettuce client (for Bucket4j's proxy manager). */
    public RedisClient client() {
        return client;
    }

    /**
     * The byte-array connection for Bucket4j, opened on first use; null while Redis is unhealthy or unreachable.
     */
    public synchronized @Nullable StatefulRedisConnection<byte[], byte[]> byteConnection() {
        if (!healthy) {
            return null;
        }
        StatefulRedisConnection<byte[], byte[]> b = bytes;
        if (b == null) {
            try {
                b = client.connect(ByteArrayCodec.INSTANCE);
                bytes = b;
            } catch (RuntimeException e) {
                failed(e);
                return null;
            }
        }
        return b;
    }

    // --- listeners ----------------------------------------------------------------------------------------------

    /** Routes messages of {@code type} from other instances to {@code listener} (one listener per type). */
    public void onEvent(String type, FleetEventListener listener) {
        listeners.put(type, Objects.requireNonNull(listener, "listener"));
    }

    /** Runs after each recovery (and the first connection), on the fleet thread, once Redis is healthy again. */
    public void onRecovery(Runnable r) {
        recoveryListeners.add(r);
    }

    /** Runs when Redis becomes unhealthy, on the fleet thread. */
    public void onOutage(Runnable r) {
        outageListeners.add(r);
    }

    /** Runs after each heartbeat, on the fleet thread (budget declarations ride on it). */
    public void onHeartbeat(Runnable r) {
        heartbeatListeners.add(r);
    }

    /** Adds commands to every poll; the stage completes when its replies are applied. */
    public void addPollTask(Supplier<CompletionStage<?>> task) {
        pollTasks.add(task);
    }

    /** Where event counts go (the Spring side registers its {@code llmix.fleet.events} counter). */
    public void eventCounter(EventCounter counter) {
        this.eventCounter = Objects.requireNonNull(counter, "counter");
    }

    // --- commands ---------------------------------------------------------------------------------------------

    /** A command on the call path, bounded by the call timeout; fails at once, sending nothing, while unhealthy. */
    public <T> CompletableFuture<T> callPath(Function<RedisAsyncCommands<String, String>, RedisFuture<T>> command) {
        return run(command, settings.callTimeout());
    }

    /** A background command, bounded by the command timeout; fails at once while unhealthy. */
    public <T> CompletableFuture<T> background(Function<RedisAsyncCommands<String, String>, RedisFuture<T>> command) {
        return run(command, settings.commandTimeout());
    }

    /**
     * Runs a script by {@code EVALSHA}, loading it with {@code EVAL} once on {@code NOSCRIPT} (Redis restarted empty).
     * The reply is a list (scripts return arrays).
     */
    public CompletableFuture<List<Object>> script(FleetScript script, boolean callPath, String[] keys,
            String... args) {
        Duration timeout = callPath ? settings.callTimeout() : settings.commandTimeout();
        CompletableFuture<List<Object>> first = run(
                a -> a.<List<Object>>evalsha(script.sha1(), ScriptOutputType.MULTI, keys, args), timeout, true);
        return first.handle((r, e) -> {
            if (e == null) {
                return CompletableFuture.completedFuture(r);
            }
            Throwable cause = unwrap(e);
            if (cause instanceof RedisCommandExecutionException && String.valueOf(cause.getMessage())
                    .startsWith("NOSCRIPT")) {
                return run(a -> a.<List<Object>>eval(script.text(), ScriptOutputType.MULTI, keys, args), timeout,
                        false);
            }
            if (cause instanceof RedisCommandExecutionException) {
                LOG.warn("LLMix fleet: script {} failed ({})", script.name(), cause.getMessage());
            }
            return CompletableFuture.<List<Object>>failedFuture(cause);
        }).thenCompose(Function.identity());
    }

    /** Publishes a message on the events channel (fire-and-forget), counted as {@code out}. */
    public void publish(String type, String payload) {
        background(a -> a.publish(channel, payload)).whenComplete((n, e) -> {
            if (e == null) {
                eventCounter.count(type, "out", "applied");
            }
        });
    }

    /**
     * Reports a Redis failure seen by a feature (e.g. a Bucket4j timeout); script errors are only logged by the
     * caller and must not be reported here.
     */
    public void failed(Throwable error) {
        Throwable t = unwrap(error);
        if (closed || !isRedisFailure(t)) {
            return;
        }
        boolean schedule;
        boolean wasHealthy;
        synchronized (this) {
            wasHealthy = healthy;
            healthy = false;
            lastError = t.getClass().getName();
            if (wasHealthy) {
                since = Instant.now();
            }
            if (!warned) {
                warned = true;
                LOG.warn("LLMix fleet: Redis unreachable ({}); budgets, breakers and key health run locally until it "
                        + "recovers", t.getClass().getName());
            }
            schedule = !probing;
            if (schedule) {
                probing = true;
                backoffNanos = settings.backoff().toNanos();
            }
        }
        if (wasHealthy) {
            runAll(outageListeners, "outage");
        }
        if (schedule) {
            scheduleProbe();
        }
    }

    private <T> CompletableFuture<T> run(Function<RedisAsyncCommands<String, String>, RedisFuture<T>> command,
            Duration timeout) {
        return run(command, timeout, false);
    }

    private <T> CompletableFuture<T> run(Function<RedisAsyncCommands<String, String>, RedisFuture<T>> command,
            Duration timeout, boolean quietScriptErrors) {
        StatefulRedisConnection<String, String> c = conn;
        if (!healthy || c == null || closed) {
            return CompletableFuture.failedFuture(new FleetUnavailableException("Redis is unhealthy; nothing sent"));
        }
        CompletableFuture<T> f;
        try {
            f = command.apply(c.async()).toCompletableFuture();
        } catch (RuntimeException e) {
            failed(e);
            return CompletableFuture.failedFuture(e);
        }
        return f.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS).whenComplete((r, e) -> {
            if (e != null) {
                failed(e);
            }
        });
    }

    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static boolean isRedisFailure(Throwable t) {
        // A script or argument error is Redis answering: it says nothing about reachability.
        return !(t instanceof RedisCommandExecutionException) && !(t instanceof FleetUnavailableException)
                && !(t instanceof IllegalArgumentException);
    }

    // --- background work ------------------------------------------------------------------------------------------

    private void scheduleProbe() {
        long delay;
        synchronized (this) {
            delay = backoffNanos;
        }
        if (!closed) {
            scheduler.schedule(this::probe, delay, TimeUnit.NANOSECONDS);
        }
    }

    private void probe() {
        if (closed) {
            return;
        }
        try {
            ensureConnected();
            StatefulRedisConnection<String, String> c = Objects.requireNonNull(conn);
            c.async().ping().get(settings.commandTimeout().toNanos(), TimeUnit.NANOSECONDS);
            syncClockBlocking(c);
            everConnected = true;
            healthy = true;
            heartbeat();
            poll();
            runAll(recoveryListeners, "recovery");
            boolean wasWarned;
            synchronized (this) {
                probing = false;
                since = Instant.now();
                lastError = null;
                wasWarned = warned;
                warned = false;
                backoffNanos = settings.backoff().toNanos();
            }
            if (wasWarned) {
                LOG.info("LLMix fleet: Redis reachable again; budgets, breakers and key health are shared again");
            }
        } catch (Exception e) {
            Throwable t = unwrap(e);
            boolean wasHealthy;
            synchronized (this) {
                // Healthy already when the failure came after the PING, during the heartbeat or the first poll.
                wasHealthy = healthy;
                healthy = false;
                lastError = t.getClass().getName();
                if (!warned) {
                    warned = true;
                    LOG.warn("LLMix fleet: Redis unreachable ({}); budgets, breakers and key health run locally until "
                            + "it recovers", t.getClass().getName());
                }
                if (everConnected) {
                    backoffNanos = Math.min(backoffNanos * 2, settings.backoffMax().toNanos());
                }
            }
            if (wasHealthy) {
                runAll(outageListeners, "outage");
            }
            scheduleProbe();
        }
    }

    private void ensureConnected() {
        // A connection Lettuce is still reconnecting is replaced: its reconnect delay grows to 30 s while Redis is
        // down, and recovery must follow this runtime's own back-off (docs/fleet.md, outage and recovery).
        StatefulRedisConnection<String, String> stale = conn;
        if (stale != null && !stale.isOpen()) {
            conn = null;
            closeQuietly(stale);
        }
        StatefulRedisPubSubConnection<String, String> stalePubsub = pubsub;
        if (stalePubsub != null && !stalePubsub.isOpen()) {
            pubsub = null;
            closeQuietly(stalePubsub);
        }
        synchronized (this) {
            // The byte-array connection of the shared buckets is replaced the same way; it reopens on next use.
            StatefulRedisConnection<byte[], byte[]> staleBytes = bytes;
            if (staleBytes != null && !staleBytes.isOpen()) {
                bytes = null;
                closeQuietly(staleBytes);
            }
        }
        if (conn == null) {
            conn = client.connect(StringCodec.UTF8);
        }
        if (pubsub == null) {
            StatefulRedisPubSubConnection<String, String> ps = client.connectPubSub(StringCodec.UTF8);
            ps.addListener(new RedisPubSubAdapter<String, String>() {
                @Override
                public void message(String ch, String message) {
                    if (!closed) {
                        scheduler.execute(() -> dispatch(message));
                    }
                }
            });
            ps.sync().subscribe(channel);
            pubsub = ps;
        }
    }

    private void periodic(Runnable task) {
        if (!healthy || closed) {
            return;
        }
        try {
            task.run();
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    private void heartbeat() {
        StatefulRedisConnection<String, String> c = conn;
        if (c == null) {
            return;
        }
        long now = clock.redisMillis();
        long stale = now - settings.memberTtl().toMillis();
        RedisAsyncCommands<String, String> a = c.async();
        await(CompletableFuture.allOf(
                a.zadd(membersKey, (double) now, instanceId()).toCompletableFuture(),
                a.zremrangebyscore(membersKey, Range.create(0L, stale)).toCompletableFuture(),
                a.pexpire(membersKey, MEMBERS_KEY_TTL_MS).toCompletableFuture()));
        Long n = await(a.zcard(membersKey).toCompletableFuture());
        members = n == null ? 0 : n.intValue();
        runAll(heartbeatListeners, "heartbeat");
    }

    private void poll() {
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (Supplier<CompletionStage<?>> t : pollTasks) {
            all.add(t.get().toCompletableFuture());
        }
        await(CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])));
    }

    private void syncClock() {
        StatefulRedisConnection<String, String> c = conn;
        if (c != null) {
            syncClockBlocking(c);
        }
    }

    private void syncClockBlocking(StatefulRedisConnection<String, String> c) {
        long bestRtt = Long.MAX_VALUE;
        long bestSent = 0;
        long bestReceived = 0;
        long bestRedis = 0;
        for (int i = 0; i < 3; i++) {
            long sentNanos = clock.nanoTime();
            long sent = clock.localMillis();
            List<String> time = await(c.async().time().toCompletableFuture());
            long rtt = clock.nanoTime() - sentNanos;
            long received = clock.localMillis();
            long redis = Long.parseLong(time.get(0)) * 1000L + Long.parseLong(time.get(1)) / 1000L;
            if (rtt < bestRtt) {
                bestRtt = rtt;
                bestSent = sent;
                bestReceived = received;
                bestRedis = redis;
            }
        }
        clock.sync(bestSent, bestReceived, bestRedis);
    }

    private <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(settings.commandTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        } catch (Exception e) {
            throw new CompletionException(unwrap(e));
        }
    }

    private void dispatch(String message) {
        JsonNode n;
        try {
            n = json.readTree(message);
        } catch (RuntimeException e) {
            eventCounter.count("unknown", "in", "malformed");
            return;
        }
        if (n == null || !n.isObject() || !n.path("type").isString() || n.path("v").asInt(0) != 1) {
            eventCounter.count("unknown", "in", "malformed");
            return;
        }
        String type = n.path("type").asString();
        FleetEventListener l = listeners.get(type);
        if (l == null || instanceId().equals(n.path("src").asString(""))) {
            eventCounter.count(l == null ? "unknown" : type, "in", "ignored");
            return;
        }
        try {
            eventCounter.count(type, "in", l.onEvent(n) ? "applied" : "ignored");
        } catch (IllegalArgumentException e) {
            eventCounter.count(type, "in", "malformed");
        } catch (RuntimeException e) {
            LOG.warn("LLMix fleet: applying a {} message failed ({})", type, e.toString());
            eventCounter.count(type, "in", "ignored");
        }
    }

    /** Applies a payload received outside pub/sub (poll or script reply) through the same listeners, uncounted. */
    boolean applyLocal(JsonNode n) {
        FleetEventListener l = listeners.get(n.path("type").asString(""));
        return l != null && l.onEvent(n);
    }

    private static void runAll(List<Runnable> tasks, String what) {
        for (Runnable r : tasks) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.warn("LLMix fleet: a {} listener failed ({})", what, e.toString());
            }
        }
    }

    /** The JSON mapper the fleet uses for payloads. */
    public JsonMapper json() {
        return json;
    }

    /** Closes {@code resource} (e.g. the connection factory that owns the client) after this runtime. */
    public void closeWith(AutoCloseable resource) {
        owned.add(Objects.requireNonNull(resource, "resource"));
    }

    /** Stops background work and closes the connections, then whatever was handed to {@link #closeWith}. */
    @Override
    public void close() {
        closed = true;
        healthy = false;
        scheduler.shutdownNow();
        closeQuietly(pubsub);
        closeQuietly(conn);
        closeQuietly(bytes);
        for (AutoCloseable c : owned) {
            closeQuietly(c);
        }
    }

    private static void closeQuietly(@Nullable AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.debug("LLMix fleet: closing a connection failed ({})", e.toString());
            }
        }
    }

    @Override
    public String toString() {
        return "FleetRuntime[" + instanceId() + ", healthy=" + healthy + "]";
    }
}
