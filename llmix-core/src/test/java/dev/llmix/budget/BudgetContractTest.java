package dev.llmix.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The value rules of the budget contract: learning headers, durations, scope ids, fingerprints, estimates. */
class BudgetContractTest {

    @Test
    void openAiLimitsCountWhenTheirResetIsAtMostAMinute() {
        RateLimitObservation o = RateLimitObservation.fromHeaders(Map.of(
                "X-RateLimit-Limit-Requests", "500", "x-ratelimit-reset-requests", "120ms",
                "x-ratelimit-limit-tokens", "30000", "x-ratelimit-reset-tokens", "1s"));
        assertThat(o).isEqualTo(new RateLimitObservation(500, 30_000, 0, 0));
    }

    @Test
    void aDailyResetIsIgnored() {
        RateLimitObservation o = RateLimitObservation.fromHeaders(Map.of(
                "x-ratelimit-limit-requests", "10000", "x-ratelimit-reset-requests", "4m12.172s"));
        assertThat(o.isEmpty()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"-1", "0", "1.5", "+5", "abc", "''", "' '", "99999999999999999999"})
    void invalidLimitValuesAreIgnored(String value) {
        RateLimitObservation o = RateLimitObservation.fromHeaders(Map.of(
                "x-ratelimit-limit-requests", value, "x-ratelimit-reset-requests", "1s",
                "anthropic-ratelimit-tokens-limit", value));
        assertThat(o.isEmpty()).isTrue();
    }

    @Test
    void valuesAreTrimmed() {
        assertThat(RateLimitObservation.parseLimit(" 42 ")).isEqualTo(42);
    }

    @Test
    void anthropicLimitsMapToAllFourDimensions() {
        RateLimitObservation o = RateLimitObservation.fromHeaders(Map.of(
                "anthropic-ratelimit-requests-limit", "50",
                "anthropic-ratelimit-tokens-limit", "90000",
                "anthropic-ratelimit-input-tokens-limit", "40000",
                "anthropic-ratelimit-output-tokens-limit", "8000"));
        assertThat(o).isEqualTo(new RateLimitObservation(50, 90_000, 40_000, 8_000));
    }

    @ParameterizedTest
    @CsvSource({"1s, 1000", "6m0s, 360000", "12ms, 12", "4m12.172s, 252172", "1h, 3600000", "1500us, 1",
            "2000000ns, 2", "0.5s, 500"})
    void openAiDurations(String text, long millis) {
        assertThat(RateLimitObservation.parseDurationMillis(text)).isEqualTo(millis);
    }

    @Test
    void microSignDurationsAreAccepted() {
        assertThat(RateLimitObservation.parseDurationMillis("3000\u00b5s")).isEqualTo(3);
    }

    @ParameterizedTest
    @CsvSource({"abc", "''", "5", "s", "1x", "1.2.3s", "-1s", "1 s"})
    void invalidDurations(String text) {
        assertThat(RateLimitObservation.parseDurationMillis(text)).isEqualTo(-1);
    }

    @Test
    void scopeIdsPercentEncodeBracesPercentAndControls() {
        assertThat(BudgetScope.provider("openai").id()).isEqualTo("p:openai");
        assertThat(BudgetScope.model("openai", "gpt-4.1").id()).isEqualTo("m:openai/gpt-4.1");
        assertThat(BudgetScope.model("x", "a b{c}%\t").id()).isEqualTo("m:x/a%20b%7Bc%7D%25%09");
        assertThat(BudgetScope.key("openai", "f3abf2a6cc4f0098").id()).isEqualTo("k:openai/f3abf2a6cc4f0098");
    }

    @Test
    void keyFingerprintIsTheFirst16HexOfSha256OfTheTrimmedKey() {
        assertThat(BudgetScope.keyFingerprint("sk-test")).isEqualTo("f3abf2a6cc4f0098");
        assertThat(BudgetScope.keyFingerprint("  sk-test\n")).isEqualTo("f3abf2a6cc4f0098");
    }

    @Test
    void theDefaultEstimatorRoundsInputUpAndUsesTheOutputCap() {
        TokenEstimator e = TokenEstimator.defaults();
        assertThat(e.estimate(41, 256)).isEqualTo(new BudgetCost(1, 11, 256));
        assertThat(e.estimate(41, 256).totalTokens()).isEqualTo(267);
        assertThat(e.estimate(41, 0).outputTokens()).isEqualTo(1024);
        assertThat(TokenEstimator.charsPerToken(3.0, 1024).estimate(41, 256).inputTokens()).isEqualTo(14);
    }

    @Test
    void capacityIsTheBurstShareOfTheLimitAtLeastOne() {
        BudgetLimits l = BudgetLimits.of(new RateLimits(1000, 90_000, 0, 0));
        assertThat(l.capacity(BudgetDimension.RPM)).isEqualTo(17);
        assertThat(l.capacity(BudgetDimension.TPM)).isEqualTo(90_000);
        assertThat(l.capacity(BudgetDimension.RPM, 30)).isEqualTo(1);
        assertThat(new BudgetLimits(RateLimits.rpm(600), Duration.ofSeconds(10), Duration.ofSeconds(60), true,
                Duration.ofMinutes(10)).capacity(BudgetDimension.RPM)).isEqualTo(100);
    }

    @Test
    void badValuesAreRejectedClearly() {
        assertThatThrownBy(() -> new RateLimits(-1, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rpm=-1");
        assertThatThrownBy(() -> TokenEstimator.charsPerToken(0, 1)).hasMessageContaining("charsPerToken");
        assertThat(BudgetLimits.of(RateLimits.NONE).capacity(BudgetDimension.RPM, 0)).isZero();
        assertThatThrownBy(() -> new BudgetLimits(RateLimits.NONE, Duration.ZERO, Duration.ofSeconds(1), true,
                Duration.ofMinutes(1))).hasMessageContaining("requestBurst");
    }

    @Test
    void registryOrdersProviderThenModelAndCoversOnlyConfiguredProviders() {
        RateBudgets budgets = RateBudgets.builder()
                .provider("openai", ProviderRateLimits.of(RateLimits.rpm(60)).withModel("gpt-4.1", RateLimits.rpm(30))
                        .withPerKey(RateLimits.rpm(10)))
                .provider("anthropic", RateLimits.NONE)
                .build();
        assertThat(budgets.providers()).containsOnlyKeys("openai");
        assertThat(budgets.forCall("openai", "gpt-4.1")).isEmpty();
        java.util.concurrent.ScheduledThreadPoolExecutor s = new java.util.concurrent.ScheduledThreadPoolExecutor(1);
        try {
            budgets.start(new BudgetEnvironment(s, Runnable::run, System::nanoTime, BudgetListener.NOOP,
                    dev.llmix.internal.budget.LocalRateBudgetFactory.INSTANCE));
            assertThat(budgets.forCall("openai", "gpt-4.1")).extracting(RateBudget::id)
                    .containsExactly("p:openai", "m:openai/gpt-4.1");
            assertThat(budgets.forCall("openai", "other")).extracting(RateBudget::id).containsExactly("p:openai");
            assertThat(budgets.forCall("anthropic", "x")).isEmpty();
            assertThat(budgets.covers("anthropic")).isFalse();
            assertThat(budgets.hasKeyBudgets("openai")).isTrue();
            RateBudget key = budgets.forKey("openai", BudgetScope.keyFingerprint("sk-test"));
            assertThat(key).isNotNull();
            assertThat(key.id()).isEqualTo("k:openai/f3abf2a6cc4f0098");
            assertThat(budgets.forKey("openai", "f3abf2a6cc4f0098")).isSameAs(key);
            assertThat(budgets.snapshots()).extracting(RateBudgetSnapshot::id)
                    .containsExactly("p:openai", "m:openai/gpt-4.1", "k:openai/f3abf2a6cc4f0098");
        } finally {
            budgets.close();
            s.shutdownNow();
        }
    }
}
