package dev.llmix.sample.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmix.config.LlmConfig;
import dev.llmix.spi.DispatchContext;
import dev.llmix.spi.ProviderException;
import dev.llmix.spi.ProviderResult;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The simulated provider's behaviours, each one switched on alone with zero latency. */
class SimulatedProviderTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final AtomicLong clock = new AtomicLong(1_000_000);

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private SimulatedProvider provider(SimulatorSettings settings, double draw) {
        RandomGenerator fixed = new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public double nextDouble() {
                return draw;
            }
        };
        return new SimulatedProvider(settings, scheduler, fixed, clock::get);
    }

    private static SimulatorSettings settings(double errorRate, double rateLimitRate, int budget, boolean thinking) {
        return new SimulatorSettings(0, 0, errorRate, rateLimitRate, budget, 10, thinking);
    }

    private static DispatchContext context(String text) {
        return new DispatchContext("openai", "gpt-5-mini", "sim-key", List.of(
                Map.of("role", "system", "content", "be brief"),
                Map.of("role", "user", "content", text)), Map.of(), LlmConfig.builder("openai", "gpt-5-mini").build());
    }

    private static ProviderResult answer(SimulatedProvider provider, String text) {
        return provider.dispatch(context(text)).toCompletableFuture().join();
    }

    private static ProviderException failure(SimulatedProvider provider) {
        try {
            provider.dispatch(context("hi")).toCompletableFuture().join();
        } catch (CompletionException e) {
            return (ProviderException) e.getCause();
        }
        throw new AssertionError("expected a failure");
    }

    @Test
    void answerEchoesTheLastUserMessageAndSaysItIsSimulated() {
        ProviderResult result = answer(provider(settings(0, 0, 100, false), 0.5), "What is LLMix?");
        assertThat(result.content()).startsWith(SimulatedProvider.LABEL).contains("you said \"What is LLMix?\"");
        assertThat(result.model()).isEqualTo("gpt-5-mini");
        assertThat(result.usage().totalTokens()).isPositive();
    }

    @Test
    void thinkingSettingPrefixesAThinkBlock() {
        ProviderResult result = answer(provider(settings(0, 0, 100, true), 0.5), "hi");
        assertThat(result.content()).startsWith("<think>").contains("</think>");
    }

    @Test
    void successReportsTheRemainingBudgetInRateLimitHeaders() {
        SimulatedProvider provider = provider(settings(0, 0, 100, false), 0.5);
        answer(provider, "one");
        ProviderResult second = answer(provider, "two");
        assertThat(second.headers()).containsEntry("x-ratelimit-limit-requests", "100")
                .containsEntry("x-ratelimit-remaining-requests", "98");
    }

    @Test
    void exhaustedBudgetAnswers429WithRetryAfterUntilTheWindowEnds() {
        SimulatedProvider provider = provider(settings(0, 0, 1, false), 0.5);
        answer(provider, "uses the budget");
        clock.addAndGet(2_500);
        ProviderException error = failure(provider);
        assertThat(error.statusCode()).isEqualTo(429);
        assertThat(error.retryAfter()).isEqualTo("8");
        assertThat(error.headers()).containsEntry("x-ratelimit-remaining-requests", "0");
        clock.addAndGet(7_500);
        assertThat(answer(provider, "new window").content()).contains("new window");
    }

    @Test
    void rateLimitRateProducesSpontaneous429s() {
        assertThat(failure(provider(settings(0, 1.0, 100, false), 0.5)).statusCode()).isEqualTo(429);
    }

    @Test
    void errorRateProduces503s() {
        ProviderException error = failure(provider(settings(1.0, 0, 100, false), 0.5));
        assertThat(error.statusCode()).isEqualTo(503);
        assertThat(error.getMessage()).contains(SimulatedProvider.LABEL);
    }

    @Test
    void statsCountEveryOutcome() {
        SimulatedProvider provider = provider(settings(0, 0, 100, false), 0.5);
        answer(provider, "a");
        provider.update(settings(1.0, 0, 100, false));
        failure(provider);
        SimulatorStats stats = provider.stats();
        assertThat(stats.requests()).isEqualTo(2);
        assertThat(stats.answered()).isEqualTo(1);
        assertThat(stats.failed()).isEqualTo(1);
        assertThat(stats.remaining()).isEqualTo(98);
    }

    @Test
    void latencyIsScheduledNotSlept() {
        SimulatedProvider provider = new SimulatedProvider(new SimulatorSettings(50, 50, 0, 0, 100, 10, false),
                scheduler, RandomGenerator.of("L64X128MixRandom"), clock::get);
        var stage = provider.dispatch(context("slow")).toCompletableFuture();
        assertThat(stage).isNotDone();
        assertThat(stage.join().content()).contains("slow");
    }

    @Test
    void invalidSettingsAreRefusedWithTheirName() {
        assertThatThrownBy(() -> new SimulatorSettings(0, 0, 1.5, 0, 10, 10, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("errorRate");
        assertThatThrownBy(() -> new SimulatorSettings(500, 100, 0, 0, 10, 10, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("latency");
    }
}
