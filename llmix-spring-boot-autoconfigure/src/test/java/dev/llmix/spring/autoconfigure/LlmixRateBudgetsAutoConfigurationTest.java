package dev.llmix.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.budget.BudgetDimension;
import dev.llmix.budget.ProviderRateLimits;
import dev.llmix.budget.RateBudget;
import dev.llmix.budget.RateBudgets;
import dev.llmix.budget.RateLimits;
import dev.llmix.client.LlmixClient;
import dev.llmix.client.PresetResolver;
import dev.llmix.config.LlmConfig;
import dev.llmix.config.TimeoutConfig;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.spi.DispatchFunction;
import dev.llmix.spi.LlmUsage;
import dev.llmix.spi.ProviderResult;
import dev.llmix.spring.actuate.LlmixEndpoint;
import dev.llmix.spring.actuate.LlmixEndpointAutoConfiguration;
import dev.llmix.spring.actuate.LlmixReport;
import dev.llmix.spring.killswitch.LlmixKillSwitchAutoConfiguration;
import dev.llmix.spring.metrics.LlmixMetricsAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code llmix.rate-limits.*}: binding, validation, metadata, the {@code RateBudgets} bean, Actuator and meters. */
class LlmixRateBudgetsAutoConfigurationTest {

    private static final DispatchFunction OK = ctx -> CompletableFuture.completedFuture(
            ProviderResult.of("ok", ctx.model(), LlmUsage.of(3, 2, 5)));

    @TempDir
    Path stateDir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LlmixProviderAdapterAutoConfiguration.class,
                        LlmixRateBudgetsAutoConfiguration.class, LlmixAutoConfiguration.class))
                .withBean(DispatchFunction.class, () -> OK)
                .withPropertyValues("OPENAI_API_KEY=sk-test-0123456789abcdef",
                        "llmix.kill-switch.state-dir=" + stateDir);
    }

    /** Preset {@code late} has a {@code shortSeconds} total timeout, every other one 30 s. */
    private static PresetResolver presets(double shortSeconds) {
        LlmConfig cfg = LlmConfig.builder("openai", "gpt-4.1").timeout(new TimeoutConfig(30, null)).build();
        LlmConfig late = cfg.toBuilder().timeout(new TimeoutConfig(shortSeconds, null)).build();
        return (module, preset) -> preset.equals("late") ? late : cfg;
    }

    @Test
    void defaultsBindToTheDocumentedValuesAndConfigureNoBudget() {
        runner().withBean(PresetResolver.class, () -> presets(30)).run(context -> {
            LlmixRateLimitsProperties p = context.getBean(LlmixRateLimitsProperties.class);
            assertThat(p.getLearnWindow()).isEqualTo(Duration.ofMinutes(10));
            assertThat(p.getCharsPerToken()).isEqualTo(4.0);
            assertThat(p.getDefaultMaxOutputTokens()).isEqualTo(1024);
            RateBudgets budgets = context.getBean(RateBudgets.class);
            assertThat(budgets.isEmpty()).isTrue();
            assertThat(context.getBean(CallPipeline.class).rateBudgets()).isSameAs(budgets);
        });
    }

    @Test
    void everyKeyBindsIntoTheRateBudgetsBean() {
        runner().withBean(PresetResolver.class, () -> presets(30)).withPropertyValues(
                "llmix.rate-limits.openai.rpm=60",
                "llmix.rate-limits.openai.tpm=90000",
                "llmix.rate-limits.openai.itpm=50000",
                "llmix.rate-limits.openai.otpm=20000",
                "llmix.rate-limits.openai.models[gpt-4.1].rpm=30",
                "llmix.rate-limits.openai.per-key.rpm=10",
                "llmix.rate-limits.openai.request-burst=2s",
                "llmix.rate-limits.openai.token-burst=30s",
                "llmix.rate-limits.openai.learn=false",
                "llmix.rate-limits.sno-gpu.rpm=5",
                "llmix.rate-limits.learn-window=5m",
                "llmix.rate-limits.chars-per-token=3.0",
                "llmix.rate-limits.default-max-output-tokens=512").run(context -> {
                    RateBudgets budgets = context.getBean(RateBudgets.class);
                    assertThat(budgets.providers()).containsOnlyKeys("openai", "sno-gpu");
                    ProviderRateLimits openai = budgets.providers().get("openai");
                    assertThat(openai.limits()).isEqualTo(new RateLimits(60, 90_000, 50_000, 20_000));
                    assertThat(openai.models()).containsEntry("gpt-4.1", RateLimits.rpm(30));
                    assertThat(openai.perKey()).isEqualTo(RateLimits.rpm(10));
                    assertThat(openai.requestBurst()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(openai.tokenBurst()).isEqualTo(Duration.ofSeconds(30));
                    assertThat(openai.learn()).isFalse();
                    assertThat(budgets.learnWindow()).isEqualTo(Duration.ofMinutes(5));
                    assertThat(budgets.estimator().estimate(41, 0).inputTokens()).isEqualTo(14);
                    assertThat(budgets.estimator().estimate(41, 0).outputTokens()).isEqualTo(512);
                    CallPipeline pipeline = context.getBean(CallPipeline.class);
                    assertThat(pipeline.rateBudgets()).isSameAs(budgets);
                    assertThat(budgets.forCall("openai", "gpt-4.1")).extracting(RateBudget::id)
                            .containsExactly("p:openai", "m:openai/gpt-4.1");
                    // request burst 2 s: capacity ceil(60 × 2 / 60) = 2
                    assertThat(budgets.forCall("openai", "x").get(0).snapshot().dimension(BudgetDimension.RPM)
                            .capacity()).isEqualTo(2);
                });
    }

    @Test
    void aLimitBelowOneFailsStartUpNamingTheProperty() {
        runner().withBean(PresetResolver.class, () -> presets(30))
                .withPropertyValues("llmix.rate-limits.openai.rpm=0").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(stackText(context.getStartupFailure()))
                            .contains("llmix.rate-limits.openai.rpm must be >= 1 (per minute), got 0");
                });
    }

    @Test
    void aZeroModelLimitOrBurstFailsNamingTheKey() {
        runner().withBean(PresetResolver.class, () -> presets(30))
                .withPropertyValues("llmix.rate-limits.openai.models[gpt-4.1].tpm=-5").run(context ->
                        assertThat(stackText(context.getStartupFailure()))
                                .contains("llmix.rate-limits.openai.models[gpt-4.1].tpm must be >= 1"));
        runner().withBean(PresetResolver.class, () -> presets(30))
                .withPropertyValues("llmix.rate-limits.openai.rpm=5", "llmix.rate-limits.openai.request-burst=0s")
                .run(context -> assertThat(stackText(context.getStartupFailure()))
                        .contains("llmix.rate-limits.openai.request-burst must be > 0"));
    }

    @Test
    void aBadEstimatorSettingFailsBindingNamingTheProperty() {
        runner().withBean(PresetResolver.class, () -> presets(30))
                .withPropertyValues("llmix.rate-limits.chars-per-token=0").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(stackText(context.getStartupFailure())).contains("llmix.rate-limits.chars-per-token");
                });
    }

    private static String stackText(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getMessage()).append('\n');
        }
        return sb.toString();
    }

    @Test
    void theMetadataDescribesEveryRateLimitKey() throws Exception {
        JsonNode metadata = JsonMapper.builder().build().readTree(Files.readString(
                Path.of("target/classes/META-INF/spring-configuration-metadata.json")));
        Map<String, JsonNode> byName = new java.util.HashMap<>();
        for (JsonNode p : metadata.get("properties")) {
            byName.put(p.get("name").asString(), p);
        }
        for (String name : List.of("llmix.rate-limits", "llmix.rate-limits.learn-window",
                "llmix.rate-limits.chars-per-token", "llmix.rate-limits.default-max-output-tokens")) {
            assertThat(byName).containsKey(name);
            assertThat(byName.get(name).get("description").asString()).as(name).isNotBlank();
        }
        assertThat(byName.get("llmix.rate-limits").get("description").asString())
                .contains("rpm,tpm,itpm,otpm", "per-key", "request-burst", "token-burst", "learn");
    }

    @Test
    void actuatorListsTheBudgetsAndMetersCountGrantsAndRejections() {
        runner().withConfiguration(AutoConfigurations.of(LlmixKillSwitchAutoConfiguration.class,
                        EndpointAutoConfiguration.class, LlmixEndpointAutoConfiguration.class,
                        LlmixMetricsAutoConfiguration.class))
                .withBean(SimpleMeterRegistry.class)
                .withBean(PresetResolver.class, () -> presets(0.2))
                .withPropertyValues("management.endpoints.web.exposure.include=llmix",
                        "llmix.rate-limits.openai.rpm=1", "llmix.rate-limits.openai.tpm=90000")
                .run(context -> {
                    LlmixClient client = context.getBean(LlmixClient.class);
                    assertThat(client.call("chat", "reply", List.of(Map.of("role", "user", "content", "hi")))
                            .success()).isTrue();
                    // rpm 1 → one request a minute: the second call cannot get budget within its 0.2 s.
                    var late = client.call("chat", "late", List.of(Map.of("role", "user", "content", "again")));
                    assertThat(late.success()).isFalse();
                    assertThat(late.error()).contains("waiting for rate budget (p:openai rpm)");

                    LlmixReport report = context.getBean(LlmixEndpoint.class).report();
                    assertThat(report.budgets()).hasSize(1);
                    LlmixReport.Budget b = report.budgets().get(0);
                    assertThat(b.id()).isEqualTo("p:openai");
                    assertThat(b.mode()).isEqualTo("LOCAL");
                    assertThat(b.rpm().configured()).isEqualTo(1);
                    assertThat(b.rpm().effective()).isEqualTo(1);
                    assertThat(b.rpm().learned()).isNull();
                    assertThat(b.rpm().capacity()).isEqualTo(1);
                    assertThat(b.tpm().configured()).isEqualTo(90_000);
                    assertThat(b.itpm()).isNull();

                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    assertThat(meters.get("llmix.budget.wait").tags("budget", "p:openai", "scope", "provider",
                            "mode", "local").timer().count()).isEqualTo(1);
                    assertThat(meters.get("llmix.budget.rejected").tags("budget", "p:openai", "dimension", "rpm",
                            "reason", "deadline", "mode", "local").counter().count()).isEqualTo(1);
                });
    }
}
