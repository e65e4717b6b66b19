package dev.llmix.testsupport;

import dev.llmix.spi.ResponseCacheStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The one in-memory {@link ResponseCacheStore} of the test suites: a map that records every command and can be told to
 * fail {@code GET}, {@code SETEX} or {@code PING}, so L2 behaviour is testable without a Redis.
 */
public final class InMemoryResponseCacheStore implements ResponseCacheStore {

    /** One recorded {@code SETEX}. */
    public record Setex(String key, long ttlSeconds, String value) {
    }

    /** The stored values by key. */
    public final Map<String, String> data = new ConcurrentHashMap<>();
    /** Every {@code SETEX}, in order, including refused ones. */
    public final List<Setex> setexCalls = new CopyOnWriteArrayList<>();
    public final AtomicInteger pings = new AtomicInteger();
    public final AtomicInteger gets = new AtomicInteger();
    public final AtomicInteger closes = new AtomicInteger();
    public volatile boolean failPing;
    public volatile boolean failGet;
    public volatile boolean failSetex;

    /** Whether {@link #close()} was called. */
    public boolean closed() {
        return closes.get() > 0;
    }

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
