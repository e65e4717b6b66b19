package dev.llmix.fleet;

/**
 * The Lua scripts of shared breakers (docs/fleet.md): decisions in Redis time, one hash tag per script. Payloads are
 * written with {@code %d} so that microsecond generations keep every digit ({@code cjson} would round them).
 */
final class BreakerScripts {

    private BreakerScripts() {
    }

    private static final String COMMON = """
            local function clock()
              local t = redis.call('TIME')
              return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000), tonumber(t[1]) * 1000000 + tonumber(t[2])
            end
            local function payload(meta, state, gen, cd, base, untilMs, now, src, cause)
              return string.format('{"v":1,"type":"breaker",%s,"state":"%s","gen":%d,"cooldownMs":%d,"baseCooldownMs":%d,"untilMs":%d,"nowMs":%d,"src":%s,"cause":"%s"}',
                meta, state, gen, cd, base, untilMs, now, src, cause)
            end
            local function store(key, p, state, untilMs, now, retention)
              local ttl = retention
              if state == 'OPEN' then ttl = untilMs - now + retention end
              redis.call('SET', key, p, 'PX', math.max(1, ttl))
            end
            local function nextgen(cur, nowus)
              local g = 0
              if cur then g = tonumber(cur.gen) or 0 end
              return math.max(g + 1, nowus)
            end
            local function decide(cur, ok, fail, now, nowus, cause, src, retention, meta)
              local gen = nextgen(cur, nowus)
              local p
              local base = tonumber(cur.baseCooldownMs)
              if ok > fail then
                p = payload(meta, 'CLOSED', gen, base, base, now, now, src, cause)
                store(KEYS[1], p, 'CLOSED', now, now, retention)
              else
                local cd = math.min(2 * tonumber(cur.cooldownMs), 300000)
                p = payload(meta, 'OPEN', gen, cd, base, now + cd, now, src, cause)
                store(KEYS[1], p, 'OPEN', now + cd, now, retention)
              end
              redis.call('DEL', KEYS[2])
              return {'DECIDED', p}
            end
            """;

    /** KEYS: state, probes. ARGV: untilOffsetMs, cooldownMs, baseCooldownMs, src, cause, meta, retentionMs. */
    static final FleetScript OPEN = FleetScript.of("breaker-open", COMMON + """
            local now, nowus = clock()
            local raw = redis.call('GET', KEYS[1])
            local cur = nil
            if raw then cur = cjson.decode(raw) end
            if cur and cur.state == 'OPEN' then return {'ADOPT', raw} end
            local gen = nextgen(cur, nowus)
            local untilMs = now + tonumber(ARGV[1])
            local p = payload(ARGV[6], 'OPEN', gen, tonumber(ARGV[2]), tonumber(ARGV[3]), untilMs, now, ARGV[4], ARGV[5])
            store(KEYS[1], p, 'OPEN', untilMs, now, tonumber(ARGV[7]))
            redis.call('DEL', KEYS[2])
            return {'WRITTEN', p}
            """);

    /** KEYS: state, probes. ARGV: permitted, probeWindowMs, src, retentionMs, meta. */
    static final FleetScript ADMIT = FleetScript.of("breaker-admit", COMMON + """
            local now, nowus = clock()
            local raw = redis.call('GET', KEYS[1])
            if not raw then return {'CLOSED', ''} end
            local cur = cjson.decode(raw)
            if cur.state ~= 'OPEN' then return {'CLOSED', raw} end
            if now < tonumber(cur.untilMs) then return {'REJECT', raw} end
            local g = string.format('%d', cur.gen)
            local permitted = tonumber(ARGV[1])
            local window = tonumber(ARGV[2])
            if redis.call('HGET', KEYS[2], 'gen') ~= g then
              redis.call('DEL', KEYS[2])
              redis.call('HSET', KEYS[2], 'gen', g, 'admitted', 0, 'ok', 0, 'fail', 0, 'startedMs', now)
            end
            redis.call('PEXPIRE', KEYS[2], window + 60000)
            local admitted = tonumber(redis.call('HGET', KEYS[2], 'admitted'))
            if admitted < permitted then
              redis.call('HINCRBY', KEYS[2], 'admitted', 1)
              return {'ADMIT', raw}
            end
            local ok = tonumber(redis.call('HGET', KEYS[2], 'ok'))
            local fail = tonumber(redis.call('HGET', KEYS[2], 'fail'))
            local started = tonumber(redis.call('HGET', KEYS[2], 'startedMs'))
            if now - started >= window and ok + fail < permitted then
              return decide(cur, ok, permitted - ok, now, nowus, 'probe-timeout', ARGV[3], tonumber(ARGV[4]), ARGV[5])
            end
            return {'REJECT', raw}
            """);

    /** KEYS: state, probes. ARGV: gen, ok (1/0), permitted, src, retentionMs, meta. */
    static final FleetScript REPORT = FleetScript.of("breaker-report", COMMON + """
            local now, nowus = clock()
            local raw = redis.call('GET', KEYS[1])
            if not raw then return {'IGNORED', ''} end
            local cur = cjson.decode(raw)
            if cur.state ~= 'OPEN' or string.format('%d', cur.gen) ~= ARGV[1] then return {'IGNORED', raw} end
            if redis.call('HGET', KEYS[2], 'gen') ~= ARGV[1] then return {'IGNORED', raw} end
            if ARGV[2] == '1' then
              redis.call('HINCRBY', KEYS[2], 'ok', 1)
            else
              redis.call('HINCRBY', KEYS[2], 'fail', 1)
            end
            local ok = tonumber(redis.call('HGET', KEYS[2], 'ok'))
            local fail = tonumber(redis.call('HGET', KEYS[2], 'fail'))
            if ok + fail >= tonumber(ARGV[3]) then
              return decide(cur, ok, fail, now, nowus, 'probes', ARGV[4], tonumber(ARGV[5]), ARGV[6])
            end
            return {'COUNTED', raw}
            """);

    /** KEYS: state, probes. ARGV: src, retentionMs, meta, baseCooldownMs. */
    static final FleetScript RESET = FleetScript.of("breaker-reset", COMMON + """
            local now, nowus = clock()
            local raw = redis.call('GET', KEYS[1])
            local cur = nil
            if raw then cur = cjson.decode(raw) end
            local gen = nextgen(cur, nowus)
            local base = tonumber(ARGV[4])
            local p = payload(ARGV[3], 'CLOSED', gen, base, base, now, now, ARGV[1], 'reset')
            store(KEYS[1], p, 'CLOSED', now, now, tonumber(ARGV[2]))
            redis.call('DEL', KEYS[2])
            return {'DECIDED', p}
            """);
}
