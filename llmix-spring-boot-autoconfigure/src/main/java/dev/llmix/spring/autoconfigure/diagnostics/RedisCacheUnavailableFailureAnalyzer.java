package dev.llmix.spring.autoconfigure.diagnostics;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains {@link RedisCacheUnavailableException}: add Redis, or relax the cache strategy. */
class RedisCacheUnavailableFailureAnalyzer extends AbstractFailureAnalyzer<RedisCacheUnavailableException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, RedisCacheUnavailableException cause) {
        String description = "The LLMix response cache is configured with 'llmix.cache.strategy=redis', which "
                + "requires Redis, but "
                + (cause.redisOnClassPath() ? "no RedisConnectionFactory bean is available."
                        : "Spring Data Redis is not on the class path.");
        String action = (cause.redisOnClassPath()
                ? "Configure Redis (for example 'spring.data.redis.url=redis://localhost:6379')"
                : "Add 'org.springframework.boot:spring-boot-starter-data-redis' and configure Redis (for example "
                        + "'spring.data.redis.url=redis://localhost:6379')")
                + ", or set 'llmix.cache.strategy=redis-or-memory' to fall back to the in-process cache, or "
                + "'llmix.cache.strategy=memory'.";
        return new FailureAnalysis(description, action, cause);
    }
}
