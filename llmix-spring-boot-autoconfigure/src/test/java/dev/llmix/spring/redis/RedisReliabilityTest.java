package dev.llmix.spring.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.cache.CacheLookup;
import dev.llmix.cache.TwoTierCache;
import dev.llmix.config.CachingStrategy;
import dev.llmix.config.LlmConfig;
import dev.llmix.keys.KeyPool;
import dev.llmix.spi.CallInput;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.pipeline.PipelineConfig;
import dev.llmix.reliability.LoopbackProvider;
import dev.llmix.testsupport.RealRedis;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Reliability of the Redis L2 beyond {@link RedisL2PipelineTest}: Redis killed and restarted three times while 64
 * threads call through the real HTTP adapter and a loopback provider (no call may fail because of the cache), and
 * a thousand random garbage values — binary, non-UTF-8, wrong JSON shapes, deep nesting, large — under
 * {@code llmix:resp:*} keys, each a miss that the next call replaces with a valid entry.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RedisReliabilityTest {

    @RegisterExtension
    static final RealRedis REDIS = RealRedis.create();

    private static LettuceConnectionFactory factory;

    @TempDir
    Path stateDir;

    private final LoopbackProvider provider = new LoopbackProvider();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeAll
    static void connect() {
        factory = LlmixRedisConnections.startedConnectionFactory(REDIS.url());
    }

    @AfterAll
    static void disconnect() {
        factory.destroy();
    }

    @BeforeEach
    void flush() {
        REDIS.flushAll();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        provider.close();
    }

    private TwoTierCache cache(int l1Items, boolean syncWrites) {
        TwoTierCache.Builder b = TwoTierCache.builder();
        if (syncWrites) {
            // The next garbage must not race the write of the previous call's entry.
            b.l2Executor(Runnable::run);
        }
        TwoTierCache cache = b
                .strategy(CachingStrategy.REDIS)
                .ttl(Duration.ofSeconds(60))
                .maxItems(l1Items)
                .l2(new RedisResponseCacheStore(factory))
                .healthInterval(Duration.ofMillis(100))
                .build();
        closeables.add(cache);
        return cache;
    }

    private CallPipeline pipeline(TwoTierCache cache, int window) {
        CallPipeline p = new CallPipeline(PipelineConfig.builder()
                .maxRetries(0).retryBaseMs(1).retryMaxDelayMs(1).retryJitterMs(0)
                .semaphoreInitial(window).semaphoreMin(1).circuitBreakerThreshold(Integer.MAX_VALUE)
                .responseCache(cache).closeResponseCache(false)
                .stateDir(stateDir).env(name -> null).build(), provider.dispatch());
        p.setKeyPool("openai", new KeyPool(List.of("sk-redis-reliability")));
        closeables.add(0, p);
        return p;
    }

    private LlmConfig preset() {
        return provider.preset().caching(CachingStrategy.REDIS).build();
    }

    @Test
    void redisKilledAndRestartedThreeTimesUnder64CallersFailsNoCall() throws Exception {
        TwoTierCache cache = cache(50, false);
        CallPipeline pipeline = pipeline(cache, 64);
        LlmConfig preset = preset();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger sequence = new AtomicInteger();
        AtomicInteger calls = new AtomicInteger();
        Queue<Throwable> escaped = new ConcurrentLinkedQueue<>();
        Queue<String> failed = new ConcurrentLinkedQueue<>();
        ExecutorService workers = Executors.newFixedThreadPool(64);
        try {
            for (int t = 0; t < 64; t++) {
                workers.execute(() -> {
                    while (!stop.get()) {
                        // 400 prompts over an L1 of 50: the run mixes L1 hits, L2 reads and misses (dispatch + write).
                        String prompt = "q" + ThreadLocalRandom.current().nextInt(400);
                        sequence.incrementAndGet();
                        try {
                            CallResponse r = pipeline.call(CallInput.of(preset, LoopbackProvider.message(prompt)));
                            if (!r.success() || !r.content().equals("ok")) {
                                failed.add(prompt + " -> " + r.error());
                            }
                            calls.incrementAndGet();
                        } catch (Throwable e) {
                            escaped.add(e);
                        }
                    }
                });
            }
            for (int cycle = 0; cycle < 3; cycle++) {
                awaitMoreCalls(calls, 300, "healthy Redis, cycle " + cycle);
                REDIS.kill();
                L2TestSupport.await("L2 unhealthy", Duration.ofSeconds(30), () -> !cache.stats().l2Healthy());
                awaitMoreCalls(calls, 300, "Redis down, cycle " + cycle);
                REDIS.restart();
                L2TestSupport.await("L2 healthy again", Duration.ofSeconds(30), () -> cache.stats().l2Healthy());
            }
            awaitMoreCalls(calls, 300, "after the last restart");
        } finally {
            stop.set(true);
            workers.shutdown();
            assertThat(workers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(escaped).as("exceptions out of call()").isEmpty();
        assertThat(failed).as("failed calls").isEmpty();
        assertThat(cache.stats().l2Errors()).isPositive();
        assertThat(cache.stats().l2Hits()).as("L2 served while healthy").isPositive();
        assertThat(dbSize()).as("writes reach Redis after the last restart").isPositive();
        var snap = pipeline.snapshot();
        assertThat(snap.singleflightInFlight()).isZero();
        assertThat(snap.semaphores().get("openai").inFlight()).isZero();
        System.out.println("[reliability] Redis kill/restart x3 under 64 callers: " + calls.get() + " calls, "
                + cache.stats());
    }

    @Test
    void randomGarbageUnderResponseKeysIsAMissAndIsReplacedByTheNextCall() {
        TwoTierCache cache = cache(100, true);
        CallPipeline pipeline = pipeline(cache, 8);
        LlmConfig preset = preset();
        Random rnd = new Random(20261125L);

        // One real entry gives the key this request is stored under.
        assertThat(pipeline.call(CallInput.of(preset, LoopbackProvider.message("garbage"))).success()).isTrue();
        @SuppressWarnings("unchecked")
        List<String> keys = (List<String>) REDIS.command("KEYS", "llmix:resp:*");
        assertThat(keys).hasSize(1);
        byte[] key = keys.get(0).getBytes(StandardCharsets.UTF_8);

        int cases = 1_000;
        int throughPipeline = 0;
        for (int i = 0; i < cases; i++) {
            int kind = rnd.nextInt(9);
            byte[] garbage = garbage(kind, rnd);
            try (RedisConnection c = factory.getConnection()) {
                c.stringCommands().set(key, garbage);
            }
            // A fresh L1 each time, so the lookup has to read the garbage.
            cache.clear();
            CacheLookup hit = cache.get(keys.get(0));
            // Two kinds are entries after all: kind 8 is JSON with an escaped lone surrogate in "data" (JSON allows it);
            // kind 1 has invalid UTF-8 inside "data", which is decoded with U+FFFD replacements (as the TypeScript
            // reference's client does) and served as such. Everything else must be a miss.
            if (hit != null && kind != 8 && !(kind == 1 && hit.value().equals("\ufffd\ufffd"))) {
                throw new AssertionError("garbage served as a hit: " + preview(garbage));
            }
            if (i % 10 == 0) {
                cache.clear();
                CallResponse r = pipeline.call(CallInput.of(preset, LoopbackProvider.message("garbage")));
                assertThat(r.success()).as("call over garbage %s", preview(garbage)).isTrue();
                assertThat(r.content()).isEqualTo(hit == null ? "ok" : hit.value());
                throughPipeline++;
            }
        }
        assertThat(throughPipeline).isEqualTo(cases / 10);
        assertThat(cache.stats().l2Healthy()).as("garbage is not a Redis failure").isTrue();
        // The last call replaced the garbage with a valid entry.
        try (RedisConnection c = factory.getConnection()) {
            c.stringCommands().set(key, utf8("not json"));
        }
        cache.clear();
        pipeline.call(CallInput.of(preset, LoopbackProvider.message("garbage")));
        assertThat((String) REDIS.command("GET", keys.get(0))).startsWith("{\"data\":\"ok\",\"cached_at\":");
    }

    /** Random bytes, broken UTF-8, JSON of the wrong shape, deep nesting, control characters, 1 MB values. */
    private static byte[] garbage(int kind, Random rnd) {
        switch (kind) {
            case 0: {
                byte[] b = new byte[rnd.nextInt(200)];
                rnd.nextBytes(b);
                return b;
            }
            case 1:
                return new byte[] {'{', '"', 'd', 'a', 't', 'a', '"', ':', '"', (byte) 0xFF, (byte) 0xC3, '"', '}'};
            case 2:
                return utf8(List.of("{\"data\":123}", "{\"data\":null}", "{\"data\":[\"ok\"]}", "{\"data\":{}}",
                        "[]", "null", "\"ok\"", "42", "", "{", "{\"cached_at\":1}", "{\"data\":\"ok\"",
                        "{\"data\":\"ok\",\"data\":5}").get(rnd.nextInt(13)));
            case 3:
                return utf8("[".repeat(1 + rnd.nextInt(200_000)));
            case 4:
                return utf8("{\"data\":" + "{\"a\":".repeat(1 + rnd.nextInt(50_000)));
            case 5:
                return utf8("{\"data\":\"x\",\"cached_at\":" + List.of("\"soon\"", "-1", "1e999", "NaN", "[]",
                        "99999999999999999999999").get(rnd.nextInt(6)) + "}x");
            case 6:
                return utf8("\u0000\u0001\u001f\u007f\u2028" + rnd.nextInt());
            case 7:
                return utf8("x".repeat(1 << 20));
            default:
                return utf8("{\"data\":\"\\ud800" + "\\".repeat(rnd.nextInt(3)) + "\"}");
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String preview(byte[] b) {
        String s = new String(b, 0, Math.min(b.length, 60), StandardCharsets.ISO_8859_1);
        return s.replaceAll("[^\\x20-\\x7e]", "?") + (b.length > 60 ? "… (" + b.length + " bytes)" : "");
    }

    private static void awaitMoreCalls(AtomicInteger calls, int more, String what) {
        int target = calls.get() + more;
        L2TestSupport.await(more + " more calls (" + what + ")", Duration.ofSeconds(60), () -> calls.get() >= target);
    }

    private static long dbSize() {
        Object n = REDIS.command("DBSIZE");
        return n instanceof Long l ? l : 0;
    }
}
