package dev.llmix.spring.actuate;

import dev.llmix.config.mda.MdaPresetLoader;
import dev.llmix.config.registry.ConfigRegistryManager;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.spring.metrics.LlmixMetrics;
import dev.llmix.spring.autoconfigure.LlmixAutoConfiguration;
import dev.llmix.spring.autoconfigure.LlmixProperties;
import dev.llmix.spring.autoconfigure.ResourcePresetSource;
import dev.llmix.spring.killswitch.LlmixKillSwitch;
import dev.llmix.spring.killswitch.LlmixKillSwitchAutoConfiguration;
import dev.llmix.spring.killswitch.LocalKillSwitch;
import dev.llmix.spring.fleet.LlmixFleetView;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import dev.llmix.client.FallbackChains;
import dev.llmix.spring.autoconfigure.LlmixProviderAdapter;
import dev.llmix.spring.autoconfigure.LlmixProviderAdapters;
import org.springframework.core.env.Environment;

/**
 * The {@code llmix} Actuator endpoint (read-only by default: {@code management.endpoint.llmix.access=unrestricted}
 * enables its writes), when Actuator is present and the endpoint is available (enabled and exposed).
 */
@AutoConfiguration(after = {LlmixAutoConfiguration.class, LlmixKillSwitchAutoConfiguration.class})
@ConditionalOnClass({Endpoint.class, CallPipeline.class})
@ConditionalOnBean(CallPipeline.class)
@ConditionalOnAvailableEndpoint(LlmixEndpoint.class)
public final class LlmixEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    LlmixEndpoint llmixEndpoint(CallPipeline pipeline, ObjectProvider<LlmixKillSwitch> killSwitch,
            ObjectProvider<PresetsStatusProvider> presets, ObjectProvider<ConfigRegistryManager> registry,
            ObjectProvider<ResourcePresetSource> packaged, ObjectProvider<MdaPresetLoader> directory,
            ObjectProvider<LlmixProperties> properties, Environment environment, ApplicationEventPublisher events,
            ObjectProvider<LlmixProviderAdapters> adapters, ObjectProvider<LlmixProviderAdapter> custom,
            ObjectProvider<FallbackChains> fallbacks, ObjectProvider<LlmixFleetView> fleet,
            ObjectProvider<LlmixMetrics> metrics) {
        LlmixKillSwitch ks = killSwitch.getIfAvailable(() -> new LocalKillSwitch(pipeline::killSwitch));
        PresetsStatusProvider p = presets.getIfAvailable(() -> new ConfiguredPresets(registry, packaged, directory,
                properties.getIfAvailable(), environment));
        LlmixEndpoint endpoint = new LlmixEndpoint(pipeline, ks, p, events,
                ConfiguredProviders.of(properties.getIfAvailable(), adapters.getIfAvailable(),
                        custom.orderedStream().map(LlmixProviderAdapter::name).toList()),
                ConfiguredProviders.fallbacks(fallbacks.getIfAvailable(FallbackChains::none)), () -> {
                    LlmixMetrics m = metrics.getIfUnique();
                    return m == null ? null : m.callStats();
                });
        endpoint.fleet(fleet.getIfAvailable());
        return endpoint;
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(LlmixEndpoint.class)
    LlmixWebEndpointExtension llmixWebEndpointExtension(LlmixEndpoint endpoint) {
        return new LlmixWebEndpointExtension(endpoint);
    }
}
