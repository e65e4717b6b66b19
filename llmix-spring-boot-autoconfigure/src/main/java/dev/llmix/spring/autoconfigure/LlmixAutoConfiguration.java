package dev.llmix.spring.autoconfigure;

import dev.llmix.pipeline.DispatchFunction;
import dev.llmix.resilience.KillSwitch;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of the LLMix call pipeline and {@code LlmixClient}: kill switch, dispatch function (the one
 * enabled provider adapter unless the application defines a {@link DispatchFunction}), response cache, preset source,
 * pipeline and client, each backing off when the application defines its own bean.
 */
@AutoConfiguration
@EnableConfigurationProperties(LlmixProperties.class)
public final class LlmixAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    KillSwitch llmixKillSwitch(LlmixProperties properties, Environment environment) {
        return KillSwitch.inStateDir(properties.getKillSwitch().getStateDir(), environment::getProperty);
    }

    @Bean
    @ConditionalOnMissingBean
    DispatchFunction llmixDispatchFunction(ObjectProvider<LlmixProviderAdapter> adapters) {
        return DispatchSelection.select(adapters.orderedStream().toList());
    }
}
