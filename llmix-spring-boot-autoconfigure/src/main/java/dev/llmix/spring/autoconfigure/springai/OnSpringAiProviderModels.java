package dev.llmix.spring.autoconfigure.springai;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when at least one {@code llmix.provider.<name>.spring-ai-model} is set. */
final class OnSpringAiProviderModels extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        var models = SpringAiProviderModels.read(context.getEnvironment());
        return models.isEmpty() ? ConditionOutcome.noMatch("no llmix.provider.<name>.spring-ai-model")
                : ConditionOutcome.match("Spring AI models serve LLMix providers " + models.keySet());
    }
}
