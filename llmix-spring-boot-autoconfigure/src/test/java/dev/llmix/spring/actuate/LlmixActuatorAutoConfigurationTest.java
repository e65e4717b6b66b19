package dev.llmix.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.pipeline.CallPipeline;
import dev.llmix.spring.killswitch.LlmixKillSwitch;
import dev.llmix.spring.killswitch.LlmixKillSwitchAutoConfiguration;
import dev.llmix.spring.killswitch.LocalKillSwitch;
import dev.llmix.spring.metrics.LlmixMetrics;
import dev.llmix.spring.metrics.LlmixMetricsAutoConfiguration;
import dev.llmix.spring.testing.LeakScanner;
import dev.llmix.spring.testing.ScriptedLlm;
import dev.llmix.spring.testing.TestPipelines;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import dev.llmix.spring.autoconfigure.FailureAnalyses;
import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;

/** Conditions of the kill switch, endpoint, health and metrics auto-configurations. */
@ExtendWith(LeakScanner.class)
class LlmixActuatorAutoConfigurationTest {

    @TempDir
    Path stateDir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LlmixKillSwitchAutoConfiguration.class,
                        EndpointAutoConfiguration.class, LlmixEndpointAutoConfiguration.class,
                        LlmixHealthContributorAutoConfiguration.class))
                .withBean(CallPipeline.class, () -> TestPipelines.pipeline(stateDir, new ScriptedLlm(), null, null));
    }

    @Test
    void localScopeEndpointAndHealthByDefault() {
        runner().withPropertyValues("management.endpoints.web.exposure.include=llmix").run(context -> {
            assertThat(context).hasSingleBean(LocalKillSwitch.class);
            assertThat(context).hasSingleBean(LlmixEndpoint.class);
            assertThat(context).hasSingleBean(LlmixWebEndpointExtension.class);
            assertThat(context).hasBean("llmixHealthIndicator");
            assertThat(context.getBean(LlmixKillSwitch.class).state().path())
                    .isEqualTo(stateDir.resolve("killswitch"));
        });
    }

    @Test
    void endpointBacksOffWhenNotExposed() {
        runner().run(context -> {
            assertThat(context).doesNotHaveBean(LlmixEndpoint.class);
            assertThat(context).hasBean("llmixHealthIndicator");
        });
    }

    @Test
    void healthIndicatorCanBeDisabled() {
        runner().withPropertyValues("management.health.llmix.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean("llmixHealthIndicator"));
    }

    @Test
    void nothingWithoutAPipeline() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LlmixKillSwitchAutoConfiguration.class,
                        EndpointAutoConfiguration.class, LlmixEndpointAutoConfiguration.class,
                        LlmixHealthContributorAutoConfiguration.class))
                .withPropertyValues("management.endpoints.web.exposure.include=llmix")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(LlmixKillSwitch.class);
                    assertThat(context).doesNotHaveBean(LlmixEndpoint.class);
                    assertThat(context).doesNotHaveBean("llmixHealthIndicator");
                });
    }

    @Test
    void fleetScopeWithoutRedisFailsAtStartUp() {
        runner().withPropertyValues("llmix.kill-switch.scope=fleet").run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("llmix.kill-switch.scope")
                    .contains("no RedisConnectionFactory bean");
            assertThat(analysis.getAction()).contains("spring.data.redis.url").contains("llmix.kill-switch.scope=local");
        });
    }

    @Test
    void fleetScopeWithoutSpringDataRedisFailsAtStartUp() {
        runner().withClassLoader(new FilteredClassLoader(StringRedisTemplate.class))
                .withPropertyValues("llmix.kill-switch.scope=FLEET")
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("Spring Data Redis is not on the class path");
                    assertThat(analysis.getAction()).contains("spring-boot-starter-data-redis");
                });
    }

    @Test
    void fleetPollIntervalIsValidated() {
        runner().withBean(org.springframework.data.redis.connection.RedisConnectionFactory.class,
                () -> dev.llmix.spring.redis.LlmixRedisConnections.connectionFactory("redis://127.0.0.1:1"))
                .withPropertyValues("llmix.kill-switch.scope=fleet", "llmix.kill-switch.fleet.poll-interval=2s")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .hasMessageContaining("poll-interval must be > 0 and <= 500ms");
                });
    }

    @Test
    void metricsNeedAMeterOrObservationRegistry() {
        ApplicationContextRunner metrics = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LlmixMetricsAutoConfiguration.class));
        metrics.run(context -> assertThat(context).doesNotHaveBean(LlmixMetrics.class));
        metrics.withBean(SimpleMeterRegistry.class).run(context -> assertThat(context).hasSingleBean(LlmixMetrics.class));
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                        SimpleMetricsExportAutoConfiguration.class, ObservationAutoConfiguration.class,
                        LlmixMetricsAutoConfiguration.class))
                .run(context -> assertThat(context).hasSingleBean(LlmixMetrics.class));
    }
}
