package dev.llmix.spring.autoconfigure;

import dev.llmix.pipeline.DispatchFunction;
import dev.llmix.provider.http.AdapterOptions;
import dev.llmix.provider.http.AnthropicAdapter;
import dev.llmix.provider.http.GeminiAdapter;
import dev.llmix.provider.http.OpenAiCompatibleAdapter;
import dev.llmix.provider.http.SnoGpuAdapter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * Registers the built-in provider adapter switched on by {@code llmix.provider.<name>.enabled=true}, one nested
 * configuration per adapter. Backs off entirely when the application defines its own {@link DispatchFunction}. Runs
 * before {@link LlmixAutoConfiguration}, which turns the single adapter into the pipeline's dispatch function (and
 * explains the start-up failure when none or several are enabled).
 */
@AutoConfiguration
@ConditionalOnMissingBean(DispatchFunction.class)
@EnableConfigurationProperties(LlmixProperties.class)
@Import({LlmixProviderAdapterAutoConfiguration.OpenAi.class, LlmixProviderAdapterAutoConfiguration.Anthropic.class,
        LlmixProviderAdapterAutoConfiguration.Gemini.class, LlmixProviderAdapterAutoConfiguration.SnoGpu.class})
public final class LlmixProviderAdapterAutoConfiguration {

    /** {@link #options(LlmixProperties.Adapter, Environment)} after checking {@code llmix.provider.<name>.base-url}. */
    static AdapterOptions options(String name, LlmixProperties.Adapter adapter, Environment environment) {
        BaseUrls.check("llmix.provider." + name + ".base-url", adapter.getBaseUrl());
        return options(adapter, environment);
    }

    static AdapterOptions options(LlmixProperties.Adapter adapter, Environment environment) {
        return AdapterOptions.builder()
                .baseUrl(adapter.getBaseUrl())
                .connectTimeout(adapter.getConnectTimeout())
                .defaultTimeout(adapter.getRequestTimeout())
                .env(environment::getProperty)
                .build();
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = "llmix.provider.openai", name = "enabled", havingValue = "true")
    static class OpenAi {

        @Bean
        LlmixProviderAdapter llmixOpenAiAdapter(LlmixProperties properties, Environment environment) {
            return new LlmixProviderAdapter("openai",
                    new OpenAiCompatibleAdapter(options("openai", properties.getProvider().getOpenai(), environment)));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = "llmix.provider.anthropic", name = "enabled", havingValue = "true")
    static class Anthropic {

        @Bean
        LlmixProviderAdapter llmixAnthropicAdapter(LlmixProperties properties, Environment environment) {
            return new LlmixProviderAdapter("anthropic",
                    new AnthropicAdapter(options("anthropic", properties.getProvider().getAnthropic(), environment)));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = "llmix.provider.gemini", name = "enabled", havingValue = "true")
    static class Gemini {

        @Bean
        LlmixProviderAdapter llmixGeminiAdapter(LlmixProperties properties, Environment environment) {
            return new LlmixProviderAdapter("gemini",
                    new GeminiAdapter(options("gemini", properties.getProvider().getGemini(), environment)));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = "llmix.provider.sno-gpu", name = "enabled", havingValue = "true")
    static class SnoGpu {

        @Bean
        LlmixProviderAdapter llmixSnoGpuAdapter(LlmixProperties properties, Environment environment) {
            return new LlmixProviderAdapter("sno-gpu",
                    new SnoGpuAdapter(options("sno-gpu", properties.getProvider().getSnoGpu(), environment)));
        }
    }
}
