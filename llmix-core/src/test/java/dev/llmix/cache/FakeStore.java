package dev.llmix.cache;

import dev.llmix.spi.ResponseCacheStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** A scripted in-memory {@link ResponseCacheStore} recording every command. */
final class FakeStore implements ResponseCacheStore {

    record Setex(String key, long ttlSeconds, String value) {
    }

    final Map<String, String> data = new ConcurrentHashMap<>();
    final List<Setex> setexCalls = new CopyOnWriteArrayList<>();
    final AtomicInteger pings = new AtomicInteger();
    final AtomicInteger gets = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();
    volatile boolean failPing;
    volatile boolean failGet;
    volatile boolean failSetex;

    @Override
    public @Nullable String get(String key) throws Exception {
        gets.incrementAndGet();
        if (failGet) {
            throw new java.io.IOException("GET refused");
        }
        return data.get(key);
    }

    @Override
    public void setex(String key, long ttlSeconds, String value) throws Exception {
        setexCalls.add(new Setex(key, ttlSeconds, value));
        if (failSetex) {
            throw new java.io.IOException("SETEX refused");
        }
        data.put(key, value);
    }

    @Override
    public void ping() throws Exception {
        pings.incrementAndGet();
        if (failPing) {
            throw new java.io.IOException("connection refused");
        }
    }

    @Override
    public void close() {
        closes.incrementAndGet();
    }
}
