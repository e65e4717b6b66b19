package dev.llmix.spring.autoconfigure;

import dev.llmix.spi.DispatchFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Registers the built-in provider adapters switched on by {@code llmix.provider.<name>.enabled=true} (any number,
 * each with its own settings). Backs off entirely when the application defines its own {@link DispatchFunction}.
 * Runs before {@link LlmixAutoConfiguration}, which routes every call to the adapter of its preset's provider.
 */
@AutoConfiguration
@ConditionalOnMissingBean(DispatchFunction.class)
@EnableConfigurationProperties(LlmixProperties.class)
public final class LlmixProviderAdapterAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    LlmixProviderAdapters llmixProviderAdapters(LlmixProperties properties, Environment environment) {
        return LlmixProviderAdapters.from(properties.getProvider(), environment::getProperty);
    }
}
