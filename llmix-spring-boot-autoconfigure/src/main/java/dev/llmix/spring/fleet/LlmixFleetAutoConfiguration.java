package dev.llmix.spring.fleet;

import dev.llmix.budget.RateBudgetFactory;
import dev.llmix.fleet.FleetBreakers;
import dev.llmix.fleet.FleetBudgetSettings;
import dev.llmix.fleet.FleetBudgets;
import dev.llmix.fleet.FleetKeys;
import dev.llmix.fleet.FleetRuntime;
import dev.llmix.fleet.FleetSettings;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.spring.autoconfigure.LlmixAutoConfiguration;
import dev.llmix.spring.redis.LlmixRedisConnections;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.ClassUtils;

/**
 * Fleet coordination (docs/fleet.md), active when any {@code llmix.fleet.*.shared} is true: the {@link FleetRuntime}
 * on an isolated Lettuce connection to the application's Redis, and the shared features it carries (with
 * {@code llmix.fleet.budgets.shared}, the {@link RateBudgetFactory} the rate budgets are built with). Without Spring
 * Data Redis or a Lettuce connection factory, start-up fails with {@link FleetRedisMissingException}.
 */
@AutoConfiguration(after = LlmixAutoConfiguration.class,
        afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass(CallPipeline.class)
@Conditional(OnFleetFeatureCondition.class)
@EnableConfigurationProperties(LlmixFleetProperties.class)
public final class LlmixFleetAutoConfiguration {

    private static final String BUCKET4J_LETTUCE = "io.github.bucket4j.redis.lettuce.Bucket4jLettuce";

    /** The runtime over Spring Data Redis's Lettuce factory. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory",
            "io.lettuce.core.RedisClient"})
    static class RedisConfiguration {

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        FleetRuntime llmixFleetRuntime(LlmixFleetProperties properties, ObjectProvider<RedisConnectionFactory> redis) {
            FleetSettings settings;
            try {
                settings = properties.toSettings();
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("Invalid llmix.fleet.* settings: " + e.getMessage(), e);
            }
            RedisConnectionFactory factory = redis.getIfUnique();
            if (!(factory instanceof LettuceConnectionFactory app)) {
                throw new FleetRedisMissingException(factory == null ? "no RedisConnectionFactory bean"
                        : "the RedisConnectionFactory is not Lettuce's (" + factory.getClass().getSimpleName() + ")");
            }
            LettuceConnectionFactory fleetFactory;
            if (properties.getRedis().isIsolatedConnection()) {
                fleetFactory = LlmixRedisConnections.isolatedFrom(app, settings.commandTimeout());
                fleetFactory.afterPropertiesSet();
                fleetFactory.start();
            } else {
                // Boot's own factory: started here if the container has not started it yet (start is idempotent).
                fleetFactory = app;
                fleetFactory.start();
            }
            AbstractRedisClient client = fleetFactory.getRequiredNativeClient();
            if (!(client instanceof RedisClient standalone)) {
                throw new IllegalStateException("llmix.fleet.* supports standalone and sentinel Redis; the configured "
                        + "connection is a " + client.getClass().getSimpleName());
            }
            FleetRuntime runtime = FleetRuntime.start(settings, standalone);
            if (fleetFactory != app) {
                runtime.closeWith(fleetFactory::destroy);
            }
            return runtime;
        }

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnBooleanProperty("llmix.fleet.breakers.shared")
        FleetBreakers llmixFleetBreakers(FleetRuntime runtime, CallPipeline pipeline) {
            return FleetBreakers.attach(runtime, pipeline.circuitBreakers());
        }

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnBooleanProperty("llmix.fleet.keys.shared")
        FleetKeys llmixFleetKeys(FleetRuntime runtime, CallPipeline pipeline) {
            return FleetKeys.attach(runtime, pipeline.keyPools());
        }

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnBooleanProperty("llmix.fleet.budgets.shared")
        FleetBudgets llmixFleetBudgets(FleetRuntime runtime, LlmixFleetProperties properties) {
            if (!ClassUtils.isPresent(BUCKET4J_LETTUCE, LlmixFleetAutoConfiguration.class.getClassLoader())) {
                // Never a silent fallback to LOCAL budgets: the operator asked for the fleet numbers.
                throw new IllegalStateException("llmix.fleet.budgets.shared=true needs Bucket4j on the class path "
                        + "(com.bucket4j:bucket4j_jdk17-lettuce, brought by llmix-spring-boot-starter)");
            }
            LlmixFleetProperties.Budgets b = properties.getBudgets();
            return FleetBudgets.attach(runtime, new FleetBudgetSettings(b.getLeaseAhead(), b.getIdleReturn()),
                    b.getDegradedInstances());
        }

        /** The {@code RateBudgets} bean builds its budgets with this factory: FLEET instead of LOCAL. */
        @Bean
        @ConditionalOnMissingBean(RateBudgetFactory.class)
        @ConditionalOnBooleanProperty("llmix.fleet.budgets.shared")
        RateBudgetFactory llmixFleetRateBudgetFactory(FleetBudgets budgets) {
            return budgets.factory();
        }

        @Bean
        @ConditionalOnMissingBean
        LlmixFleetView llmixFleetView(FleetRuntime runtime, ObjectProvider<FleetBreakers> breakers,
                ObjectProvider<FleetKeys> keys) {
            return new DefaultLlmixFleetView(runtime, breakers.getIfAvailable(), keys.getIfAvailable());
        }
    }

    /** The fleet gauges and the events counter (docs/observability.md). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"io.micrometer.core.instrument.MeterRegistry", "io.lettuce.core.RedisClient"})
    static class MetricsConfiguration {

        @Bean
        FleetMeters llmixFleetMeters(ObjectProvider<FleetRuntime> runtime,
                ObjectProvider<io.micrometer.core.instrument.MeterRegistry> registry) {
            return new FleetMeters(runtime, registry);
        }
    }

    /** A fleet feature without Spring Data Redis on the class path: fail at start-up, never share nothing silently. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass("org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory")
    static class WithoutRedisConfiguration {

        @Bean
        FleetRuntime llmixFleetRuntime() {
            throw new FleetRedisMissingException("Spring Data Redis is not on the class path");
        }
    }
}
