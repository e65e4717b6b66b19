package dev.llmix.spring.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.cache.CacheLookup;
import dev.llmix.cache.CacheStats;
import dev.llmix.cache.TwoTierCache;
import dev.llmix.config.CachingStrategy;
import dev.llmix.spi.CacheHitTier;
import dev.llmix.spring.redis.L2TestSupport.CapturedLogs;
import dev.llmix.testsupport.RealRedis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The L2 tier of {@link TwoTierCache} on {@link RedisResponseCacheStore} against a real Redis (response-cache.md §6):
 * payload written with SETEX and the TTL, entries of the other bindings read back, remaining-lifetime backfill, TTL
 * expiry, malformed values ignored.
 */
class RedisL2CacheTest {

    @RegisterExtension
    static final RealRedis REDIS = RealRedis.create();

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static LettuceConnectionFactory factory;

    private final AtomicLong clock = new AtomicLong(System.currentTimeMillis());
    private final List<TwoTierCache> caches = new ArrayList<>();

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
    void closeCaches() {
        caches.forEach(TwoTierCache::close);
    }

    /** A redis cache with the test clock and its own, empty L1 on the shared connection. */
    private TwoTierCache cache(int ttlSeconds) {
        return track(TwoTierCache.builder()
                .strategy(CachingStrategy.REDIS)
                .ttl(Duration.ofSeconds(ttlSeconds))
                .l2(new RedisResponseCacheStore(factory))
                .clock(clock::get)
                .build());
    }

    private TwoTierCache track(TwoTierCache cache) {
        caches.add(cache);
        return cache;
    }

    private long nowSeconds() {
        return Math.floorDiv(clock.get(), 1000L);
    }

    // ---- writing ---------------------------------------------------------------------------------------------------

    @Test
    void writeStoresTheCrossLanguagePayloadWithSetexAndTheTtl() {
        REDIS.command("CONFIG", "RESETSTAT");
        TwoTierCache cache = cache(60);

        cache.setAsync("llmix:resp:write", "Hello").join();

        assertThat(REDIS.command("GET", "llmix:resp:write"))
                .isEqualTo("{\"data\":\"Hello\",\"cached_at\":" + nowSeconds() + "}");
        assertThat((Long) REDIS.command("TTL", "llmix:resp:write")).isBetween(59L, 60L);
        assertThat(commandCalls("setex")).isEqualTo(1);
    }

    @Test
    void cachedAtIsWholeUnixSeconds() {
        clock.set(1_767_225_600_999L);
        cache(60).setAsync("llmix:resp:secs", "v").join();

        JsonNode payload = JSON.readTree((String) REDIS.command("GET", "llmix:resp:secs"));
        assertThat(payload.get("cached_at").isIntegralNumber()).isTrue();
        assertThat(payload.get("cached_at").asLong()).isEqualTo(1_767_225_600L);
        assertThat(payload.propertyNames()).containsExactly("data", "cached_at");
    }

    @Test
    void textWithQuotesControlCharactersAndUnicodeRoundTrips() {
        String text = "He said \"hi\" \\ then\n\ttabs \u0001 \u2028 h\u00e9llo \ud83d\ude00 </script>";
        cache(60).setAsync("llmix:resp:text", text).join();

        CacheLookup hit = cache(60).get("llmix:resp:text");

        assertThat(hit).isEqualTo(new CacheLookup(text, CacheHitTier.L2));
    }

    @Test
    void loneSurrogateIsStoredAsItsAsciiEscapeAndReadBackExactlyOverAnotherConnection() {
        String text = "a\ud800b \udc00 \ud83d\ude00 c\ud83d";
        TwoTierCache writer = cache(60);
        writer.setAsync("llmix:resp:lone", text).join();

        String expectedPayload = "{\"data\":\"a\\ud800b \\udc00 \ud83d\ude00 c\\ud83d\",\"cached_at\":"
                + nowSeconds() + "}";
        assertThat(REDIS.command("GET", "llmix:resp:lone")).isEqualTo(expectedPayload);
        assertThat(REDIS.command("STRLEN", "llmix:resp:lone"))
                .isEqualTo((long) expectedPayload.getBytes(StandardCharsets.UTF_8).length);

        RedisResponseCacheStore otherConnection = RedisResponseCacheStore.fromUrl(REDIS.url());
        TwoTierCache reader = track(TwoTierCache.builder().strategy(CachingStrategy.REDIS)
                .ttl(Duration.ofSeconds(60)).l2(otherConnection).clock(clock::get).build());
        try {
            assertThat(reader.get("llmix:resp:lone")).isEqualTo(new CacheLookup(text, CacheHitTier.L2));
        } finally {
            otherConnection.close();
        }
    }

    @Test
    void entriesOfOtherBindingsAreReadWithEscapedAndRawNonAsciiText() {
        REDIS.command("SET", "llmix:resp:escaped",
                "{\"data\":\"x\\ud800y \\u00e9 \\ud83d\\ude00\",\"cached_at\":" + nowSeconds() + "}");
        REDIS.command("SET", "llmix:resp:raw", "{\"data\":\"\u00e9 \ud83d\ude00 \u2028\",\"cached_at\":"
                + nowSeconds() + "}");
        TwoTierCache cache = cache(60);

        assertThat(cache.get("llmix:resp:escaped"))
                .isEqualTo(new CacheLookup("x\ud800y \u00e9 \ud83d\ude00", CacheHitTier.L2));
        assertThat(cache.get("llmix:resp:raw")).isEqualTo(new CacheLookup("\u00e9 \ud83d\ude00 \u2028", CacheHitTier.L2));
    }

    // ---- reading -------------------------------------------------------------------------------------------------

    @Test
    void aFreshCacheGetsAnL2HitAndThenServesItFromL1() {
        cache(60).setAsync("llmix:resp:shared", "shared answer").join();
        TwoTierCache fresh = cache(60);

        assertThat(fresh.get("llmix:resp:shared")).isEqualTo(new CacheLookup("shared answer", CacheHitTier.L2));
        assertThat(fresh.get("llmix:resp:shared")).isEqualTo(new CacheLookup("shared answer", CacheHitTier.L1));
        assertThat(fresh.stats().l2Hits()).isEqualTo(1);
        assertThat(fresh.stats().l1Hits()).isEqualTo(1);
    }

    @Test
    void aMissingKeyIsAMiss() {
        TwoTierCache cache = cache(60);

        assertThat(cache.get("llmix:resp:absent")).isNull();
        assertThat(cache.stats().l2Healthy()).isTrue();
    }

    @Test
    void pythonEntryWithFractionalCachedAtIsReadAndExpiresFromL1AtTheExactInstant() {
        long now = clock.get();
        double cachedAt = now / 1000d - 10.5; // Python writes time.time()
        REDIS.command("SET", "llmix:resp:py", "{\"data\": \"from python\", \"cached_at\": " + cachedAt + "}");
        TwoTierCache cache = cache(60);

        assertThat(cache.get("llmix:resp:py")).isEqualTo(new CacheLookup("from python", CacheHitTier.L2));

        long expiresAtMs = (long) Math.ceil((cachedAt + 60) * 1000);
        clock.set(expiresAtMs - 2);
        assertThat(cache.get("llmix:resp:py")).isEqualTo(new CacheLookup("from python", CacheHitTier.L1));
        clock.set(expiresAtMs + 1);
        assertThat(cache.get("llmix:resp:py")).isNull();
    }

    @Test
    void earlyTypeScriptEntryWithCamelCaseCachedAtIsRead() {
        REDIS.command("SET", "llmix:resp:ts", "{\"data\":\"from early ts\",\"cachedAt\":" + nowSeconds() + "}");

        assertThat(cache(60).get("llmix:resp:ts")).isEqualTo(new CacheLookup("from early ts", CacheHitTier.L2));
    }

    @Test
    void legacyMillisecondCachedAtIsRead() {
        REDIS.command("SET", "llmix:resp:ms", "{\"data\":\"legacy\",\"cached_at\":" + clock.get() + "}");
        TwoTierCache cache = cache(60);

        assertThat(cache.get("llmix:resp:ms")).isEqualTo(new CacheLookup("legacy", CacheHitTier.L2));
        clock.addAndGet(59_000);
        assertThat(cache.get("llmix:resp:ms")).isEqualTo(new CacheLookup("legacy", CacheHitTier.L1));
    }

    @Test
    void legacyMillisecondEntryOlderThanTheTtlIsAMiss() {
        REDIS.command("SET", "llmix:resp:ms-old", "{\"data\":\"old\",\"cached_at\":" + (clock.get() - 61_000) + "}");

        assertThat(cache(60).get("llmix:resp:ms-old")).isNull();
    }

    @Test
    void entryWithoutATimestampGetsTheFullTtl() {
        REDIS.command("SET", "llmix:resp:nots", "{\"data\":\"no timestamp\"}");
        TwoTierCache cache = cache(60);

        assertThat(cache.get("llmix:resp:nots")).isEqualTo(new CacheLookup("no timestamp", CacheHitTier.L2));
        clock.addAndGet(59_999);
        assertThat(cache.get("llmix:resp:nots")).isEqualTo(new CacheLookup("no timestamp", CacheHitTier.L1));
    }

    @Test
    void entryOlderThanTheTtlIsAMissNotCopiedToL1AndLeftInRedis() {
        REDIS.command("SET", "llmix:resp:old", "{\"data\":\"x\",\"cached_at\":" + (nowSeconds() - 61) + "}");
        TwoTierCache cache = cache(60);

        assertThat(cache.get("llmix:resp:old")).isNull();
        assertThat(cache.stats().l1Size()).isZero();
        assertThat(REDIS.command("EXISTS", "llmix:resp:old")).isEqualTo(1L);
    }

    @Test
    void backfilledEntryKeepsOnlyItsRemainingLifetime() {
        REDIS.command("SET", "llmix:resp:aged", "{\"data\":\"aged\",\"cached_at\":" + (nowSeconds() - 50) + "}");
        long writtenAtMs = nowSeconds() * 1000 - 50_000;
        TwoTierCache cache = cache(60);

        assertThat(cache.get("llmix:resp:aged")).isEqualTo(new CacheLookup("aged", CacheHitTier.L2));
        REDIS.command("DEL", "llmix:resp:aged");
        clock.set(writtenAtMs + 59_999);
        assertThat(cache.get("llmix:resp:aged")).isEqualTo(new CacheLookup("aged", CacheHitTier.L1));
        clock.set(writtenAtMs + 60_001);
        assertThat(cache.get("llmix:resp:aged")).isNull();
    }

    @Test
    void redisExpiresTheEntryAfterTheTtl() {
        // Real time on both sides: Redis' own expiry and the cache's wall clock.
        TwoTierCache writer = track(TwoTierCache.builder().strategy(CachingStrategy.REDIS).ttl(Duration.ofSeconds(1))
                .l2(new RedisResponseCacheStore(factory)).build());
        writer.setAsync("llmix:resp:short", "short-lived").join();
        assertThat((Long) REDIS.command("PTTL", "llmix:resp:short")).isBetween(1L, 1000L);

        L2TestSupport.await("Redis to expire the entry", Duration.ofSeconds(3),
                () -> Long.valueOf(0).equals(REDIS.command("EXISTS", "llmix:resp:short")));

        TwoTierCache reader = track(TwoTierCache.builder().strategy(CachingStrategy.REDIS).ttl(Duration.ofSeconds(1))
                .l2(new RedisResponseCacheStore(factory)).build());
        assertThat(reader.get("llmix:resp:short")).isNull();
        assertThat(writer.get("llmix:resp:short")).isNull();
    }

    // ---- malformed values ------------------------------------------------------------------------------------------

    static Stream<Arguments> malformedValues() {
        return Stream.of(
                Arguments.of("not JSON", "not json"),
                Arguments.of("truncated JSON", "{\"data\":\"x\",\"cached_at\":"),
                Arguments.of("data is a number", "{\"data\":42,\"cached_at\":1767225600}"),
                Arguments.of("data is null", "{\"data\":null}"),
                Arguments.of("data missing", "{\"cached_at\":1767225600}"),
                Arguments.of("a JSON array", "[\"data\",\"x\"]"),
                Arguments.of("a JSON string", "\"data\""),
                Arguments.of("empty string", ""),
                Arguments.of("5 MB of garbage", "\u0000garbage".repeat(5 * 1024 * 1024 / 8)),
                Arguments.of("5 MB of nested arrays", "[".repeat(5 * 1024 * 1024)),
                Arguments.of("5 MB JSON with a non-string data", "{\"data\":[" + "1,".repeat(2 * 1024 * 1024) + "1]}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedValues")
    void malformedValueIsAMissAndCounted(String description, String value) {
        REDIS.command("SET", "llmix:resp:bad", value);
        TwoTierCache cache = cache(60);

        assertThat(cache.get("llmix:resp:bad")).isNull();
        CacheStats stats = cache.stats();
        assertThat(stats.malformedEntries()).isEqualTo(1);
        assertThat(stats.misses()).isEqualTo(1);
        assertThat(stats.l2Healthy()).isTrue();
    }

    @Test
    void aKeyHoldingAnotherRedisTypeIsAMiss() {
        REDIS.command("RPUSH", "llmix:resp:list", "a", "b");
        TwoTierCache cache = cache(60);

        assertThat(cache.get("llmix:resp:list")).isNull();
        assertThat(cache.stats().l2Errors()).isEqualTo(1);
        assertThat(cache.stats().l2Healthy()).isTrue();
    }

    @Test
    void aValidFiveMegabyteEntryIsServed() {
        String big = "y".repeat(5 * 1024 * 1024);
        cache(60).setAsync("llmix:resp:big", big).join();

        CacheLookup hit = cache(60).get("llmix:resp:big");

        assertThat(hit).isNotNull();
        assertThat(hit.value()).hasSize(big.length());
        assertThat(hit.tier()).isEqualTo(CacheHitTier.L2);
    }

    @Test
    void malformedEntriesAreLoggedOnceWithoutKeyOrValue() {
        REDIS.command("SET", "llmix:resp:bad1", "secret-ish garbage one");
        REDIS.command("SET", "llmix:resp:bad2", "secret-ish garbage two");
        TwoTierCache cache = cache(60);

        try (CapturedLogs logs = new CapturedLogs()) {
            cache.get("llmix:resp:bad1");
            cache.get("llmix:resp:bad2");

            List<String> lines = logs.messagesOf(TwoTierCache.class.getName()).stream()
                    .filter(line -> line.contains("malformed")).toList();
            assertThat(lines).hasSize(1);
            assertThat(lines.get(0)).contains("L2 returned malformed cache entry, ignoring.")
                    .doesNotContain("llmix:resp:").doesNotContain("garbage");
        }
        assertThat(cache.stats().malformedEntries()).isEqualTo(2);
    }

    private static long commandCalls(String command) {
        String info = (String) REDIS.command("INFO", "commandstats");
        Matcher m = Pattern.compile("cmdstat_" + command + ":calls=(\\d+)").matcher(info);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
