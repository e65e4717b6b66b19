package dev.llmix.spring.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmix.cache.CacheLookup;
import dev.llmix.cache.TwoTierCache;
import dev.llmix.config.CachingStrategy;
import dev.llmix.spi.CacheHitTier;
import dev.llmix.testsupport.RealRedis;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Choosing and starting the L2 against a Redis that is configured or not, up or down (response-cache.md §2, §6.1,
 * checks 16, 17 and 24 on a real server).
 */
class RedisStartupTest {

    @RegisterExtension
    static final RealRedis REDIS = RealRedis.create();

    private final AtomicLong clock = new AtomicLong(System.currentTimeMillis());

    @BeforeEach
    void flush() {
        REDIS.flushAll();
    }

    @Test
    void redisStrategyWithAUrlGivesAWorkingL2() {
        CachingStrategy resolved = CachingStrategy.REDIS;

        try (TwoTierCache writer = cacheOn(resolved, REDIS.url());
                TwoTierCache reader = cacheOn(resolved, REDIS.url())) {
            writer.setAsync("llmix:resp:start", "v").join();
            assertThat(reader.get("llmix:resp:start")).isEqualTo(new CacheLookup("v", CacheHitTier.L2));
        }
    }

    @Test
    void redisStrategyWithoutAUrlFailsFast() {
        assertThatThrownBy(() -> TwoTierCache.builder().strategy(CachingStrategy.REDIS).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TwoTierCache strategy \"redis\" requires config.redisUrl to be set.");
    }

    @Test
    void redisOrMemoryWithAUrlKeepsL2() {
        CachingStrategy resolved = CachingStrategy.REDIS_OR_MEMORY;

        try (TwoTierCache cache = cacheOn(resolved, REDIS.url())) {
            cache.setAsync("llmix:resp:rom", "v").join();
            assertThat(REDIS.command("EXISTS", "llmix:resp:rom")).isEqualTo(1L);
            assertThat(cache.stats().l2Enabled()).isTrue();
        }
    }

    @Test
    void aCacheBuiltWhileRedisIsDownStartsServesMissesAndConnectsAfterTheBackoff() {
        REDIS.kill();
        try (TwoTierCache cache = cacheOn(CachingStrategy.REDIS, REDIS.url())) {
            // Construction does not connect.
            assertThat(cache.stats().l2Enabled()).isTrue();
            assertThat(cache.stats().l2Healthy()).isTrue();

            assertThat(cache.get("llmix:resp:down")).isNull();
            assertThat(cache.stats().l2Healthy()).isFalse();
            cache.set("llmix:resp:local", "still served");
            assertThat(cache.get("llmix:resp:local")).isEqualTo(new CacheLookup("still served", CacheHitTier.L1));

            REDIS.restart();
            REDIS.command("CONFIG", "RESETSTAT");
            REDIS.command("SETEX", "llmix:resp:down", "60",
                    "{\"data\":\"back\",\"cached_at\":" + (clock.get() / 1000) + "}");

            clock.addAndGet(10_000); // within the 30 s back-off: no connection attempt
            assertThat(cache.get("llmix:resp:down")).isNull();
            assertThat(commandCalls("ping") + commandCalls("get")).isZero();

            clock.addAndGet(21_000); // 31 s after the failed attempt: connects again
            assertThat(cache.get("llmix:resp:down")).isEqualTo(new CacheLookup("back", CacheHitTier.L2));
            assertThat(cache.stats().l2Healthy()).isTrue();
        }
    }

    private TwoTierCache cacheOn(CachingStrategy strategy, String url) {
        return TwoTierCache.builder()
                .strategy(strategy)
                .ttl(Duration.ofSeconds(60))
                .l2(RedisResponseCacheStore.fromUrl(url))
                .clock(clock::get)
                .build();
    }

    private static long commandCalls(String command) {
        String info = (String) REDIS.command("INFO", "commandstats");
        Matcher m = Pattern.compile("cmdstat_" + command + ":calls=(\\d+)").matcher(info);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
