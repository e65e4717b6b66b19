package dev.llmix.spring.autoconfigure;

import dev.llmix.pipeline.DispatchFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * Registers the built-in provider adapter switched on by {@code llmix.provider.<name>.enabled=true}, one nested
 * configuration per adapter. Backs off entirely when the application defines its own {@link DispatchFunction}. Runs
 * before {@link LlmixAutoConfiguration}, which turns the single adapter into the pipeline's dispatch function.
 */
@AutoConfiguration
@ConditionalOnMissingBean(DispatchFunction.class)
@EnableConfigurationProperties(LlmixProperties.class)
public final class LlmixProviderAdapterAutoConfiguration {
}
