package dev.llmix.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmix.config.CachingStrategy;
import dev.llmix.testsupport.InMemoryResponseCacheStore;
import dev.llmix.spi.CacheHitTier;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class TwoTierCacheTest {

    private static final long NOW_MS = 1_767_225_600_000L;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final AtomicLong clock = new AtomicLong(NOW_MS);
    private final InMemoryResponseCacheStore store = new InMemoryResponseCacheStore();
    private TwoTierCache cache;

    @AfterEach
    void closeCache() {
        if (cache != null) {
            cache.close();
        }
    }

    private TwoTierCache memory(int maxItems, int ttlSeconds) {
        cache = TwoTierCache.builder().strategy(CachingStrategy.MEMORY).maxItems(maxItems)
                .ttl(Duration.ofSeconds(ttlSeconds)).clock(clock::get).build();
        return cache;
    }

    private TwoTierCache withL2(CachingStrategy strategy, int ttlSeconds) {
        cache = TwoTierCache.builder().strategy(strategy).maxItems(100).ttl(Duration.ofSeconds(ttlSeconds))
                .l2(store).clock(clock::get).l2Executor(Runnable::run).build();
        return cache;
    }

    // --- strategies (checks 15-17) ---

    @Test
    void responseCacheStrategiesAreRedisRedisOrMemoryAndMemory() {
        for (CachingStrategy s : CachingStrategy.values()) {
            boolean uses = s == CachingStrategy.REDIS || s == CachingStrategy.REDIS_OR_MEMORY
                    || s == CachingStrategy.MEMORY;
            assertThat(s.usesResponseCache()).as(s.wireName()).isEqualTo(uses);
            assertThat(s.skipsCache()).as(s.wireName()).isEqualTo(!uses);
        }
    }

    @Test
    void redisStrategyWithoutStoreIsRejected() {
        assertThatThrownBy(() -> TwoTierCache.builder().strategy(CachingStrategy.REDIS).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TwoTierCache strategy \"redis\" requires config.redisUrl to be set.");
    }

    @Test
    void skipStrategiesAndUnusableSizesAreRejected() {
        assertThatThrownBy(() -> TwoTierCache.builder().strategy(CachingStrategy.DISABLED).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TwoTierCache.builder().maxItems(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxItems");
        assertThatThrownBy(() -> TwoTierCache.builder().ttl(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl");
    }

    @Test
    void redisCacheIsBuiltWithoutConnecting() {
        withL2(CachingStrategy.REDIS, 60);
        CacheStats stats = cache.stats();
        assertThat(stats.l2Enabled()).isTrue();
        assertThat(stats.l2Healthy()).isTrue();
        assertThat(stats.strategy()).isEqualTo(CachingStrategy.REDIS);
        assertThat(store.pings.get()).isZero();
    }

    @Test
    void memoryStrategyIgnoresAnL2Store() {
        cache = TwoTierCache.builder().strategy(CachingStrategy.MEMORY).l2(store).l2Executor(Runnable::run).build();
        cache.set("k", "v");
        assertThat(cache.stats().l2Enabled()).isFalse();
        assertThat(store.setexCalls).isEmpty();
    }

    // --- L1 (checks 18-19) ---

    @Test
    void l1EvictsTheLeastRecentlyUsedEntryWhenFull() {
        memory(3, 60);
        assertThat(cache.get("key1")).isNull();
        cache.set("key1", "value1");
        assertThat(cache.get("key1")).isEqualTo(new CacheLookup("value1", CacheHitTier.L1));
        cache.set("key2", "value2");
        cache.set("key3", "value3");
        CacheStats stats = cache.stats();
        assertThat(stats.l1Size()).isEqualTo(3);
        assertThat(stats.l1Max()).isEqualTo(3);
        assertThat(stats.l2Enabled()).isFalse();
        assertThat(stats.strategy()).isEqualTo(CachingStrategy.MEMORY);

        cache.set("key4", "value4");
        assertThat(cache.stats().l1Size()).isEqualTo(3);
        assertThat(cache.get("key1")).isNull();
        assertThat(cache.get("key4")).isEqualTo(new CacheLookup("value4", CacheHitTier.L1));

        cache.clear();
        assertThat(cache.get("key4")).isNull();
        assertThat(cache.stats().l1Size()).isZero();
    }

    @Test
    void l1EntryExpiresExactlyAtItsTtl() {
        memory(10, 60);
        cache.set("k", "v");
        clock.addAndGet(59_999);
        assertThat(cache.get("k")).isNotNull();
        clock.addAndGet(1);
        assertThat(cache.get("k")).isNull();
    }

    @Test
    void readsDoNotExtendTheLifetime() {
        memory(10, 60);
        cache.set("k", "v");
        clock.addAndGet(30_000);
        assertThat(cache.get("k")).isNotNull();
        clock.addAndGet(30_000);
        assertThat(cache.get("k")).isNull();
    }

    @Test
    void statsCountHitsPerTierAndMisses() {
        withL2(CachingStrategy.REDIS_OR_MEMORY, 60);
        store.data.put("remote", "{\"data\":\"r\",\"cached_at\":" + NOW_MS / 1000 + "}");
        cache.set("local", "l");
        cache.get("local");
        cache.get("remote");
        cache.get("remote");
        cache.get("nothing");
        CacheStats stats = cache.stats();
        assertThat(stats.l1Hits()).isEqualTo(2);
        assertThat(stats.l2Hits()).isEqualTo(1);
        assertThat(stats.misses()).isEqualTo(1);
        assertThat(stats.lookups()).isEqualTo(4);
    }

    @Test
    void l1HitReturnsTheSameInstanceEveryTime() {
        memory(10, 60);
        cache.set("k", "v");
        assertThat(cache.get("k")).isSameAs(cache.get("k"));
    }

    // --- L2 payload (checks 20-22) ---

    @Test
    void l2WriteUsesSetexWithTtlAndTheCrossLanguagePayload() {
        withL2(CachingStrategy.REDIS, 60);
        cache.setAsync("redis-seconds", "value").join();
        assertThat(store.setexCalls).hasSize(1);
        InMemoryResponseCacheStore.Setex call = store.setexCalls.get(0);
        assertThat(call.key()).isEqualTo("redis-seconds");
        assertThat(call.ttlSeconds()).isEqualTo(60);
        assertThat(call.value()).isEqualTo("{\"data\":\"value\",\"cached_at\":1767225600}");
        JsonNode node = JSON.readTree(call.value());
        assertThat(node.get("cached_at").isIntegralNumber()).isTrue();
        long cachedAt = node.get("cached_at").asLong();
        assertThat(cachedAt).isGreaterThan(1_000_000_000L).isLessThan(1_000_000_000_000L);
    }

    @Test
    void l2EntryWithMillisecondTimestampIsAHitAndBackfillsL1() {
        withL2(CachingStrategy.REDIS, 60);
        store.data.put("k", "{\"data\":\"legacy-value\",\"cached_at\":" + NOW_MS + "}");
        assertThat(cache.get("k")).isEqualTo(new CacheLookup("legacy-value", CacheHitTier.L2));
        assertThat(cache.get("k")).isEqualTo(new CacheLookup("legacy-value", CacheHitTier.L1));
        assertThat(store.gets.get()).isEqualTo(1);
    }

    @Test
    void l2EntryWithCamelCaseTimestampIsAHit() {
        withL2(CachingStrategy.REDIS, 60);
        store.data.put("k", "{\"data\":\"x\",\"cachedAt\":" + NOW_MS / 1000 + "}");
        assertThat(cache.get("k")).isEqualTo(new CacheLookup("x", CacheHitTier.L2));
    }

    @Test
    void l2BackfillKeepsOnlyTheRemainingLifetime() {
        withL2(CachingStrategy.REDIS, 60);
        clock.set(1_767_225_610_000L);
        store.data.put("k", "{\"data\":\"x\",\"cached_at\":1767225600.5}");
        assertThat(cache.get("k")).isEqualTo(new CacheLookup("x", CacheHitTier.L2));
        store.data.clear();
        clock.set(1_767_225_660_499L);
        assertThat(cache.get("k")).isEqualTo(new CacheLookup("x", CacheHitTier.L1));
        clock.set(1_767_225_660_500L);
        assertThat(cache.get("k")).isNull();
    }

    @Test
    void expiredL2EntryIsAMissAndNotCopied() {
        withL2(CachingStrategy.REDIS, 60);
        store.data.put("k", "{\"data\":\"x\",\"cached_at\":" + (NOW_MS / 1000 - 61) + "}");
        assertThat(cache.get("k")).isNull();
        assertThat(cache.stats().l1Size()).isZero();
        assertThat(store.data).containsKey("k");
    }

    @Test
    void futureTimestampIsCappedAtTheTtl() {
        withL2(CachingStrategy.REDIS, 60);
        store.data.put("k", "{\"data\":\"x\",\"cached_at\":" + (NOW_MS / 1000 + 3600) + "}");
        assertThat(cache.get("k")).isNotNull();
        store.data.clear();
        clock.addAndGet(60_000);
        assertThat(cache.get("k")).isNull();
    }

    @Test
    void missingOrInvalidTimestampMeansNow() {
        withL2(CachingStrategy.REDIS, 60);
        store.data.put("a", "{\"data\":\"x\"}");
        store.data.put("b", "{\"data\":\"x\",\"cached_at\":\"yesterday\"}");
        store.data.put("c", "{\"data\":\"x\",\"cached_at\":-5}");
        assertThat(cache.get("a")).isNotNull();
        assertThat(cache.get("b")).isNotNull();
        assertThat(cache.get("c")).isNotNull();
        store.data.clear();
        clock.addAndGet(59_999);
        assertThat(cache.get("a")).isNotNull();
    }

    @Test
    void malformedEntriesAreMissesAndCounted() {
        withL2(CachingStrategy.REDIS, 60);
        store.data.put("n", "{\"data\":42}");
        store.data.put("j", "not json");
        store.data.put("a", "[1,2]");
        assertThat(cache.get("n")).isNull();
        assertThat(cache.get("j")).isNull();
        assertThat(cache.get("a")).isNull();
        assertThat(cache.stats().malformedEntries()).isEqualTo(3);
        assertThat(cache.stats().misses()).isEqualTo(3);
    }

    @Test
    void l2ReadFailureIsAMiss() {
        withL2(CachingStrategy.REDIS, 60);
        store.failGet = true;
        assertThat(cache.get("k")).isNull();
        assertThat(cache.stats().l2Errors()).isEqualTo(1);
        assertThat(cache.stats().l2Healthy()).isTrue();
    }

    // --- L2 health (checks 23-25) ---

    @Test
    void threeConsecutiveWriteFailuresMarkL2Unhealthy() {
        withL2(CachingStrategy.REDIS_OR_MEMORY, 60);
        store.failSetex = true;
        cache.setAsync("k1", "v1").join();
        assertThat(cache.stats().l2Healthy()).isTrue();
        cache.setAsync("k2", "v2").join();
        assertThat(cache.stats().l2Healthy()).isTrue();
        cache.setAsync("k3", "v3").join();
        assertThat(cache.stats().l2Healthy()).isFalse();
        assertThat(cache.get("k1")).isNotNull();
        assertThat(cache.get("k2")).isNotNull();
        assertThat(cache.get("k3")).isNotNull();
        cache.setAsync("k4", "v4").join();
        assertThat(store.setexCalls).hasSize(3);
    }

    @Test
    void aSuccessfulWriteResetsTheFailureStreak() {
        withL2(CachingStrategy.REDIS_OR_MEMORY, 60);
        store.failSetex = true;
        cache.setAsync("k1", "v").join();
        cache.setAsync("k2", "v").join();
        store.failSetex = false;
        cache.setAsync("k3", "v").join();
        store.failSetex = true;
        cache.setAsync("k4", "v").join();
        cache.setAsync("k5", "v").join();
        assertThat(cache.stats().l2Healthy()).isTrue();
    }

    @Test
    void healthPingRecoversAnUnhealthyL2AndResetsTheStreak() {
        withL2(CachingStrategy.REDIS_OR_MEMORY, 60);
        store.failSetex = true;
        for (int i = 0; i < 3; i++) {
            cache.setAsync("k" + i, "v").join();
        }
        assertThat(cache.stats().l2Healthy()).isFalse();
        store.failSetex = false;
        cache.runHealthCheck();
        assertThat(cache.stats().l2Healthy()).isTrue();
        store.failSetex = true;
        cache.setAsync("again", "v").join();
        assertThat(cache.stats().l2Healthy()).isTrue();
    }

    @Test
    void failedHealthPingDisablesL2UntilTheNextGoodPing() {
        withL2(CachingStrategy.REDIS, 60);
        cache.setAsync("k", "v").join();
        store.failPing = true;
        cache.runHealthCheck();
        assertThat(cache.stats().l2Healthy()).isFalse();
        store.data.put("remote", "{\"data\":\"r\"}");
        assertThat(cache.get("remote")).isNull();
        store.failPing = false;
        cache.runHealthCheck();
        assertThat(cache.get("remote")).isEqualTo(new CacheLookup("r", CacheHitTier.L2));
    }

    @Test
    void failedConnectBacksOffForThirtySeconds() {
        withL2(CachingStrategy.REDIS, 60);
        store.failPing = true;
        assertThat(cache.get("k")).isNull();
        assertThat(cache.stats().l2Healthy()).isFalse();
        assertThat(store.pings.get()).isEqualTo(1);
        clock.addAndGet(10_000);
        assertThat(cache.get("k")).isNull();
        cache.setAsync("w", "v").join();
        assertThat(store.pings.get()).isEqualTo(1);
        assertThat(store.gets.get()).isZero();
        clock.addAndGet(21_000);
        store.failPing = false;
        store.data.put("k", "{\"data\":\"x\"}");
        assertThat(cache.get("k")).isEqualTo(new CacheLookup("x", CacheHitTier.L2));
        assertThat(store.pings.get()).isEqualTo(2);
        assertThat(cache.stats().l2Healthy()).isTrue();
    }

    @Test
    void connectingSchedulesThePeriodicPingOnTheScheduler() {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
        try {
            cache = TwoTierCache.builder().strategy(CachingStrategy.REDIS).l2(store).l2Executor(Runnable::run)
                    .clock(clock::get).healthScheduler(scheduler).build();
            assertThat(scheduler.getQueue()).isEmpty();
            cache.get("k");
            assertThat(scheduler.getQueue()).hasSize(1);
            cache.close();
            assertThat(scheduler.getQueue()).allMatch(r -> ((java.util.concurrent.Future<?>) r).isCancelled());
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void closeTwiceIsSafeAndL1KeepsServing() {
        withL2(CachingStrategy.REDIS, 60);
        cache.set("k", "v");
        cache.close();
        cache.close();
        assertThat(store.closes.get()).isEqualTo(1);
        assertThat(cache.get("k")).isEqualTo(new CacheLookup("v", CacheHitTier.L1));
        cache.setAsync("after", "v").join();
        assertThat(cache.get("after")).isNotNull();
    }

    @Test
    void ownedWriterFlushesPendingWritesOnClose() {
        cache = TwoTierCache.builder().strategy(CachingStrategy.REDIS).l2(store).clock(clock::get).build();
        for (int i = 0; i < 20; i++) {
            cache.set("k" + i, "v");
        }
        cache.close();
        assertThat(store.setexCalls).hasSize(20);
    }

    @Test
    void l1StaysWithinCapacityAndCountsEveryLookupUnder64Threads() throws Exception {
        memory(100, 60);
        int threads = 64;
        int ops = 5_000;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            done.add(pool.submit(() -> {
                start.await();
                java.util.concurrent.ThreadLocalRandom rnd = java.util.concurrent.ThreadLocalRandom.current();
                for (int i = 0; i < ops; i++) {
                    String key = "k" + rnd.nextInt(300);
                    CacheLookup hit = cache.get(key);
                    if (hit == null) {
                        cache.set(key, "v-" + key);
                    } else if (!hit.value().equals("v-" + key)) {
                        throw new AssertionError("wrong value for " + key);
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (java.util.concurrent.Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        CacheStats stats = cache.stats();
        assertThat(stats.l1Size()).isLessThanOrEqualTo(100);
        assertThat(stats.lookups()).isEqualTo((long) threads * ops);
        assertThat(stats.l1Hits()).isPositive();
    }

    @Test
    void healthIntervalSetsTheReconnectBackOff() {
        store.failPing = true;
        cache = TwoTierCache.builder().strategy(CachingStrategy.REDIS).l2(store).clock(clock::get)
                .l2Executor(Runnable::run).healthInterval(Duration.ofSeconds(2)).build();
        cache.get("a");
        cache.get("b");
        assertThat(store.pings.get()).isEqualTo(1);
        store.failPing = false;
        clock.addAndGet(1_999);
        cache.get("c");
        assertThat(store.pings.get()).isEqualTo(1);
        clock.addAndGet(1);
        cache.get("d");
        assertThat(store.pings.get()).isEqualTo(2);
        assertThat(cache.stats().l2Healthy()).isTrue();
    }

    @Test
    void healthIntervalMustBePositive() {
        assertThatThrownBy(() -> TwoTierCache.builder().healthInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("healthInterval");
    }

    @Test
    void failedReadsAreAllCountedButWarnedAboutOncePerHealthInterval() {
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(TwoTierCache.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
                new ch.qos.logback.core.read.ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            withL2(CachingStrategy.REDIS, 60);
            store.failGet = true;
            for (int i = 0; i < 50; i++) {
                assertThat(cache.get("missing-" + i)).isNull();
            }
            clock.addAndGet(TwoTierCache.HEALTH_INTERVAL.toMillis());
            assertThat(cache.get("missing-again")).isNull();
            long warnings = appender.list.stream()
                    .filter(e -> e.getFormattedMessage().startsWith("L2 GET failed")).count();
            assertThat(warnings).isEqualTo(2);
            assertThat(store.gets.get()).isEqualTo(51);
        } finally {
            logger.detachAppender(appender);
        }
    }
}
