package dev.llmix.spring.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.budget.BudgetMode;
import dev.llmix.budget.RateBudget;
import dev.llmix.budget.RateBudgetFactory;
import dev.llmix.client.LlmixClient;
import dev.llmix.client.PresetResolver;
import dev.llmix.config.LlmConfig;
import dev.llmix.config.TimeoutConfig;
import dev.llmix.fleet.FleetBudgets;
import dev.llmix.fleet.FleetRateBudget;
import dev.llmix.fleet.FleetRuntime;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.spi.DispatchFunction;
import dev.llmix.spi.LlmUsage;
import dev.llmix.spi.ProviderResult;
import dev.llmix.spring.actuate.LlmixEndpoint;
import dev.llmix.spring.actuate.LlmixEndpointAutoConfiguration;
import dev.llmix.spring.actuate.LlmixHealthContributorAutoConfiguration;
import dev.llmix.spring.actuate.LlmixHealthIndicator;
import dev.llmix.spring.actuate.LlmixReport;
import dev.llmix.spring.autoconfigure.LlmixAutoConfiguration;
import dev.llmix.spring.autoconfigure.LlmixProviderAdapterAutoConfiguration;
import dev.llmix.spring.autoconfigure.LlmixRateBudgetsAutoConfiguration;
import dev.llmix.spring.metrics.LlmixMetricsAutoConfiguration;
import dev.llmix.testsupport.FleetClients;
import dev.llmix.testsupport.RealRedis;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code llmix.fleet.budgets.shared=true} with {@code llmix.rate-limits.*}: the pipeline's budgets are FLEET budgets on
 * the fleet runtime, shown by the Actuator, metered as before, and shared by two application contexts through one real
 * Redis (docs/fleet-budgets.md).
 */
class FleetBudgetsAutoConfigurationTest {

    @RegisterExtension
    static final RealRedis REDIS = RealRedis.create();

    private static final DispatchFunction OK = ctx -> CompletableFuture.completedFuture(
            ProviderResult.of("ok", ctx.model(), LlmUsage.of(3, 2, 5)));

    @TempDir
    Path stateDir;

    @BeforeEach
    void emptyRedis() {
        REDIS.flushAll();
    }

    /** Preset {@code late} has a 0.2 s total timeout, every other one 30 s. */
    private static PresetResolver presets() {
        LlmConfig cfg = LlmConfig.builder("openai", "gpt-4.1").timeout(new TimeoutConfig(30, null)).build();
        LlmConfig late = cfg.toBuilder().timeout(new TimeoutConfig(0.2, null)).build();
        return (module, preset) -> preset.equals("late") ? late : cfg;
    }

    private ApplicationContextRunner runner(String instanceId) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
                        LlmixProviderAdapterAutoConfiguration.class, LlmixRateBudgetsAutoConfiguration.class,
                        LlmixAutoConfiguration.class, LlmixFleetAutoConfiguration.class,
                        EndpointAutoConfiguration.class, LlmixEndpointAutoConfiguration.class,
                        LlmixHealthContributorAutoConfiguration.class, LlmixMetricsAutoConfiguration.class))
                .withBean(DispatchFunction.class, () -> OK)
                .withBean(SimpleMeterRegistry.class)
                .withBean(PresetResolver.class, FleetBudgetsAutoConfigurationTest::presets)
                .withPropertyValues("OPENAI_API_KEY=sk-test-0123456789abcdef",
                        "llmix.kill-switch.state-dir=" + stateDir.resolve(instanceId),
                        "spring.data.redis.url=" + REDIS.url(), "llmix.fleet.instance-id=" + instanceId,
                        "management.endpoints.web.exposure.include=llmix",
                        "llmix.rate-limits.openai.rpm=1", "llmix.rate-limits.openai.tpm=90000");
    }

    private static void awaitHealthy(FleetRuntime rt) {
        FleetClients.eventually(Duration.ofSeconds(10), rt::healthy, "fleet runtime never connected");
    }

    private static String call(LlmixClient client, String preset) {
        var r = client.call("chat", preset, List.of(Map.of("role", "user", "content", "hi " + preset)));
        return r.success() ? "ok" : r.error();
    }

    @Test
    void sharedBudgetsMakeThePipelinesBudgetsFleetBudgetsShownByTheActuatorAndHealth() {
        runner("web-1").withPropertyValues("llmix.fleet.budgets.shared=true").run(context -> {
            assertThat(context).hasSingleBean(FleetBudgets.class).hasSingleBean(RateBudgetFactory.class);
            awaitHealthy(context.getBean(FleetRuntime.class));
            List<RateBudget> budgets = context.getBean(CallPipeline.class).rateBudgets().forCall("openai", "gpt-4.1");
            assertThat(budgets).singleElement().isInstanceOf(FleetRateBudget.class);
            assertThat(budgets.get(0).mode()).isEqualTo(BudgetMode.FLEET);

            LlmixClient client = context.getBean(LlmixClient.class);
            assertThat(call(client, "reply")).isEqualTo("ok");
            // rpm 1: the shared bucket (capacity 1) is empty for a minute, so the 0.2 s call fails at once.
            assertThat(call(client, "late")).contains("waiting for rate budget (p:openai rpm)");

            LlmixEndpoint endpoint = context.getBean(LlmixEndpoint.class);
            // remaining is the shared bucket's token count, read in the background at most once a second.
            FleetClients.eventually(Duration.ofSeconds(5), () -> {
                LlmixReport.Budget b = endpoint.report().budgets().get(0);
                return b.rpm().remaining() != null;
            }, "remaining never read from the shared bucket");
            LlmixReport report = endpoint.report();
            assertThat(report.fleet().features()).containsEntry("budgets", true);
            LlmixReport.Budget b = report.budgets().get(0);
            assertThat(b.id()).isEqualTo("p:openai");
            assertThat(b.mode()).isEqualTo("FLEET");
            assertThat(b.rpm().configured()).isEqualTo(1);
            assertThat(b.rpm().learned()).isNull();
            assertThat(b.rpm().effective()).isEqualTo(1);
            assertThat(b.rpm().remaining()).isZero();
            assertThat(b.tpm().configured()).isEqualTo(90_000);
            Health health = context.getBean(LlmixHealthIndicator.class).health(true);
            assertThat(((Map<?, ?>) health.getDetails().get("fleet")).get("redis")).isEqualTo("UP");
        });
    }

    @Test
    void budgetMetersCountFleetGrantsAndDeadlineRejectionsAsBefore() {
        runner("web-1").withPropertyValues("llmix.fleet.budgets.shared=true").run(context -> {
            awaitHealthy(context.getBean(FleetRuntime.class));
            LlmixClient client = context.getBean(LlmixClient.class);
            assertThat(call(client, "reply")).isEqualTo("ok");
            assertThat(call(client, "late")).contains("waiting for rate budget (p:openai rpm)");

            MeterRegistry meters = context.getBean(MeterRegistry.class);
            assertThat(meters.get("llmix.budget.wait").tags("budget", "p:openai", "scope", "provider",
                    "mode", "fleet").timer().count()).isEqualTo(1);
            assertThat(meters.get("llmix.budget.rejected").tags("budget", "p:openai", "dimension", "rpm",
                    "reason", "deadline", "mode", "fleet").counter().count()).isEqualTo(1);
        });
    }

    @Test
    void twoApplicationContextsShareOneBudgetThroughRedis() {
        ApplicationContextRunner fleet = runner("web-1").withPropertyValues("llmix.fleet.budgets.shared=true");
        fleet.run(a -> runner("web-2").withPropertyValues("llmix.fleet.budgets.shared=true").run(b -> {
            awaitHealthy(a.getBean(FleetRuntime.class));
            awaitHealthy(b.getBean(FleetRuntime.class));

            assertThat(call(a.getBean(LlmixClient.class), "reply")).isEqualTo("ok");
            // B has made no call of its own: only the shared bucket, emptied by A, can refuse it.
            assertThat(call(b.getBean(LlmixClient.class), "late"))
                    .contains("waiting for rate budget (p:openai rpm)");
            assertThat(String.valueOf(REDIS.command("EXISTS", "llmix:fleet:budget:{p:openai}:rpm"))).isEqualTo("1");
        }));
    }

    @Test
    void rateLimitsWithoutSharedBudgetsStayLocal() {
        runner("web-1").withPropertyValues("llmix.fleet.breakers.shared=true").run(context -> {
            assertThat(context).doesNotHaveBean(FleetBudgets.class).doesNotHaveBean(RateBudgetFactory.class);
            RateBudget budget = context.getBean(CallPipeline.class).rateBudgets().forCall("openai", "gpt-4.1")
                    .get(0);
            assertThat(budget.mode()).isEqualTo(BudgetMode.LOCAL);
        });
    }

    @Test
    void sharedBudgetsWithoutSpringDataRedisFailWithTheFleetMessage() {
        runner("web-1").withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
                .withPropertyValues("llmix.fleet.budgets.shared=true")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .isInstanceOf(FleetRedisMissingException.class)
                        .hasMessageStartingWith(FleetRedisMissingException.MESSAGE));
    }
}
