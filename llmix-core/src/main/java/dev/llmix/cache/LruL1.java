package dev.llmix.cache;

import dev.llmix.spi.CacheHitTier;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The L1 tier of {@link TwoTierCache}: a strict LRU map with a per-entry deadline, guarded by one lock. Strict LRU is
 * what the spec's eviction check requires (a frequency-based policy such as Caffeine's W-TinyLFU may keep a recently
 * read old entry and drop the newcomer instead). A hit returns a pre-built {@link CacheLookup}, so it allocates nothing.
 */
final class LruL1 {

    private final int maxItems;
    private final LongSupplier nanoTime;
    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedHashMap<String, Entry> map;

    LruL1(int maxItems, LongSupplier nanoTime) {
        this.maxItems = maxItems;
        this.nanoTime = nanoTime;
        this.map = new LinkedHashMap<>(Math.min(maxItems, 1024) * 2, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > LruL1.this.maxItems;
            }
        };
    }

    /** The live entry for {@code key} (marking it most recently used), or null; an expired entry is removed. */
    @Nullable CacheLookup get(String key) {
        long now = nanoTime.getAsLong();
        lock.lock();
        try {
            Entry e = map.get(key);
            if (e == null) {
                return null;
            }
            if (now - e.expiresAtNanos >= 0) {
                map.remove(key);
                return null;
            }
            return e.lookup;
        } finally {
            lock.unlock();
        }
    }

    /** Stores {@code data} for {@code lifetimeNanos}, evicting the least recently used entry when full. */
    void put(String key, String data, long lifetimeNanos) {
        Entry e = new Entry(new CacheLookup(data, CacheHitTier.L1), nanoTime.getAsLong() + lifetimeNanos);
        lock.lock();
        try {
            map.put(key, e);
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return map.size();
        } finally {
            lock.unlock();
        }
    }

    void clear() {
        lock.lock();
        try {
            map.clear();
        } finally {
            lock.unlock();
        }
    }

    private record Entry(CacheLookup lookup, long expiresAtNanos) {
    }
}
