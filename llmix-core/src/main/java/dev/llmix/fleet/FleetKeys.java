package dev.llmix.fleet;

import dev.llmix.keys.KeyPool;
import dev.llmix.keys.KeyPoolRegistry;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;

/**
 * Shared key health (docs/fleet.md): a key marked dead (401/403) on one instance is retired on every instance, by
 * fingerprint only (first 16 hex of SHA-256 of the trimmed key), until the shared mark expires ({@code dead-ttl});
 * a mark removed by hand ({@code ZREM}) revives the key everywhere within a poll interval. A key cooling down after a
 * 429 with {@code Retry-After} cools on every instance until the same Redis time. Marks made while Redis is down stay
 * local and are published on recovery with their remaining time.
 */
public final class FleetKeys {

    private static final long NANOS_PER_MS = 1_000_000L;

    private static final FleetScript KEY_MARK = FleetScript.of("key-mark", """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
            local cur = redis.call('ZSCORE', KEYS[1], ARGV[1])
            if (not cur) or tonumber(cur) < tonumber(ARGV[2]) then
              redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
            end
            local top = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
            if top[2] then
              redis.call('PEXPIRE', KEYS[1], math.max(1, tonumber(top[2]) - now + 60000))
            end
            return {now}
            """);

    private final FleetRuntime rt;
    private final KeyPoolRegistry registry;
    /** Per provider: fingerprints last seen in the shared set (only those are revived when they disappear). */
    private final Map<String, Set<String>> seenShared = new ConcurrentHashMap<>();
    /** Per provider: shared cool-downs last seen, fingerprint → end in Redis ms (for the Actuator). */
    private final Map<String, Map<String, Long>> sharedCool = new ConcurrentHashMap<>();

    private FleetKeys(FleetRuntime rt, KeyPoolRegistry registry) {
        this.rt = Objects.requireNonNull(rt, "rt");
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** Shares the dead keys of every pool of {@code registry} (present and future) through {@code rt}. */
    public static FleetKeys attach(FleetRuntime rt, KeyPoolRegistry registry) {
        FleetKeys fk = new FleetKeys(rt, registry);
        long ttl = rt.settings().deadTtl().toNanos();
        registry.onPool((provider, pool) -> {
            pool.shareDeadKeys((fp, until) -> fk.dead(provider, fp, until), ttl);
            pool.shareCoolDowns((fp, until) -> fk.cool(provider, fp, until));
        });
        rt.onEvent("key-dead", fk::apply);
        rt.onEvent("key-cool", fk::applyCool);
        rt.addPollTask(fk::poll);
        rt.onRecovery(fk::resync);
        // Redis may come back empty: nothing seen before the outage may be revived by the first poll after it.
        rt.onOutage(fk.seenShared::clear);
        return fk;
    }

    /** Shared dead marks currently applied for {@code provider} (for the Actuator). */
    public int sharedDead(String provider) {
        Set<String> s = seenShared.get(provider);
        return s == null ? 0 : s.size();
    }

    /** Shared cool-downs of {@code provider} not yet over, as last seen (for the Actuator). */
    public int sharedCooling(String provider) {
        Map<String, Long> m = sharedCool.get(provider);
        if (m == null) {
            return 0;
        }
        long now = rt.clock().redisMillis();
        int n = 0;
        for (long until : m.values()) {
            if (until > now) {
                n++;
            }
        }
        return n;
    }

    private String coolKey(String provider) {
        return rt.key("keys:{" + provider + "}:cool");
    }

    private void cool(String provider, String fp, long untilNanos) {
        if (!rt.healthy()) {
            return; // remembered by the pool itself; published by resync
        }
        long untilMs = rt.clock().redisMillis() + (untilNanos - rt.clock().nanoTime()) / NANOS_PER_MS;
        rt.script(KEY_MARK, false, new String[] {coolKey(provider)}, fp, Long.toString(untilMs))
                .thenAccept(reply -> {
                    long now = reply.isEmpty() ? untilMs : ((Number) reply.get(0)).longValue();
                    sharedCool.computeIfAbsent(provider, p -> new ConcurrentHashMap<>()).merge(fp, untilMs, Math::max);
                    rt.publish("key-cool", "{\"v\":1,\"type\":\"key-cool\",\"provider\":" + quote(provider)
                            + ",\"fp\":" + quote(fp) + ",\"untilMs\":" + untilMs + ",\"nowMs\":" + now + ",\"src\":"
                            + quote(rt.instanceId()) + ",\"gen\":" + (now * 1000) + "}");
                });
    }

    private boolean applyCool(JsonNode n) {
        String provider = n.path("provider").asString("");
        String fp = n.path("fp").asString("");
        if (provider.isEmpty() || fp.length() != 16 || !n.path("untilMs").isIntegralNumber()) {
            throw new IllegalArgumentException("key-cool message without provider, fp or untilMs");
        }
        return coolLocal(provider, fp, n.path("untilMs").asLong());
    }

    private boolean coolLocal(String provider, String fp, long untilMs) {
        KeyPool pool = registry.find(provider);
        if (pool == null) {
            return false;
        }
        long untilNanos = rt.clock().nanoTime() + (untilMs - rt.clock().redisMillis()) * NANOS_PER_MS;
        boolean known = pool.coolDownByFingerprint(fp, untilNanos);
        if (known) {
            sharedCool.computeIfAbsent(provider, p -> new ConcurrentHashMap<>()).merge(fp, untilMs, Math::max);
        }
        return known;
    }

    private String deadKey(String provider) {
        return rt.key("keys:{" + provider + "}:dead");
    }

    private void dead(String provider, String fp, long untilNanos) {
        if (!rt.healthy()) {
            return; // remembered by the pool itself; published by resync
        }
        long untilMs = rt.clock().redisMillis() + (untilNanos - rt.clock().nanoTime()) / NANOS_PER_MS;
        rt.script(KEY_MARK, false, new String[] {deadKey(provider)}, fp, Long.toString(untilMs))
                .thenAccept(reply -> {
                    long now = reply.isEmpty() ? untilMs : ((Number) reply.get(0)).longValue();
                    seenShared.computeIfAbsent(provider, p -> ConcurrentHashMap.newKeySet()).add(fp);
                    rt.publish("key-dead", "{\"v\":1,\"type\":\"key-dead\",\"provider\":" + quote(provider)
                            + ",\"fp\":" + quote(fp) + ",\"untilMs\":" + untilMs + ",\"nowMs\":" + now + ",\"src\":"
                            + quote(rt.instanceId()) + ",\"gen\":" + (now * 1000) + "}");
                });
    }

    private boolean apply(JsonNode n) {
        String provider = n.path("provider").asString("");
        String fp = n.path("fp").asString("");
        if (provider.isEmpty() || fp.length() != 16 || !n.path("untilMs").isIntegralNumber()) {
            throw new IllegalArgumentException("key-dead message without provider, fp or untilMs");
        }
        return markLocal(provider, fp, n.path("untilMs").asLong());
    }

    private boolean markLocal(String provider, String fp, long untilMs) {
        KeyPool pool = registry.find(provider);
        if (pool == null) {
            return false;
        }
        long untilNanos = rt.clock().nanoTime() + (untilMs - rt.clock().redisMillis()) * NANOS_PER_MS;
        boolean known = pool.markDeadByFingerprint(fp, untilNanos);
        if (known) {
            seenShared.computeIfAbsent(provider, p -> ConcurrentHashMap.newKeySet()).add(fp);
        }
        return known;
    }

    private CompletionStage<?> poll() {
        List<CompletableFuture<?>> all = new ArrayList<>();
        long now = rt.clock().redisMillis();
        for (Map.Entry<String, KeyPool> e : registry.all().entrySet()) {
            String provider = e.getKey();
            KeyPool pool = e.getValue();
            all.add(rt.background(a -> a.zrangebyscoreWithScores(deadKey(provider),
                    Range.from(Range.Boundary.excluding((Number) now), Range.Boundary.<Number>unbounded())))
                    .thenAccept(marks -> {
                        Set<String> present = new HashSet<>();
                        for (ScoredValue<String> m : marks) {
                            present.add(m.getValue());
                            markLocal(provider, m.getValue(), (long) m.getScore());
                        }
                        Set<String> seen = seenShared.computeIfAbsent(provider, p -> ConcurrentHashMap.newKeySet());
                        for (String fp : new ArrayList<>(seen)) {
                            if (!present.contains(fp)) {
                                seen.remove(fp);
                                pool.revive(fp);
                            }
                        }
                    }));
            all.add(rt.background(a -> a.zrangebyscoreWithScores(coolKey(provider),
                    Range.from(Range.Boundary.excluding((Number) now), Range.Boundary.<Number>unbounded())))
                    .thenAccept(marks -> {
                        Map<String, Long> seen = new ConcurrentHashMap<>();
                        for (ScoredValue<String> m : marks) {
                            seen.put(m.getValue(), (long) m.getScore());
                            coolLocal(provider, m.getValue(), (long) m.getScore());
                        }
                        sharedCool.put(provider, seen);
                    }));
        }
        return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]));
    }

    private void resync() {
        for (Map.Entry<String, KeyPool> e : registry.all().entrySet()) {
            for (Map.Entry<String, Long> mark : e.getValue().expiringDeadMarks().entrySet()) {
                if (mark.getValue() > 0) {
                    dead(e.getKey(), mark.getKey(), rt.clock().nanoTime() + mark.getValue());
                }
            }
            for (Map.Entry<String, Long> mark : e.getValue().coolingMarks().entrySet()) {
                if (mark.getValue() > 0) {
                    cool(e.getKey(), mark.getKey(), rt.clock().nanoTime() + mark.getValue());
                }
            }
        }
    }

    private String quote(String s) {
        return rt.json().writeValueAsString(s);
    }
}
