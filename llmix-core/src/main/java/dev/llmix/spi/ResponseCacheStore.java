package dev.llmix.spi;


import org.jspecify.annotations.Nullable;

/**
 * The L2 transport of {@code TwoTierCache}: a thin key/value view of a shared store such as Redis. Implementations only
 * move bytes; the cache owns the payload format, health tracking, reconnect back-off and logging. Every method may
 * throw to report a transport failure; the cache turns failures into misses and skipped writes.
 */
public interface ResponseCacheStore extends AutoCloseable {

    /** The value stored under {@code key}, or {@code null} when there is none. */
    @Nullable String get(String key) throws Exception;

    /** Stores {@code value} under {@code key} with a time to live of {@code ttlSeconds} (Redis {@code SETEX}). */
    void setex(String key, long ttlSeconds, String value) throws Exception;

    /**
     * Checks the connection (Redis {@code PING}). The cache calls it to establish the connection lazily, and
     * periodically afterwards to detect recovery.
     */
    void ping() throws Exception;

    /** Releases the connection (Redis {@code QUIT}); must not throw. */
    @Override
    void close();
}
