package dev.llmix.spring.autoconfigure.springai;

import dev.llmix.client.LlmixClient;
import dev.llmix.spring.autoconfigure.LlmixAutoConfiguration;
import dev.llmix.springai.LlmixChatModel;
import dev.llmix.springai.LlmixChatOptions;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.observation.ChatModelObservationConvention;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * Registers {@link LlmixChatModel} as a Spring AI {@code ChatModel} (bean {@code llmixChatModel}, primary unless
 * {@code llmix.spring-ai.primary=false}) over the application's {@link LlmixClient}, so {@code ChatClient.Builder}
 * calls go through LLMix. Active when Spring AI and {@code llmix-spring-ai} are present, {@code llmix.spring-ai.enabled}
 * is not false and {@code spring.ai.model.chat} is unset or {@code llmix}; an application {@code LlmixChatModel} wins.
 */
@AutoConfiguration(after = LlmixAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
        beforeName = "org.springframework.ai.model.chat.client.autoconfigure.ChatClientAutoConfiguration")
@ConditionalOnClass({ChatModel.class, LlmixChatModel.class})
@ConditionalOnBooleanProperty(name = "llmix.spring-ai.enabled", matchIfMissing = true)
@ConditionalOnProperty(name = "spring.ai.model.chat", havingValue = "llmix", matchIfMissing = true)
@ConditionalOnBean(LlmixClient.class)
@EnableConfigurationProperties(LlmixSpringAiProperties.class)
public final class LlmixSpringAiAutoConfiguration {

    static LlmixChatModel create(LlmixClient client, LlmixSpringAiProperties properties,
            ObjectProvider<ObservationRegistry> registry, ObjectProvider<ChatModelObservationConvention> convention) {
        // Only the selection: ChatClient merges these defaults into every request, so sampling values here would
        // override every preset (docs/spring-ai.md, "Precedence").
        LlmixChatOptions defaults = LlmixChatOptions.builder()
                .module(properties.getDefaultModule())
                .preset(properties.getDefaultPreset())
                .build();
        return LlmixChatModel.builder(client)
                .defaultOptions(defaults)
                .observationRegistry(registry.getIfUnique(() -> ObservationRegistry.NOOP))
                .observationConvention(convention.getIfUnique())
                .build();
    }

    /** The primary variant. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = "llmix.spring-ai.primary", matchIfMissing = true)
    static class PrimaryChatModel {
        @Bean
        @Primary
        @ConditionalOnMissingBean(LlmixChatModel.class)
        LlmixChatModel llmixChatModel(LlmixClient client, LlmixSpringAiProperties properties,
                ObjectProvider<ObservationRegistry> registry,
                ObjectProvider<ChatModelObservationConvention> convention) {
            return create(client, properties, registry, convention);
        }
    }

    /** The non-primary variant, for applications that keep another ChatModel primary. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = "llmix.spring-ai.primary", havingValue = false)
    static class SecondaryChatModel {
        @Bean
        @ConditionalOnMissingBean(LlmixChatModel.class)
        LlmixChatModel llmixChatModel(LlmixClient client, LlmixSpringAiProperties properties,
                ObjectProvider<ObservationRegistry> registry,
                ObjectProvider<ChatModelObservationConvention> convention) {
            return create(client, properties, registry, convention);
        }
    }
}
