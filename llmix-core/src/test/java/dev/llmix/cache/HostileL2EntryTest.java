package dev.llmix.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.config.CachingStrategy;
import dev.llmix.spi.CacheHitTier;
import dev.llmix.testsupport.InMemoryResponseCacheStore;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Hostile-input item 1 of docs/reliability.md: an L2 entry's odd {@code cached_at} never fails a lookup. */
class HostileL2EntryTest {

    private final InMemoryResponseCacheStore store = new InMemoryResponseCacheStore();
    private final TwoTierCache cache = TwoTierCache.builder().strategy(CachingStrategy.REDIS).maxItems(10)
            .ttl(Duration.ofSeconds(60)).l2(store).clock(() -> 1_700_000_000_000L).l2Executor(Runnable::run).build();

    @AfterEach
    void close() {
        cache.close();
    }

    @Test
    void aCachedAtTooLargeForADoubleReadsAsNow() {
        store.data.put("k", "{\"data\":\"v\",\"cached_at\":" + "9".repeat(400) + "}");
        assertThat(cache.get("k")).isEqualTo(new CacheLookup("v", CacheHitTier.L2));
    }

    @Test
    void aCachedAtOf1e400ReadsAsNow() {
        store.data.put("k", "{\"data\":\"v\",\"cached_at\":1e400}");
        assertThat(cache.get("k")).isEqualTo(new CacheLookup("v", CacheHitTier.L2));
    }
}
