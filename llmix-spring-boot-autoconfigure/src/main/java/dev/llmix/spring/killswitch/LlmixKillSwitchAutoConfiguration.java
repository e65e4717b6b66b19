package dev.llmix.spring.killswitch;

import dev.llmix.pipeline.CallPipeline;
import dev.llmix.spi.KillSwitchGate;
import dev.llmix.spring.autoconfigure.LlmixAutoConfiguration;
import dev.llmix.spring.autoconfigure.PipelineConfigCustomizer;
import java.time.Clock;
import dev.llmix.spring.autoconfigure.diagnostics.InvalidLlmixConfigurationException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The operator kill switch: {@code local} (the pipeline's state-directory file) by default, {@code fleet}
 * ({@code llmix.kill-switch.scope=fleet}) adds a Redis key polled by every instance. A {@link KillSwitchGate} bean (the
 * fleet switch, or the application's own) is handed to the auto-configured pipeline.
 */
// Redis by name: Spring Data Redis is optional.
@AutoConfiguration(after = LlmixAutoConfiguration.class,
        afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass(CallPipeline.class)
@EnableConfigurationProperties(LlmixKillSwitchProperties.class)
public final class LlmixKillSwitchAutoConfiguration {

    @Bean
    PipelineConfigCustomizer llmixKillSwitchGateCustomizer(ObjectProvider<KillSwitchGate> gate) {
        return builder -> gate.ifUnique(builder::killSwitchGate);
    }

    @Bean
    @ConditionalOnMissingBean(LlmixKillSwitch.class)
    @ConditionalOnBean(CallPipeline.class)
    LocalKillSwitch llmixLocalKillSwitch(ObjectProvider<CallPipeline> pipeline) {
        return new LocalKillSwitch(() -> pipeline.getObject().killSwitch());
    }

    /** The fleet switch over Spring Data Redis. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = "llmix.kill-switch", name = "scope", havingValue = "fleet")
    @ConditionalOnClass(StringRedisTemplate.class)
    static class FleetConfiguration {

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean(LlmixKillSwitch.class)
        FleetKillSwitch llmixFleetKillSwitch(LlmixKillSwitchProperties properties,
                ObjectProvider<RedisConnectionFactory> redis, ObjectProvider<CallPipeline> pipeline) {
            RedisConnectionFactory factory = redis.getIfAvailable();
            if (factory == null) {
                throw new InvalidLlmixConfigurationException("llmix.kill-switch.scope",
                        "'fleet' shares the kill switch through Redis, but no RedisConnectionFactory bean is available",
                        "Configure Redis (for example 'spring.data.redis.url=redis://localhost:6379') or set "
                                + "'llmix.kill-switch.scope=local'.", null);
            }
            StringRedisTemplate template = new StringRedisTemplate(factory);
            LlmixKillSwitchProperties.Fleet fleet = properties.getFleet();
            FleetKillSwitch fks = new FleetKillSwitch(new RedisFleetKillSwitchStore(template, fleet.getKey()),
                    () -> pipeline.getObject().killSwitch(), fleet.getPollInterval(), fleet.getOnRedisFailure(),
                    Clock.systemUTC());
            fks.start();
            return fks;
        }
    }

    /** {@code scope=fleet} without Spring Data Redis on the class path: fail at start-up, never fall back silently. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = "llmix.kill-switch", name = "scope", havingValue = "fleet")
    @ConditionalOnMissingClass("org.springframework.data.redis.core.StringRedisTemplate")
    static class FleetWithoutRedisConfiguration {

        @Bean
        LlmixKillSwitch llmixFleetKillSwitch() {
            throw new InvalidLlmixConfigurationException("llmix.kill-switch.scope",
                    "'fleet' shares the kill switch through Redis, but Spring Data Redis is not on the class path",
                    "Add 'org.springframework.boot:spring-boot-starter-data-redis' and configure Redis, or set "
                            + "'llmix.kill-switch.scope=local'.", null);
        }
    }
}
