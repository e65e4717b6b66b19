package dev.llmix.spring.autoconfigure;

import dev.llmix.config.CachingStrategy;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when {@code llmix.cache.strategy} (default {@code memory}) is one that builds a response cache. */
final class OnResponseCacheStrategyCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        CachingStrategy strategy = Binder.get(context.getEnvironment())
                .bind("llmix.cache.strategy", CachingStrategy.class)
                .orElse(CachingStrategy.MEMORY);
        return strategy.usesResponseCache()
                ? ConditionOutcome.match("llmix.cache.strategy=" + strategy + " uses the response cache")
                : ConditionOutcome.noMatch("llmix.cache.strategy=" + strategy + " builds no response cache");
    }
}
