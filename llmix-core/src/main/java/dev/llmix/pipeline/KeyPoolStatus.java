package dev.llmix.pipeline;

/**
 * A read-only view of one provider's key pool, without any key material.
 *
 * @param provider the provider the pool is registered for
 * @param alive    keys not marked dead
 * @param total    distinct keys in the pool
 */
public record KeyPoolStatus(String provider, int alive, int total) {
}
