package dev.llmix.spring.metrics;

import dev.llmix.pipeline.CallPipeline;
import dev.llmix.spring.autoconfigure.LlmixAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * Micrometer instrumentation of LLMix ({@link LlmixMetrics}: the {@code llmix.calls} observation, token counters and
 * state gauges) when the application has a {@link MeterRegistry} or an {@link ObservationRegistry}.
 */
@AutoConfiguration(after = {LlmixAutoConfiguration.class, MetricsAutoConfiguration.class,
    CompositeMeterRegistryAutoConfiguration.class, ObservationAutoConfiguration.class})
@ConditionalOnClass({MeterRegistry.class, ObservationRegistry.class, CallPipeline.class})
@Conditional(LlmixMetricsAutoConfiguration.OnMeterOrObservationRegistry.class)
public final class LlmixMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    LlmixMetrics llmixMetrics(ObjectProvider<ObservationRegistry> observations,
            ObjectProvider<LlmixCallObservationConvention> convention, ObjectProvider<CallPipeline> pipeline) {
        return new LlmixMetrics(observations.getIfUnique(), convention.getIfUnique(), pipeline::getIfAvailable);
    }

    /** Rate-budget wait timer and rejection counter (docs/rate-limits.md), when there is a meter registry. */
    @Bean
    @ConditionalOnBean(MeterRegistry.class)
    @ConditionalOnMissingBean
    LlmixBudgetMetrics llmixBudgetMetrics(MeterRegistry registry) {
        return new LlmixBudgetMetrics(registry);
    }

    /** A meter registry or an observation registry (either gives the calls a timer or a span). */
    static final class OnMeterOrObservationRegistry extends AnyNestedCondition {

        OnMeterOrObservationRegistry() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnBean(MeterRegistry.class)
        static final class HasMeterRegistry {
        }

        @ConditionalOnBean(ObservationRegistry.class)
        static final class HasObservationRegistry {
        }
    }
}
