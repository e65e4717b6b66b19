package dev.llmix.spring.metrics;

import static dev.llmix.spring.testing.TestPipelines.CACHED;
import static dev.llmix.spring.testing.TestPipelines.UNCACHED;
import static dev.llmix.spring.testing.TestPipelines.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.llmix.cache.TwoTierCache;
import dev.llmix.config.LlmConfig;
import dev.llmix.keys.KeyPool;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.provider.PriceBook;
import dev.llmix.spring.testing.LeakScanner;
import dev.llmix.spring.testing.ScriptedLlm;
import dev.llmix.spring.testing.TestPipelines;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The GenAI semantic-convention attributes and meters, cost counters and event counters of {@link LlmixMetrics}. */
@ExtendWith(LeakScanner.class)
class GenAiCostEventMetricsTest {

    /** gpt-4 at $30 / $60 per million; cached input at $15. */
    private static final PriceBook PRICES = PriceBook.builtIn().with("openai", "gpt-4",
            PriceBook.ModelPrice.configured(30, 60, 15.0));

    @TempDir
    Path stateDir;

    private final ScriptedLlm llm = new ScriptedLlm();
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private @Nullable CallPipeline pipeline;

    @AfterEach
    void tearDown() {
        LeakScanner.meters(registry);
        if (pipeline != null) {
            pipeline.close();
        }
    }

    private CallPipeline instrumented(@Nullable TestObservationRegistry observations) {
        AtomicReference<CallPipeline> ref = new AtomicReference<>();
        LlmixMetrics metrics = new LlmixMetrics(observations, null, ref::get);
        pipeline = new CallPipeline(TestPipelines.options(stateDir).maxRetries(1)
                .responseCache(TwoTierCache.builder().maxItems(100).build())
                .priceBook(PRICES).callListener(metrics).build(), llm);
        pipeline.setKeyPool("openai", new KeyPool(ScriptedLlm.TEST_KEYS));
        ref.set(pipeline);
        metrics.bindTo(registry);
        return pipeline;
    }

    @Test
    void observationCarriesTheGenAiAttributes() {
        TestObservationRegistry observations = TestObservationRegistry.create();
        CallPipeline p = instrumented(observations);

        p.call(input(UNCACHED, "a"));

        TestObservationRegistryAssert.assertThat(observations).hasSingleObservationThat()
                .hasNameEqualTo("llmix.calls")
                .hasLowCardinalityKeyValue("gen_ai.operation.name", "chat")
                .hasLowCardinalityKeyValue("gen_ai.provider.name", "openai")
                .hasLowCardinalityKeyValue("gen_ai.request.model", "gpt-4")
                .hasHighCardinalityKeyValue("gen_ai.response.model", "gpt-4-0613")
                .hasHighCardinalityKeyValue("gen_ai.usage.input_tokens", "10")
                .hasHighCardinalityKeyValue("gen_ai.usage.output_tokens", "20")
                .hasHighCardinalityKeyValue("llmix.cost.usd", "0.001425")
                .doesNotHaveHighCardinalityKeyValueWithKey("error.type")
                .hasLowCardinalityKeyValue("outcome", "success")
                .hasLowCardinalityKeyValue("cache", "none");
    }

    @Test
    void cacheHitObservationsCarryTheSavingAndZeroTokens() {
        TestObservationRegistry observations = TestObservationRegistry.create();
        CallPipeline p = instrumented(observations);

        p.call(input(CACHED, "a"));
        p.call(input(CACHED, "a"));
        p.call(input(CACHED, "a"));

        TestObservationRegistryAssert.assertThat(observations)
                .hasNumberOfObservationsWithNameEqualTo("llmix.calls", 3)
                .hasHandledContextsThatSatisfy(contexts -> assertThat(contexts.stream()
                        .filter(c -> "l1".equals(c.getLowCardinalityKeyValue("cache").getValue()))
                        .map(c -> c.getHighCardinalityKeyValue("llmix.cost.saved_usd").getValue() + " "
                                + c.getHighCardinalityKeyValue("gen_ai.usage.input_tokens").getValue() + " "
                                + c.getHighCardinalityKeyValue("gen_ai.usage.output_tokens").getValue()))
                        .containsExactly("0.001425 0 0", "0.001425 0 0"));
    }

    @Test
    void failedObservationCarriesTheErrorType() {
        TestObservationRegistry observations = TestObservationRegistry.create();
        CallPipeline p = instrumented(observations);
        llm.failWith(503);

        p.call(input(UNCACHED, "a"));

        TestObservationRegistryAssert.assertThat(observations).hasSingleObservationThat()
                .hasHighCardinalityKeyValue("error.type", "503")
                .hasLowCardinalityKeyValue("outcome", "failure")
                .hasError();
    }

    @Test
    void genAiClientMetersFollowTheConvention() {
        CallPipeline p = instrumented(null);

        p.call(input(CACHED, "a"));
        p.call(input(CACHED, "a")); // L1 hit: no GenAI operation
        llm.failWith(503);
        p.call(input(UNCACHED, "b"));

        assertThat(registry.get("gen_ai.client.operation.duration").tags("gen_ai.operation.name", "chat",
                "gen_ai.provider.name", "openai", "gen_ai.request.model", "gpt-4", "gen_ai.response.model",
                "gpt-4-0613", "error.type", "none").timer().count()).isEqualTo(1);
        assertThat(registry.get("gen_ai.client.operation.duration").tag("error.type", "503").timer().count())
                .isEqualTo(1);
        assertThat(registry.get("gen_ai.client.token.usage").tags("gen_ai.response.model", "gpt-4-0613",
                "gen_ai.token.type", "input").summary().totalAmount()).isEqualTo(10);
        assertThat(registry.get("gen_ai.client.token.usage").tags("gen_ai.response.model", "gpt-4-0613",
                "gen_ai.token.type", "output").summary().totalAmount()).isEqualTo(20);
    }

    @Test
    void costAndSavingsAreCountedInUsd() {
        CallPipeline p = instrumented(null);

        p.call(input(CACHED, "a"));
        p.call(input(CACHED, "a"));
        p.call(input(CACHED, "a"));

        double one = 5 * 30e-6 + 5 * 15e-6 + 20 * 60e-6;
        assertThat(registry.get("llmix.cost").tags("provider", "openai", "model", "gpt-4").counter().count())
                .isCloseTo(one, within(1e-9));
        assertThat(registry.get("llmix.cost.saved").tags("provider", "openai", "model", "gpt-4").counter().count())
                .isCloseTo(2 * one, within(1e-9));
        assertThat(p.costs().savedUsd()).isCloseTo(2 * one, within(1e-9));
    }

    @Test
    void unpricedModelIsCountedNotBilled() {
        CallPipeline p = instrumented(null);

        p.call(input(LlmConfig.builder("openai", "house-model-7").build(), "a"));

        assertThat(registry.get("llmix.cost.unpriced").tags("provider", "openai", "model", "house-model-7")
                .counter().count()).isEqualTo(1);
        assertThat(registry.find("llmix.cost").tags("model", "house-model-7").counter().count()).isZero();
    }

    @Test
    void operatorEventsAreCounted() {
        CallPipeline p = instrumented(null);
        llm.failWith(429);

        p.call(input(UNCACHED, "a"));

        assertThat(registry.get("llmix.attempts").tag("provider", "openai").counter().count()).isEqualTo(2);
        assertThat(registry.get("llmix.attempts.failed").tags("status", "429", "reason", "rate_limited", "retry",
                "true").counter().count()).isEqualTo(1);
        assertThat(registry.get("llmix.keys.rotated").counter().count()).isEqualTo(2);
        assertThat(registry.get("llmix.limiter.window.changes").tags("direction", "decrease", "cause", "rate_limit")
                .counter().count()).isGreaterThanOrEqualTo(1);
        assertThat(registry.get("llmix.breaker.transitions").tags("from", "closed", "to", "open").counter().count())
                .isEqualTo(1);

        llm.failWith(401);
        p.resetAllCircuitBreakers();
        p.call(input(UNCACHED, "b"));
        // 401 is not retried: one key dead, the other still alive.
        assertThat(registry.get("llmix.keys.dead").tags("provider", "openai", "status", "401").counter().count())
                .isEqualTo(1);
    }
}
