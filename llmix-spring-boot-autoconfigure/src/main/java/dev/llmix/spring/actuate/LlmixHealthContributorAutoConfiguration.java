package dev.llmix.spring.actuate;

import dev.llmix.pipeline.CallPipeline;
import dev.llmix.spring.autoconfigure.LlmixAutoConfiguration;
import dev.llmix.spring.autoconfigure.LlmixStartupCheck;
import dev.llmix.spring.killswitch.LlmixKillSwitch;
import dev.llmix.spring.killswitch.LlmixKillSwitchAutoConfiguration;
import dev.llmix.spring.killswitch.LocalKillSwitch;
import java.util.List;
import dev.llmix.spring.fleet.LlmixFleetView;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/** The {@code llmix} health contributor ({@code management.health.llmix.enabled=false} turns it off). */
@AutoConfiguration(after = {LlmixAutoConfiguration.class, LlmixKillSwitchAutoConfiguration.class})
@ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class, CallPipeline.class})
@ConditionalOnBean(CallPipeline.class)
@ConditionalOnEnabledHealthIndicator("llmix")
@EnableConfigurationProperties(LlmixHealthProperties.class)
public final class LlmixHealthContributorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "llmixHealthIndicator")
    LlmixHealthIndicator llmixHealthIndicator(CallPipeline pipeline, ObjectProvider<LlmixKillSwitch> killSwitch,
            LlmixHealthProperties properties, ObjectProvider<LlmixStartupCheck> startupCheck,
            ObjectProvider<LlmixFleetView> fleet) {
        LlmixHealthIndicator indicator = new LlmixHealthIndicator(pipeline,
                killSwitch.getIfAvailable(() -> new LocalKillSwitch(pipeline::killSwitch)), properties, () -> {
                    LlmixStartupCheck check = startupCheck.getIfAvailable();
                    return check == null ? List.of() : check.requiredProviders();
                });
        indicator.fleet(fleet.getIfAvailable());
        return indicator;
    }
}
