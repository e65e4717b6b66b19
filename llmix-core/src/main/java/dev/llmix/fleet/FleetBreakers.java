package dev.llmix.fleet;

import dev.llmix.resilience.CircuitBreaker;
import dev.llmix.resilience.CircuitBreakerEvent;
import dev.llmix.resilience.CircuitBreakerRegistry;
import dev.llmix.resilience.CircuitState;
import dev.llmix.resilience.HalfOpenCoordinator;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Shared circuit breakers (docs/fleet.md): openings, HALF_OPEN probes and closings decided by scripts in Redis time,
 * followed by every instance's local breakers. CLOSED calls touch no Redis; a local threshold opens the local breaker
 * at once and then the fleet one; a HALF_OPEN admission asks Redis (≤ permitted probes fleet-wide per episode); the
 * outcome is reported fire-and-forget. Payloads apply only when their generation is newer than the last applied, so
 * duplicates, reordering and replays are harmless. While Redis is unhealthy the breakers are fully local; on recovery
 * breakers still OPEN are published again ({@code cause=resync}), and a HALF_OPEN episode that admitted a probe during
 * the outage is decided locally to its end, its re-opening published ({@code cause=probes}).
 */
public final class FleetBreakers {

    private static final Logger LOG = LoggerFactory.getLogger(FleetBreakers.class);
    private static final long NANOS_PER_MS = 1_000_000L;

    /** The fleet side of one breaker, for the Actuator. */
    public record View(long generation, String source, String cause) {
    }

    private final FleetRuntime rt;
    private final CircuitBreakerRegistry registry;
    private final Map<String, Long> appliedGen = new ConcurrentHashMap<>();
    private final Map<String, String> episodeGen = new ConcurrentHashMap<>();
    private final Map<String, JsonNode> pending = new ConcurrentHashMap<>();
    private final Map<String, View> views = new ConcurrentHashMap<>();
    /**
     * Bids whose current HALF_OPEN episode admitted a probe while Redis was unusable: the fleet never saw it begin,
     * so the local breaker decides it to the end, and a re-opening is then published (docs/fleet.md, "Redis down").
     */
    private final Set<String> localEpisodes = ConcurrentHashMap.newKeySet();
    private final ThreadLocal<Boolean> applying = ThreadLocal.withInitial(() -> Boolean.FALSE);
    private final String setKey;

    private FleetBreakers(FleetRuntime rt, CircuitBreakerRegistry registry) {
        this.rt = Objects.requireNonNull(rt, "rt");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.setKey = rt.key("breakers");
    }

    /** Shares the breakers of {@code registry} through {@code rt}. */
    public static FleetBreakers attach(FleetRuntime rt, CircuitBreakerRegistry registry) {
        FleetBreakers fb = new FleetBreakers(rt, registry);
        registry.onStateTransition(fb::onTransition);
        registry.onCreate(fb::onCreate);
        registry.coordinateHalfOpen(fb.new Coordinator());
        rt.onEvent("breaker", fb::apply);
        rt.addPollTask(fb::poll);
        rt.onRecovery(fb::resync);
        return fb;
    }

    /** {@code provider:} + the first 16 hex of SHA-256 of the effective base URL. */
    public static String bid(String provider, String baseUrl) {
        return provider + ":" + sha256Hex(baseUrl).substring(0, 16);
    }

    /** The display form of a base URL: its host, never user info, path or query. */
    public static String displayHost(String baseUrl) {
        if (baseUrl.isEmpty()) {
            return "";
        }
        try {
            String host = URI.create(baseUrl.trim()).getHost();
            return host == null ? "" : host;
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    /** The fleet view of a breaker (last applied generation, source, cause), or null when none was applied. */
    public @Nullable View view(String provider, String baseUrl) {
        return views.get(bid(provider, baseUrl));
    }

    static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }

    // --- local transitions --------------------------------------------------------------------------------------

    private void onTransition(CircuitBreakerEvent e) {
        String bid = bid(e.provider(), e.baseUrl());
        if (e.to() == CircuitState.HALF_OPEN) {
            localEpisodes.remove(bid); // a new episode: the fleet's unless a probe is admitted while Redis is down
        }
        if (applying.get() || !rt.healthy()) {
            return;
        }
        CircuitBreaker b = registry.find(e.provider(), e.baseUrl());
        if (b == null) {
            return;
        }
        if (e.from() == CircuitState.CLOSED && e.to() == CircuitState.OPEN) {
            open(b, b.cooldownNanos() / NANOS_PER_MS, "threshold");
        } else if (e.from() == CircuitState.HALF_OPEN && e.to() == CircuitState.OPEN && localEpisodes.contains(bid)) {
            // A local episode (begun during an outage) failed after Redis came back: the fleet must hear of it.
            open(b, b.cooldownNanos() / NANOS_PER_MS, "probes");
        } else if (e.to() == CircuitState.CLOSED) {
            // While Redis decides episodes a local close can only be an operator reset: make it fleet-wide.
            reset(b);
        }
    }

    private void onCreate(CircuitBreaker b) {
        JsonNode p = pending.remove(bid(b.provider(), b.baseUrl()));
        if (p != null) {
            apply(p);
        }
    }

    private void open(CircuitBreaker b, long untilOffsetMs, String cause) {
        String bid = bid(b.provider(), b.baseUrl());
        rt.script(BreakerScripts.OPEN, false, keys(bid), String.valueOf(Math.max(1, untilOffsetMs)),
                String.valueOf(b.cooldownNanos() / NANOS_PER_MS), String.valueOf(b.baseCooldownNanos() / NANOS_PER_MS),
                quote(rt.instanceId()), cause, meta(b), retentionMs())
                .whenComplete((reply, err) -> handle(bid, reply, err));
    }

    private void reset(CircuitBreaker b) {
        String bid = bid(b.provider(), b.baseUrl());
        rt.script(BreakerScripts.RESET, false, keys(bid), quote(rt.instanceId()), retentionMs(), meta(b),
                String.valueOf(b.baseCooldownNanos() / NANOS_PER_MS))
                .whenComplete((reply, err) -> handle(bid, reply, err));
    }

    /** Applies a script reply; a decision written by this instance is published and the set of open bids updated. */
    private @Nullable JsonNode handle(String bid, @Nullable List<Object> reply, @Nullable Throwable err) {
        if (err != null || reply == null || reply.size() < 2) {
            return null;
        }
        String verdict = String.valueOf(reply.get(0));
        String raw = String.valueOf(reply.get(1));
        if (raw.isEmpty()) {
            return null;
        }
        JsonNode n = parse(raw);
        if (n == null) {
            return null;
        }
        if (verdict.equals("WRITTEN") || verdict.equals("DECIDED")) {
            boolean open = "OPEN".equals(n.path("state").asString(""));
            rt.background(a -> open ? a.sadd(setKey, bid) : a.srem(setKey, bid));
            rt.publish("breaker", raw);
        }
        apply(n);
        return n;
    }

    // --- applying states ----------------------------------------------------------------------------------------

    /** Applies a breaker payload (message, poll or reply); true when it changed the local breaker. */
    synchronized boolean apply(JsonNode n) {
        String bid = n.path("bid").asString("");
        String provider = n.path("provider").asString("");
        String state = n.path("state").asString("");
        JsonNode genNode = n.path("gen");
        if (bid.isEmpty() || provider.isEmpty() || !genNode.isIntegralNumber()
                || !(state.equals("OPEN") || state.equals("CLOSED"))) {
            throw new IllegalArgumentException("breaker payload without bid, provider, gen or state");
        }
        long gen = genNode.longValue();
        Long last = appliedGen.get(bid);
        if (last != null && gen <= last) {
            return false;
        }
        CircuitBreaker b = resolve(bid, provider);
        if (b == null) {
            pending.put(bid, n);
            return false;
        }
        appliedGen.put(bid, gen);
        localEpisodes.remove(bid);
        views.put(bid, new View(gen, n.path("src").asString(""), n.path("cause").asString("")));
        applying.set(Boolean.TRUE);
        try {
            if (state.equals("OPEN")) {
                episodeGen.put(bid, Long.toString(gen));
                long until = n.path("untilMs").asLong();
                long now = rt.clock().synced() ? rt.clock().redisMillis() : n.path("nowMs").asLong();
                b.forceOpen((until - now) * NANOS_PER_MS, n.path("cooldownMs").asLong() * NANOS_PER_MS);
            } else {
                episodeGen.remove(bid);
                b.forceClose();
            }
        } finally {
            applying.set(Boolean.FALSE);
        }
        return true;
    }

    private @Nullable CircuitBreaker resolve(String bid, String provider) {
        for (CircuitBreaker b : registry.all().values()) {
            if (b.provider().equals(provider) && bid(provider, b.baseUrl()).equals(bid)) {
                return b;
            }
        }
        // The provider's default base URL is the empty string: such a breaker can be created from the bid alone.
        if (bid(provider, "").equals(bid)) {
            return registry.breaker(provider, "");
        }
        return null;
    }

    // --- poll and resync ----------------------------------------------------------------------------------------

    private CompletionStage<?> poll() {
        return rt.background(a -> a.smembers(setKey)).thenCompose(members -> {
            Set<String> bids = new HashSet<>(members);
            for (CircuitBreaker b : registry.all().values()) {
                if (b.state() != CircuitState.CLOSED) {
                    bids.add(bid(b.provider(), b.baseUrl()));
                }
            }
            List<CompletableFuture<?>> all = new ArrayList<>();
            for (String bid : bids) {
                all.add(rt.background(a -> a.get(stateKey(bid))).thenAccept(raw -> {
                    if (raw == null) {
                        if (members.contains(bid)) {
                            rt.background(a -> a.srem(setKey, bid));
                        }
                        return;
                    }
                    JsonNode n = parse(raw);
                    if (n != null) {
                        try {
                            apply(n);
                        } catch (IllegalArgumentException e) {
                            LOG.debug("LLMix fleet: malformed breaker state for {}", bid);
                        }
                    }
                }));
            }
            return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]));
        });
    }

    private void resync() {
        for (CircuitBreaker b : registry.all().values()) {
            long remaining = b.remainingOpenNanos();
            if (remaining > 0) {
                open(b, Math.max(1, remaining / NANOS_PER_MS), "resync");
            }
        }
    }

    // --- coordinated HALF_OPEN ---------------------------------------------------------------------------------

    private final class Coordinator implements HalfOpenCoordinator {

        @Override
        public boolean admit(CircuitBreaker b) {
            String bid = bid(b.provider(), b.baseUrl());
            if (!rt.healthy()) {
                localEpisodes.add(bid);
                return true;
            }
            if (localEpisodes.contains(bid)) {
                return true; // the episode began during the outage and stays local to its end
            }
            List<Object> reply;
            try {
                reply = rt.script(BreakerScripts.ADMIT, true, keys(bid),
                        String.valueOf(b.config().permittedHalfOpenCalls()),
                        String.valueOf(rt.settings().probeWindow().toMillis()), quote(rt.instanceId()), retentionMs(),
                        meta(b)).join();
            } catch (RuntimeException e) {
                // Redis failed: the local admission stands (the runtime has marked Redis unhealthy).
                localEpisodes.add(bid);
                return true;
            }
            String verdict = String.valueOf(reply.get(0));
            switch (verdict) {
                case "ADMIT":
                    return true;
                case "CLOSED":
                    handle(bid, reply, null);
                    if (b.state() != CircuitState.CLOSED) {
                        // No fleet state at all (e.g. Redis lost its data): the episode is over, close locally.
                        applying.set(Boolean.TRUE);
                        try {
                            b.forceClose();
                        } finally {
                            applying.set(Boolean.FALSE);
                        }
                    }
                    return true;
                case "DECIDED": {
                    JsonNode n = handle(bid, reply, null);
                    return n != null && "CLOSED".equals(n.path("state").asString(""));
                }
                default:
                    handle(bid, reply, null);
                    return false;
            }
        }

        @Override
        public void report(CircuitBreaker b, boolean ok) {
            String bid = bid(b.provider(), b.baseUrl());
            if (!rt.healthy() || localEpisodes.contains(bid)) {
                return;
            }
            String gen = episodeGen.get(bid);
            if (gen == null) {
                return;
            }
            rt.script(BreakerScripts.REPORT, false, keys(bid), gen, ok ? "1" : "0",
                    String.valueOf(b.config().permittedHalfOpenCalls()), quote(rt.instanceId()), retentionMs(),
                    meta(b)).whenComplete((reply, err) -> handle(bid, reply, err));
        }

        @Override
        public boolean delegating() {
            return rt.healthy();
        }

        @Override
        public boolean delegating(CircuitBreaker b) {
            return rt.healthy() && !localEpisodes.contains(bid(b.provider(), b.baseUrl()));
        }
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private String stateKey(String bid) {
        return rt.key("breaker:{" + bid + "}");
    }

    private String[] keys(String bid) {
        return new String[] {stateKey(bid), rt.key("breaker:{" + bid + "}:probes")};
    }

    private String retentionMs() {
        return String.valueOf(rt.settings().closedRetention().toMillis());
    }

    private String meta(CircuitBreaker b) {
        return "\"bid\":" + quote(bid(b.provider(), b.baseUrl())) + ",\"provider\":" + quote(b.provider())
                + ",\"baseUrl\":" + quote(displayHost(b.baseUrl()));
    }

    private String quote(String s) {
        return rt.json().writeValueAsString(s);
    }

    private @Nullable JsonNode parse(String raw) {
        try {
            return rt.json().readTree(raw);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
