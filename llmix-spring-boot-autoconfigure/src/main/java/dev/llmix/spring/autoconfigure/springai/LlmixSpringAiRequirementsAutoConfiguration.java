package dev.llmix.spring.autoconfigure.springai;

import dev.llmix.spring.autoconfigure.LlmixAutoConfiguration;
import dev.llmix.spring.autoconfigure.diagnostics.InvalidLlmixConfigurationException;
import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ClassUtils;

/**
 * Fails start-up with a failure analysis when {@code llmix.provider.<name>.spring-ai-model} is set but Spring AI or
 * {@code llmix-spring-ai} is not on the classpath, instead of silently leaving the provider without a dispatch
 * (docs/spring-ai.md). Refers to no Spring AI class, so it runs exactly when they are missing.
 */
@AutoConfiguration(before = LlmixAutoConfiguration.class)
@Conditional(LlmixSpringAiRequirementsAutoConfiguration.OnSpringAiModelsWithoutSpringAi.class)
public final class LlmixSpringAiRequirementsAutoConfiguration {

    static final String CHAT_MODEL = "org.springframework.ai.chat.model.ChatModel";
    static final String SPRING_AI_DISPATCH = "dev.llmix.springai.dispatch.SpringAiDispatch";

    LlmixSpringAiRequirementsAutoConfiguration(Environment environment) {
        Map<String, String> models = SpringAiProviderModels.read(environment);
        String provider = models.keySet().iterator().next();
        throw new InvalidLlmixConfigurationException("llmix.provider." + provider + SpringAiProviderModels.SUFFIX,
                "a Spring AI model is named for LLMix provider(s) " + models.keySet()
                        + ", but Spring AI (spring-ai-model) or the LLMix bridge (llmix-spring-ai) is not on the "
                        + "classpath",
                "Add the dev.llmix:llmix-spring-ai dependency and a Spring AI model starter, or remove the "
                        + "spring-ai-model properties.",
                null);
    }

    /** A {@code spring-ai-model} property is set while Spring AI's {@code ChatModel} or the bridge is missing. */
    static final class OnSpringAiModelsWithoutSpringAi extends SpringBootCondition {
        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            if (SpringAiProviderModels.read(context.getEnvironment()).isEmpty()) {
                return ConditionOutcome.noMatch("no llmix.provider.<name>.spring-ai-model");
            }
            ClassLoader loader = context.getClassLoader();
            if (ClassUtils.isPresent(CHAT_MODEL, loader) && ClassUtils.isPresent(SPRING_AI_DISPATCH, loader)) {
                return ConditionOutcome.noMatch("Spring AI and llmix-spring-ai are present");
            }
            return ConditionOutcome.match("spring-ai-model set without Spring AI or llmix-spring-ai");
        }
    }
}
