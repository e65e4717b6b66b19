package dev.llmix.spring.autoconfigure.diagnostics;

import dev.llmix.LlmixException;

/**
 * Thrown at start-up when {@code llmix.cache.strategy=redis} but no Redis L2 store can be built (Spring Data Redis is
 * not on the class path, or there is no {@code RedisConnectionFactory} bean).
 */
public class RedisCacheUnavailableException extends LlmixException {

    private static final long serialVersionUID = 1L;

    private final boolean redisOnClassPath;

    public RedisCacheUnavailableException(boolean redisOnClassPath) {
        super("llmix.cache.strategy=redis requires a Redis L2 store, but "
                + (redisOnClassPath ? "no RedisConnectionFactory bean is available"
                        : "Spring Data Redis is not on the class path"));
        this.redisOnClassPath = redisOnClassPath;
    }

    /** Whether Spring Data Redis was found on the class path (then only the connection factory bean was missing). */
    public boolean redisOnClassPath() {
        return redisOnClassPath;
    }
}
