package dev.llmix.spring.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.client.PresetResolver;
import dev.llmix.config.LlmConfig;
import dev.llmix.fleet.FleetRuntime;
import dev.llmix.fleet.FleetSettings;
import dev.llmix.spi.DispatchFunction;
import dev.llmix.spring.autoconfigure.LlmixAutoConfiguration;
import dev.llmix.spring.autoconfigure.LlmixProviderAdapterAutoConfiguration;
import dev.llmix.testsupport.FleetClients;
import dev.llmix.testsupport.RealRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code llmix.fleet.*} binding, start-up failures and the runtime bean (docs/fleet.md, docs/configuration.md). */
class LlmixFleetAutoConfigurationTest {

    @RegisterExtension
    static final RealRedis REDIS = RealRedis.create();

    @TempDir
    Path stateDir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
                        LlmixProviderAdapterAutoConfiguration.class, LlmixAutoConfiguration.class,
                        LlmixFleetAutoConfiguration.class))
                .withBean(DispatchFunction.class, () -> ctx -> new CompletableFuture<>())
                .withBean(PresetResolver.class, () -> (m, p) -> LlmConfig.builder("openai", "gpt-test").build())
                .withPropertyValues("llmix.kill-switch.state-dir=" + stateDir, "spring.data.redis.url=" + REDIS.url());
    }

    @Test
    void defaultsBindAndNoFeatureMeansNoRuntime() {
        runner().run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(FleetRuntime.class));
        LlmixFleetProperties p = new LlmixFleetProperties();
        FleetSettings s = p.toSettings();
        assertThat(s.prefix()).isEqualTo("llmix:fleet:");
        assertThat(s.pollInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.memberTtl()).isEqualTo(Duration.ofSeconds(15));
        assertThat(s.clockSyncInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.commandTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.callTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.backoff()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.backoffMax()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.closedRetention()).isEqualTo(Duration.ofMinutes(10));
        assertThat(s.probeWindow()).isEqualTo(Duration.ofSeconds(150));
        assertThat(s.deadTtl()).isEqualTo(Duration.ofHours(1));
        assertThat(p.getBudgets().getLeaseAhead()).isEqualTo(Duration.ofMillis(500));
        assertThat(p.getBudgets().getIdleReturn()).isEqualTo(Duration.ofSeconds(2));
        assertThat(p.getBudgets().getDegradedInstances()).isZero();
        assertThat(p.getRedis().isIsolatedConnection()).isTrue();
        assertThat(s.anyFeature()).isFalse();
    }

    @Test
    void sharedBreakersStartTheRuntimeOnTheApplicationsRedis() {
        runner().withPropertyValues("llmix.fleet.breakers.shared=true", "llmix.fleet.instance-id=web 1")
                .run(context -> {
                    FleetRuntime rt = context.getBean(FleetRuntime.class);
                    assertThat(rt.instanceId()).isEqualTo("web_1");
                    FleetClients.eventually(Duration.ofSeconds(10), rt::healthy, "fleet runtime never connected");
                    assertThat(rt.status().breakers()).isTrue();
                    assertThat(rt.status().budgets()).isFalse();
                });
    }

    @Test
    void pollIntervalAboveOneSecondFailsStartUpNamingTheProperty() {
        runner().withPropertyValues("llmix.fleet.breakers.shared=true", "llmix.fleet.poll-interval=2s")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("llmix.fleet.poll-interval"));
    }

    @Test
    void memberTtlBelowTwoHeartbeatsFailsStartUp() {
        runner().withPropertyValues("llmix.fleet.keys.shared=true", "llmix.fleet.heartbeat-interval=5s",
                "llmix.fleet.member-ttl=6s").run(context -> assertThat(context).hasFailed().getFailure()
                        .rootCause().hasMessageContaining("member-ttl"));
    }

    @Test
    void sharedBreakersWithoutSpringDataRedisFailWithTheFleetMessage() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LlmixProviderAdapterAutoConfiguration.class,
                        LlmixAutoConfiguration.class, LlmixFleetAutoConfiguration.class))
                .withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
                .withBean(DispatchFunction.class, () -> ctx -> new CompletableFuture<>())
                .withBean(PresetResolver.class, () -> (m, p) -> LlmConfig.builder("openai", "gpt-test").build())
                .withPropertyValues("llmix.kill-switch.state-dir=" + stateDir, "llmix.fleet.breakers.shared=true")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .isInstanceOf(FleetRedisMissingException.class)
                        .hasMessageStartingWith("llmix.fleet.* needs Spring Data Redis and a configured connection "
                                + "(spring.data.redis.*)"));
    }

    @Test
    void sharedKeysWithoutAConnectionFactoryFailWithTheFleetMessage() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LlmixProviderAdapterAutoConfiguration.class,
                        LlmixAutoConfiguration.class, LlmixFleetAutoConfiguration.class))
                .withBean(DispatchFunction.class, () -> ctx -> new CompletableFuture<>())
                .withBean(PresetResolver.class, () -> (m, p) -> LlmConfig.builder("openai", "gpt-test").build())
                .withPropertyValues("llmix.kill-switch.state-dir=" + stateDir, "llmix.fleet.keys.shared=true")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageStartingWith(FleetRedisMissingException.MESSAGE));
    }
}
