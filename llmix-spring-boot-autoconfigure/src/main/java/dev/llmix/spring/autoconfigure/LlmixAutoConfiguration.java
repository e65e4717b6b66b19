package dev.llmix.spring.autoconfigure;

import dev.llmix.limiter.LimiterConfig;
import dev.llmix.pipeline.ProviderPolicy;
import dev.llmix.providers.ProviderAdapters;
import dev.llmix.providers.ProviderSpecs;
import dev.llmix.resilience.CircuitBreakerConfig;
import dev.llmix.spring.autoconfigure.diagnostics.ProviderAdapterSelectionException;
import dev.llmix.client.FallbackChains;
import dev.llmix.keys.KeyPoolRegistry;
import dev.llmix.limiter.LimiterRegistry;
import dev.llmix.resilience.CircuitBreakerRegistry;
import dev.llmix.pipeline.CompositeCallListener;
import dev.llmix.spi.CallListener;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import org.springframework.beans.factory.BeanFactory;
import java.util.List;
import java.util.Map;
import dev.llmix.spi.ResponseCacheStore;
import dev.llmix.cache.TwoTierCache;
import dev.llmix.client.LlmixClient;
import dev.llmix.client.PresetResolver;
import dev.llmix.config.CachingStrategy;
import dev.llmix.config.mda.MdaPresetLoader;
import dev.llmix.config.registry.ConfigRegistryManager;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.spi.DispatchFunction;
import dev.llmix.pipeline.PipelineConfig;
import dev.llmix.provider.PriceBook;
import dev.llmix.spi.StreamingDispatchFunction;
import dev.llmix.resilience.KillSwitch;
import dev.llmix.spring.autoconfigure.diagnostics.InvalidLlmixConfigurationException;
import dev.llmix.spring.autoconfigure.diagnostics.RedisCacheUnavailableException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.ClassUtils;

/**
 * Auto-configuration of the LLMix call pipeline and {@link LlmixClient}: kill switch, key pools, dispatch function
 * (routing to the enabled provider adapters unless the application defines a {@link DispatchFunction}), response
 * cache, pipeline options (with every {@link CallListener} bean), fallback chains, pipeline, client, the pipeline's
 * registries and graceful shutdown, each backing off when the application defines its own bean.
 */
// By name: the Redis configuration references Spring Data Redis, which is optional.
@AutoConfiguration(after = LlmixProviderAdapterAutoConfiguration.class,
        afterName = "dev.llmix.spring.autoconfigure.LlmixRedisCacheAutoConfiguration")
@EnableConfigurationProperties(LlmixProperties.class)
@Import(LlmixPresetSourceConfiguration.class)
public final class LlmixAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(LlmixAutoConfiguration.class);

    private static final String REDIS_CONNECTION_FACTORY =
            "org.springframework.data.redis.connection.RedisConnectionFactory";

    @Bean
    @ConditionalOnMissingBean
    KillSwitch llmixKillSwitch(LlmixProperties properties, Environment environment) {
        return KillSwitch.inStateDir(properties.getKillSwitch().getStateDir(), environment::getProperty);
    }

    @Bean
    @ConditionalOnMissingBean
    LlmixKeyPools llmixKeyPools(LlmixProperties properties, Environment environment) {
        return LlmixKeyPools.of(properties.getKeys(), properties.getProvider(), environment::getProperty);
    }

    @Bean
    @ConditionalOnMissingBean
    DispatchFunction llmixDispatchFunction(ObjectProvider<LlmixProviderAdapters> builtIn,
            ObjectProvider<LlmixProviderAdapter> custom) {
        Map<String, DispatchFunction> own = new LinkedHashMap<>();
        custom.orderedStream().forEach(a -> own.put(a.name(), a.dispatch()));
        LlmixProviderAdapters adapters = builtIn.getIfAvailable();
        if ((adapters == null || adapters.enabled().isEmpty()) && own.isEmpty()) {
            throw new ProviderAdapterSelectionException(List.of(), ProviderSpecs.builtIn().namesAndAliases());
        }
        return adapters == null ? ProviderAdapters.routing(Map.of(), own) : adapters.routing(own);
    }

    @Bean
    @ConditionalOnMissingBean
    @Conditional(OnResponseCacheStrategyCondition.class)
    TwoTierCache llmixResponseCache(LlmixProperties properties, ObjectProvider<ResponseCacheStore> l2,
            ResourceLoader resourceLoader) {
        LlmixProperties.Cache cache = properties.getCache();
        CachingStrategy strategy = cache.getStrategy();
        @Nullable ResponseCacheStore store = strategy == CachingStrategy.MEMORY ? null : l2.getIfUnique();
        if (store == null && strategy == CachingStrategy.REDIS) {
            throw new RedisCacheUnavailableException(
                    ClassUtils.isPresent(REDIS_CONNECTION_FACTORY, resourceLoader.getClassLoader()));
        }
        if (store == null && strategy == CachingStrategy.REDIS_OR_MEMORY) {
            log.warn("LLMix response cache strategy \"redis-or-memory\": no Redis connection available, "
                    + "degrading to L1 only.");
            strategy = CachingStrategy.MEMORY;
        }
        return TwoTierCache.builder()
                .strategy(strategy)
                .l2(store)
                .maxItems(cache.getMaxItems())
                .ttl(cache.getTtl())
                .build();
    }

    /** The built-in prices under {@code llmix.pricing.<provider>.<model>.*} (docs/cost.md). */
    static PriceBook priceBook(LlmixProperties properties) {
        PriceBook book = PriceBook.builtIn();
        for (Map.Entry<String, Map<String, LlmixProperties.Price>> byProvider : properties.getPricing().entrySet()) {
            for (Map.Entry<String, LlmixProperties.Price> e : byProvider.getValue().entrySet()) {
                String name = "llmix.pricing." + byProvider.getKey() + "." + e.getKey();
                LlmixProperties.Price price = e.getValue();
                if (price.getInput() == null || price.getOutput() == null) {
                    throw new InvalidLlmixConfigurationException(name, "a price needs both input and output",
                            "Set " + name + ".input and " + name + ".output (USD per million tokens).", null);
                }
                try {
                    book = book.with(byProvider.getKey(), e.getKey(), PriceBook.ModelPrice.configured(
                            price.getInput(), price.getOutput(), price.getCachedInput()));
                } catch (IllegalArgumentException ex) {
                    throw new InvalidLlmixConfigurationException(name, ex.getMessage(),
                            "Prices are USD per million tokens: finite numbers >= 0.", ex);
                }
            }
        }
        return book;
    }

    @Bean
    @ConditionalOnMissingBean
    PipelineConfig llmixPipelineConfig(LlmixProperties properties, KillSwitch killSwitch, Environment environment,
            ObjectProvider<TwoTierCache> responseCache, ObjectProvider<PipelineConfigCustomizer> customizers,
            ObjectProvider<StreamingDispatchFunction> streamingDispatch, ObjectProvider<CallListener> listeners) {
        LlmixProperties.Pipeline p = properties.getPipeline();
        if (p.getLimiter().getMin() > p.getLimiter().getInitial()) {
            throw new InvalidLlmixConfigurationException("llmix.pipeline.limiter.min",
                    "the floor (" + p.getLimiter().getMin() + ") is above llmix.pipeline.limiter.initial ("
                            + p.getLimiter().getInitial() + "), which is also the ceiling",
                    "Set llmix.pipeline.limiter.min to at most llmix.pipeline.limiter.initial (defaults: 4 and 32).",
                    null);
        }
        Path stateDir = killSwitch.path().toAbsolutePath().getParent();
        PipelineConfig.Builder builder = PipelineConfig.builder()
                .killSwitch(killSwitch)
                .providerPolicies(providerPolicies(properties))
                .maxRetries(p.getMaxRetries())
                .retryBaseMs(p.getRetryBaseDelay().toMillis())
                .retryMaxDelayMs(p.getRetryMaxDelay().toMillis())
                .retryJitterMs(p.getRetryJitter().toMillis())
                .retryMaxRetryAfterMs(p.getRetryMaxRetryAfter().toMillis())
                .circuitBreakerThreshold(p.getBreaker().getFailureThreshold())
                .circuitBreakerCooldown(p.getBreaker().getCooldown())
                .permittedHalfOpenCalls(p.getBreaker().getHalfOpenProbes())
                .semaphoreInitial(p.getLimiter().getInitial())
                .semaphoreMin(p.getLimiter().getMin())
                .defaultCallTimeout(p.getDefaultCallTimeout())
                .attemptTimeout(p.getAttemptTimeout())
                .streamBufferChunks(p.getStreamBufferChunks())
                .executorThreads(p.getExecutorThreads() != null ? p.getExecutorThreads() : 0)
                .streamingDispatch(streamingDispatch.getIfUnique())
                // Every CallListener bean (the metrics listener among them), in @Order order; docs/configuration.md.
                .callListener(CompositeCallListener.of(listeners.orderedStream().toList()))
                .stateDir(stateDir)
                .responseCache(responseCache.getIfUnique())
                // The cache is a bean of its own: the container closes it after the pipeline.
                .closeResponseCache(false)
                .cacheKeyPrefix(properties.getCache().getKeyPrefix())
                .env(environment::getProperty)
                .priceBook(priceBook(properties));
        customizers.orderedStream().forEach(c -> c.customize(builder));
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new InvalidLlmixConfigurationException("llmix.pipeline.*", e.getMessage(),
                    "Correct the llmix.pipeline.* setting named above (or the PipelineConfigCustomizer that set it); "
                            + "docs/configuration.md lists every property with its default.", e);
        }
    }

    /** Per-provider overrides of {@code llmix.provider.<name>.breaker/limiter/retry}, keyed by canonical name. */
    private static Map<String, ProviderPolicy> providerPolicies(LlmixProperties properties) {
        LlmixProperties.Pipeline p = properties.getPipeline();
        Map<String, ProviderPolicy> policies = new LinkedHashMap<>();
        properties.getProvider().forEach((name, adapter) -> {
            String provider = LlmixProviderAdapters.canonical(name);
            LlmixProperties.BreakerOverrides b = adapter.getBreaker();
            LlmixProperties.LimiterOverrides l = adapter.getLimiter();
            Integer retries = adapter.getRetry().getMaxRetries();
            if (!b.isSet() && !l.isSet() && retries == null) {
                return;
            }
            CircuitBreakerConfig breaker = !b.isSet() ? null : new CircuitBreakerConfig(
                    b.getFailureThreshold() != null ? b.getFailureThreshold() : p.getBreaker().getFailureThreshold(),
                    b.getCooldown() != null ? b.getCooldown() : p.getBreaker().getCooldown(),
                    b.getHalfOpenProbes() != null ? b.getHalfOpenProbes() : p.getBreaker().getHalfOpenProbes());
            LimiterConfig limiter = null;
            if (l.isSet()) {
                int initial = l.getInitial() != null ? l.getInitial() : p.getLimiter().getInitial();
                int min = l.getMin() != null ? l.getMin() : Math.min(p.getLimiter().getMin(), initial);
                if (min > initial) {
                    throw new InvalidLlmixConfigurationException("llmix.provider." + name + ".limiter.min",
                            "the floor (" + min + ") is above the ceiling (" + initial + ")",
                            "Set llmix.provider." + name + ".limiter.min to at most its limiter.initial.", null);
                }
                limiter = new LimiterConfig(initial, min);
            }
            policies.put(provider, new ProviderPolicy(breaker, limiter, retries));
        });
        return policies;
    }

    @Bean
    @ConditionalOnMissingBean
    CallPipeline llmixCallPipeline(PipelineConfig config, DispatchFunction dispatch, LlmixKeyPools keyPools) {
        CallPipeline pipeline = new CallPipeline(config, dispatch);
        keyPools.pools().forEach(pipeline::setKeyPool);
        return pipeline;
    }

    /** The pipeline's breakers, to look up, reset or observe ({@code onStateTransition}); closed with the pipeline. */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    CircuitBreakerRegistry llmixCircuitBreakerRegistry(CallPipeline pipeline) {
        return pipeline.circuitBreakers();
    }

    /** The pipeline's AIMD limiters; closed by the pipeline, not by the container. */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    LimiterRegistry llmixLimiterRegistry(CallPipeline pipeline) {
        return pipeline.limiters();
    }

    /** The pipeline's key pools (masked in every view). */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    KeyPoolRegistry llmixKeyPoolRegistry(CallPipeline pipeline) {
        return pipeline.keyPools();
    }

    @Bean
    @ConditionalOnMissingBean
    FallbackChains llmixFallbackChains(LlmixProperties properties, ObjectProvider<LlmixProviderAdapters> builtIn,
            ObjectProvider<LlmixProviderAdapter> custom, BeanFactory beanFactory) {
        Set<String> served = null;
        // Only the auto-configured routing is known here; an application's own DispatchFunction may serve anything.
        if (beanFactory.containsBean("llmixDispatchFunction")) {
            served = new LinkedHashSet<>();
            LlmixProviderAdapters adapters = builtIn.getIfAvailable();
            if (adapters != null) {
                served.addAll(adapters.enabled().keySet());
            }
            for (LlmixProviderAdapter a : custom.orderedStream().toList()) {
                served.add(LlmixProviderAdapters.canonical(a.name()));
            }
        }
        return LlmixFallbacks.from(properties.getFallbacks(), served);
    }

    @Bean
    @ConditionalOnMissingBean
    LlmixClient llmixClient(CallPipeline pipeline, PresetResolver presets, ObjectProvider<FallbackChains> fallbacks) {
        return new LlmixClient(pipeline, presets, fallbacks.getIfAvailable(FallbackChains::none));
    }

    @Bean
    @ConditionalOnMissingBean
    LlmixStartupCheck llmixStartupCheck(LlmixProperties properties, Environment environment,
            ObjectProvider<LlmixProviderAdapters> builtIn, ObjectProvider<LlmixProviderAdapter> custom,
            LlmixKeyPools keyPools, KillSwitch killSwitch,
            ObjectProvider<ConfigRegistryManager> registry, ObjectProvider<MdaPresetLoader> sourceDirectory,
            ObjectProvider<ResourcePresetSource> sourceResources, ObjectProvider<CallPipeline> pipeline) {
        Map<String, String> served = new LinkedHashMap<>();
        LlmixProviderAdapters adapters = builtIn.getIfAvailable();
        if (adapters != null) {
            served.putAll(adapters.baseUrls());
        }
        custom.orderedStream().forEach(a -> served.put(a.name(), "the application's dispatch"));
        return new LlmixStartupCheck(properties, environment, served, keyPools, killSwitch,
                registry, sourceDirectory, sourceResources, pipeline);
    }

    @Bean
    @ConditionalOnMissingBean
    LlmixGracefulShutdown llmixGracefulShutdown(LlmixClient client, CallPipeline pipeline,
            LlmixProperties properties) {
        return new LlmixGracefulShutdown(client, pipeline, properties.getPipeline().getShutdownTimeout());
    }
}
