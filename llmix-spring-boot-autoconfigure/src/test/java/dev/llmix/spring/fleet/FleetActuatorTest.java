package dev.llmix.spring.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.client.PresetResolver;
import dev.llmix.config.LlmConfig;
import dev.llmix.fleet.FleetRuntime;
import dev.llmix.keys.KeyPool;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.resilience.CircuitBreaker;
import dev.llmix.spi.DispatchFunction;
import dev.llmix.spring.actuate.LlmixEndpoint;
import dev.llmix.spring.actuate.LlmixEndpointAutoConfiguration;
import dev.llmix.spring.actuate.LlmixHealthContributorAutoConfiguration;
import dev.llmix.spring.actuate.LlmixHealthIndicator;
import dev.llmix.spring.actuate.LlmixReport;
import dev.llmix.spring.autoconfigure.LlmixAutoConfiguration;
import dev.llmix.spring.autoconfigure.LlmixProviderAdapterAutoConfiguration;
import dev.llmix.testsupport.FleetClients;
import dev.llmix.testsupport.RealRedis;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import tools.jackson.databind.json.JsonMapper;

/** The Actuator {@code fleet} sections, the health detail and the fleet meters (docs/fleet.md). */
class FleetActuatorTest {

    @RegisterExtension
    static final RealRedis REDIS = RealRedis.create();

    @TempDir
    Path stateDir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
                        LlmixProviderAdapterAutoConfiguration.class, LlmixAutoConfiguration.class,
                        LlmixFleetAutoConfiguration.class, EndpointAutoConfiguration.class,
                        LlmixEndpointAutoConfiguration.class,
                        LlmixHealthContributorAutoConfiguration.class))
                .withBean(DispatchFunction.class, () -> ctx -> new CompletableFuture<>())
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withBean(PresetResolver.class, () -> (m, p) -> LlmConfig.builder("openai", "gpt-test").build())
                .withPropertyValues("llmix.kill-switch.state-dir=" + stateDir, "spring.data.redis.url=" + REDIS.url(),
                        "llmix.fleet.breakers.shared=true", "llmix.fleet.keys.shared=true",
                        "llmix.fleet.instance-id=web-1", "llmix.fleet.redis.backoff=200ms",
                        "llmix.fleet.redis.backoff-max=1s", "llmix.fleet.heartbeat-interval=200ms",
                        "llmix.fleet.member-ttl=1s", "management.endpoints.web.exposure.include=llmix");
    }

    @Test
    void actuatorShowsTheFleetTheBreakerGenerationAndSharedDeadKeysWithoutKeyText() {
        REDIS.flushAll();
        runner().run(context -> {
            FleetRuntime rt = context.getBean(FleetRuntime.class);
            FleetClients.eventually(Duration.ofSeconds(10), () -> rt.healthy() && rt.members() == 1, "not healthy");
            CallPipeline pipeline = context.getBean(CallPipeline.class);
            String secret = "sk-live-abcdefghijklmnopqrstuvwx";
            pipeline.keyPools().put("openai", new KeyPool(List.of(secret, "sk-live-zyxwvutsrqponmlkjihgfedc")));
            pipeline.keyPools().find("openai").markDead(secret);
            // As after a 429 with Retry-After: 60 on the other key.
            pipeline.keyPools().find("openai").coolDown("sk-live-zyxwvutsrqponmlkjihgfedc",
                    System.nanoTime() + Duration.ofSeconds(60).toNanos());
            CircuitBreaker b = pipeline.circuitBreakers().breaker("openai", "");
            for (int i = 0; i < b.config().failureThreshold(); i++) {
                b.check();
                b.onFailure(503, false);
            }
            LlmixEndpoint endpoint = context.getBean(LlmixEndpoint.class);
            FleetClients.eventually(Duration.ofSeconds(2), () -> endpoint.report().breakers().get(0).fleet() != null
                    && endpoint.report().keyPools().get(0).fleet().sharedDead() == 1
                    && endpoint.report().keyPools().get(0).fleet().sharedCooling() == 1, "fleet sections never filled");
            LlmixReport report = endpoint.report();
            assertThat(report.fleet().instanceId()).isEqualTo("web-1");
            assertThat(report.fleet().features()).isEqualTo(Map.of("budgets", false, "breakers", true, "keys", true));
            assertThat(report.fleet().redis().healthy()).isTrue();
            assertThat(report.fleet().redis().members()).isEqualTo(1);
            assertThat(report.breakers().get(0).fleet().source()).isEqualTo("web-1");
            assertThat(report.breakers().get(0).fleet().cause()).isEqualTo("threshold");
            assertThat(report.breakers().get(0).fleet().generation()).isPositive();
            assertThat(report.keyPools().get(0).cooling()).isEqualTo(1);
            String json = JsonMapper.builder().build().writeValueAsString(report);
            assertThat(json).doesNotContain(secret.substring(0, 12)).doesNotContain(secret.substring(8, 20));
            Health health = context.getBean(LlmixHealthIndicator.class).health(true);
            assertThat(health.getDetails().get("fleet")).isEqualTo(Map.of("redis", "UP", "members", 1));
        });
    }

    @Test
    void redisHealthyGaugeGoesOneZeroOneAcrossAnOutageAndHealthShowsDegraded() {
        runner().withPropertyValues("llmix.health.fleet-degraded-status=OUT_OF_SERVICE").run(context -> {
            FleetRuntime rt = context.getBean(FleetRuntime.class);
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            FleetClients.eventually(Duration.ofSeconds(10), rt::healthy, "not healthy");
            assertThat(meters.get("llmix.fleet.redis.healthy").gauge().value()).isEqualTo(1.0);
            REDIS.kill();
            FleetClients.eventually(Duration.ofSeconds(5), () -> !rt.healthy(), "outage not noticed");
            assertThat(meters.get("llmix.fleet.redis.healthy").gauge().value()).isEqualTo(0.0);
            Health health = context.getBean(LlmixHealthIndicator.class).health(true);
            assertThat(health.getStatus().getCode()).isEqualTo("OUT_OF_SERVICE");
            assertThat(((Map<?, ?>) health.getDetails().get("fleet")).get("redis")).isEqualTo("DEGRADED");
            REDIS.restart();
            FleetClients.eventually(Duration.ofSeconds(10), rt::healthy, "never recovered");
            assertThat(meters.get("llmix.fleet.redis.healthy").gauge().value()).isEqualTo(1.0);
        });
    }
}
