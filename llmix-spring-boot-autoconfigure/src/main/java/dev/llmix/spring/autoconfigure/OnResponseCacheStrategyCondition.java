package dev.llmix.spring.autoconfigure;

import dev.llmix.config.CachingStrategy;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when {@code llmix.cache.strategy} (default {@code memory}) is one that builds a response cache. */
class OnResponseCacheStrategyCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        CachingStrategy strategy = strategy(context.getEnvironment());
        return matches(strategy)
                ? ConditionOutcome.match("llmix.cache.strategy=" + strategy + " matches")
                : ConditionOutcome.noMatch("llmix.cache.strategy=" + strategy + " does not match");
    }

    boolean matches(CachingStrategy strategy) {
        return strategy.usesResponseCache();
    }

    static CachingStrategy strategy(Environment environment) {
        return Binder.get(environment).bind("llmix.cache.strategy", CachingStrategy.class)
                .orElse(CachingStrategy.MEMORY);
    }

    /** Matches {@code redis} and {@code redis-or-memory}: the strategies that want a Redis L2. */
    static final class Redis extends OnResponseCacheStrategyCondition {

        @Override
        boolean matches(CachingStrategy strategy) {
            return strategy == CachingStrategy.REDIS || strategy == CachingStrategy.REDIS_OR_MEMORY;
        }
    }
}
