package dev.llmix.fleet;

import dev.llmix.budget.BudgetDimension;
import dev.llmix.budget.BudgetLimits;
import dev.llmix.budget.BudgetScope;
import dev.llmix.budget.RateBudgetFactory;
import dev.llmix.budget.RateLimits;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * FLEET rate budgets on a {@link FleetRuntime} (docs/fleet-budgets.md): the runtime side every {@link FleetRateBudget}
 * needs — shared Bucket4j buckets on the runtime's byte-array connection, timed by its Redis clock and bounded by its
 * call-path timeout; Redis health and failure reports; the DEGRADED divisor ({@code degraded-instances}, else the
 * members last seen) — and the {@link #factory() factory} a {@code RateBudgets} registry builds its budgets with.
 *
 * <p>The buckets follow the runtime's connection: when the runtime replaces a connection after an outage, the next
 * top-up rebuilds the Bucket4j proxy manager on the new one. On recovery the DEGRADED fallbacks are discarded.
 *
 * <p>Each scope's fleet configuration lives in {@code <prefix>budget:{<scope>}:conf} (version {@code v}, per dimension
 * {@code cfg}, {@code learned}, {@code learnedUntilMs}, {@code eff}) and {@code …:decl} (one declaration per
 * instance, with its expiry). The {@code declare} script runs at creation and with every heartbeat (so after a
 * recovery too): the fleet's configured limit is the minimum over the live declarations. The {@code observe} script
 * applies a reported limit with the learn rule in Redis time. Either increments {@code v} when an effective limit
 * changes; the new configuration is published as a {@code budget-config} event and read by the poll, and an instance
 * adopts only a higher version, rebuilding its bucket proxies with it (Bucket4j replaces a stored configuration only
 * for a higher version).
 */
public final class FleetBudgets implements FleetBudgetRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(FleetBudgets.class);
    private static final String EVENT = "budget-config";
    private static final BudgetDimension[] DIMS = {BudgetDimension.RPM, BudgetDimension.TPM, BudgetDimension.ITPM,
            BudgetDimension.OTPM};

    /** Recomputes {@code eff} from {@code cfg} and the learned limits; increments {@code v} when one changed. */
    private static final String SETTLE = """
            local DAY = 86400000
            local DIMS = {'rpm', 'tpm', 'itpm', 'otpm'}
            local function num(x)
              if x then return tonumber(x) end
              return nil
            end
            local function settle(key, cfg, now)
              local changed = 0
              local learned = {}
              local eff = {}
              for d = 1, 4 do
                local n = DIMS[d]
                local l = num(redis.call('HGET', key, n .. ':learned')) or 0
                local u = num(redis.call('HGET', key, n .. ':learnedUntilMs')) or 0
                if l > 0 and u <= now then
                  l = 0
                  redis.call('HDEL', key, n .. ':learned', n .. ':learnedUntilMs')
                end
                local e = cfg[d]
                if e > 0 and l > 0 and l < e then e = l end
                local old = num(redis.call('HGET', key, n .. ':eff'))
                if old ~= e then changed = 1 end
                redis.call('HSET', key, n .. ':cfg', cfg[d], n .. ':eff', e)
                learned[d] = l
                eff[d] = e
              end
              local v = num(redis.call('HGET', key, 'v')) or 0
              if changed == 1 then v = redis.call('HINCRBY', key, 'v', 1) end
              redis.call('PEXPIRE', key, DAY)
              return {changed, v, cfg[1], cfg[2], cfg[3], cfg[4], learned[1], learned[2], learned[3], learned[4],
                eff[1], eff[2], eff[3], eff[4]}
            end
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            """;

    /** KEYS conf, decl; ARGV id, member TTL ms, rpm, tpm, itpm, otpm (0 = absent). */
    private static final FleetScript DECLARE = FleetScript.of("budget-declare", SETTLE + """
            redis.call('HSET', KEYS[2], ARGV[1], ARGV[3] .. ',' .. ARGV[4] .. ',' .. ARGV[5] .. ',' .. ARGV[6] .. ','
              .. (now + tonumber(ARGV[2])))
            local cfg = {0, 0, 0, 0}
            local all = redis.call('HGETALL', KEYS[2])
            for i = 1, #all, 2 do
              local p = {}
              for x in string.gmatch(all[i + 1], '[^,]+') do p[#p + 1] = tonumber(x) end
              if #p < 5 or p[5] <= now then
                redis.call('HDEL', KEYS[2], all[i])
              else
                for d = 1, 4 do
                  if p[d] > 0 and (cfg[d] == 0 or p[d] < cfg[d]) then cfg[d] = p[d] end
                end
              end
            end
            redis.call('PEXPIRE', KEYS[2], DAY)
            return settle(KEYS[1], cfg, now)
            """);

    /** KEYS conf; ARGV dimension index (1–4), reported limit, learn window ms. */
    private static final FleetScript OBSERVE = FleetScript.of("budget-observe", SETTLE + """
            local n = DIMS[tonumber(ARGV[1])]
            local lim = tonumber(ARGV[2])
            local l = num(redis.call('HGET', KEYS[1], n .. ':learned')) or 0
            local u = num(redis.call('HGET', KEYS[1], n .. ':learnedUntilMs')) or 0
            if l == 0 or u <= now or lim < l then
              redis.call('HSET', KEYS[1], n .. ':learned', lim, n .. ':learnedUntilMs', now + tonumber(ARGV[3]))
            elseif lim == l then
              redis.call('HSET', KEYS[1], n .. ':learnedUntilMs', now + tonumber(ARGV[3]))
            end
            local cfg = {}
            for d = 1, 4 do cfg[d] = num(redis.call('HGET', KEYS[1], DIMS[d] .. ':cfg')) or 0 end
            return settle(KEYS[1], cfg, now)
            """);

    private final FleetRuntime runtime;
    private final FleetBudgetSettings settings;
    private final int degradedInstances;
    private final List<FleetRateBudget> budgets = new CopyOnWriteArrayList<>();
    private final Map<String, ScopeState> scopes = new ConcurrentHashMap<>();
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
        // Declarations ride on the heartbeat, which also runs first thing after every (re)connection.
        runtime.onHeartbeat(b::declareAll);
        runtime.onEvent(EVENT, b::onEvent);
        runtime.addPollTask(b::poll);
        return b;
    }

    /** The factory of FLEET budgets for {@code RateBudgets.Builder#factory}; every budget it creates is tracked here. */
    public RateBudgetFactory factory() {
        return (scope, limits, env) -> {
            ScopeState state = new ScopeState(scope, limits);
            scopes.put(scope.id(), state);
            FleetRateBudget budget = new FleetRateBudget(scope, limits, env, this, settings);
            budgets.add(budget);
            if (runtime.healthy()) {
                runtime.scheduler().execute(() -> declare(state));
            }
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

    @Override
    public @Nullable FleetScopeConfig config(BudgetScope scope) {
        ScopeState s = scopes.get(scope.id());
        return s == null ? null : s.conf;
    }

    @Override
    public void observe(BudgetScope scope, BudgetDimension dimension, long limit, Duration learnWindow) {
        ScopeState s = scopes.get(scope.id());
        if (s == null || !runtime.healthy()) {
            return;
        }
        int index = indexOf(dimension) + 1;
        runtime.scheduler().execute(() -> runtime.script(OBSERVE, false, new String[] {confKey(s.scope)},
                Integer.toString(index), Long.toString(limit), Long.toString(learnWindow.toMillis()))
                .thenAccept(reply -> applyReply(s, reply)));
    }

    private String confKey(BudgetScope scope) {
        return runtime.key("budget:{" + scope.id() + "}:conf");
    }

    private String declKey(BudgetScope scope) {
        return runtime.key("budget:{" + scope.id() + "}:decl");
    }

    private static int indexOf(BudgetDimension d) {
        for (int i = 0; i < DIMS.length; i++) {
            if (DIMS[i] == d) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown dimension " + d);
    }

    private void declareAll() {
        for (ScopeState s : scopes.values()) {
            declare(s);
        }
    }

    private void declare(ScopeState s) {
        if (!runtime.healthy()) {
            return;
        }
        RateLimits l = s.limits.limits();
        runtime.script(DECLARE, false, new String[] {confKey(s.scope), declKey(s.scope)}, runtime.instanceId(),
                Long.toString(runtime.settings().memberTtl().toMillis()), Long.toString(l.rpm()),
                Long.toString(l.tpm()), Long.toString(l.itpm()), Long.toString(l.otpm()))
                .thenAccept(reply -> applyReply(s, reply));
    }

    /** A script's reply: {changed, v, cfg×4, learned×4, eff×4}; a change is published for the other instances. */
    private void applyReply(ScopeState s, List<Object> reply) {
        if (reply.size() < 14) {
            return;
        }
        long[] n = new long[14];
        for (int i = 0; i < 14; i++) {
            n[i] = ((Number) reply.get(i)).longValue();
        }
        FleetScopeConfig c = new FleetScopeConfig(n[1], new RateLimits(n[2], n[3], n[4], n[5]),
                new RateLimits(n[6], n[7], n[8], n[9]), new RateLimits(n[10], n[11], n[12], n[13]));
        s.apply(c);
        if (n[0] == 1) {
            runtime.publish(EVENT, "{\"v\":1,\"type\":\"" + EVENT + "\",\"scope\":"
                    + runtime.json().writeValueAsString(s.scope.id()) + ",\"version\":" + c.version() + ",\"cfg\":"
                    + array(c.configured()) + ",\"learned\":" + array(c.learned()) + ",\"eff\":"
                    + array(c.effective()) + ",\"src\":" + runtime.json().writeValueAsString(runtime.instanceId())
                    + "}");
        }
    }

    private static String array(RateLimits l) {
        return "[" + l.rpm() + "," + l.tpm() + "," + l.itpm() + "," + l.otpm() + "]";
    }

    private boolean onEvent(JsonNode n) {
        String scope = n.path("scope").asString("");
        if (scope.isEmpty() || !n.path("version").isIntegralNumber() || n.path("cfg").size() != 4
                || n.path("learned").size() != 4 || n.path("eff").size() != 4) {
            throw new IllegalArgumentException("budget-config message without scope, version or limits");
        }
        ScopeState s = scopes.get(scope);
        return s != null && s.apply(new FleetScopeConfig(n.path("version").asLong(), limits(n.path("cfg")),
                limits(n.path("learned")), limits(n.path("eff"))));
    }

    private static RateLimits limits(JsonNode a) {
        return new RateLimits(Math.max(0, a.get(0).asLong()), Math.max(0, a.get(1).asLong()),
                Math.max(0, a.get(2).asLong()), Math.max(0, a.get(3).asLong()));
    }

    /** Reads every active scope's configuration: a lost message costs at most one poll interval. */
    private CompletionStage<?> poll() {
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (ScopeState s : scopes.values()) {
            all.add(runtime.background(a -> a.hgetall(confKey(s.scope))).thenAccept(h -> {
                FleetScopeConfig c = fromHash(h);
                if (c != null) {
                    s.apply(c);
                }
            }));
        }
        return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]));
    }

    private static @Nullable FleetScopeConfig fromHash(@Nullable Map<String, String> h) {
        if (h == null || h.get("v") == null) {
            return null;
        }
        try {
            long[] cfg = new long[4];
            long[] learned = new long[4];
            long[] eff = new long[4];
            for (int i = 0; i < 4; i++) {
                String d = DIMS[i].id();
                cfg[i] = Long.parseLong(h.getOrDefault(d + ":cfg", "0"));
                learned[i] = Long.parseLong(h.getOrDefault(d + ":learned", "0"));
                eff[i] = Long.parseLong(h.getOrDefault(d + ":eff", "0"));
            }
            return new FleetScopeConfig(Long.parseLong(h.get("v")), new RateLimits(cfg[0], cfg[1], cfg[2], cfg[3]),
                    new RateLimits(learned[0], learned[1], learned[2], learned[3]),
                    new RateLimits(eff[0], eff[1], eff[2], eff[3]));
        } catch (RuntimeException e) {
            LOG.debug("LLMix fleet: unreadable budget configuration ({})", e.toString());
            return null;
        }
    }

    /** One scope: its configured limits and the fleet configuration last applied (only ever a higher version). */
    private static final class ScopeState {
        final BudgetScope scope;
        final BudgetLimits limits;
        volatile @Nullable FleetScopeConfig conf;

        ScopeState(BudgetScope scope, BudgetLimits limits) {
            this.scope = scope;
            this.limits = limits;
        }

        synchronized boolean apply(FleetScopeConfig c) {
            FleetScopeConfig cur = conf;
            if (cur != null && c.version() <= cur.version()) {
                return false;
            }
            conf = c;
            return true;
        }
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
        private long proxyVersion;

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
            ScopeState state = scopes.get(scope.id());
            FleetScopeConfig conf = state == null ? null : state.conf;
            long eff = conf == null ? 0 : conf.effective().limit(dimension);
            // Before the fleet configuration is read (or without an effective limit): the configured one, version 1.
            long version = eff > 0 ? Math.max(1, conf.version()) : 1;
            synchronized (this) {
                if (proxy == null || proxyOf != s || proxyVersion != version) {
                    long limit = eff > 0 ? eff : limitPerMinute;
                    long cap = eff > 0 && state != null ? state.limits.capacity(dimension, eff) : capacity;
                    proxy = s.bucket(scope, dimension, cap, limit, version);
                    proxyOf = s;
                    proxyVersion = version;
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
