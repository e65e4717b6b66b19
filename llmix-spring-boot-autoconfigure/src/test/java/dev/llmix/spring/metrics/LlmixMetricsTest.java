package dev.llmix.spring.metrics;

import static dev.llmix.spring.testing.TestPipelines.CACHED;
import static dev.llmix.spring.testing.TestPipelines.UNCACHED;
import static dev.llmix.spring.testing.TestPipelines.input;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.pipeline.CallPipeline;
import dev.llmix.spring.testing.LeakScanner;
import dev.llmix.spring.testing.ScriptedLlm;
import dev.llmix.spring.testing.TestPipelines;
import io.micrometer.common.KeyValues;
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

/** Meters and observations of {@link LlmixMetrics} around a real pipeline. */
@ExtendWith(LeakScanner.class)
class LlmixMetricsTest {

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

    /** A pipeline instrumented by {@code metrics}, bound to {@link #registry}. */
    private CallPipeline bind(LlmixMetrics metrics, AtomicReference<CallPipeline> ref) {
        pipeline = TestPipelines.pipeline(stateDir, llm, metrics, null);
        ref.set(pipeline);
        metrics.bindTo(registry);
        return pipeline;
    }

    private CallPipeline instrumented(@Nullable TestObservationRegistry observations,
            @Nullable LlmixCallObservationConvention convention) {
        AtomicReference<CallPipeline> ref = new AtomicReference<>();
        return bind(new LlmixMetrics(observations, convention, ref::get), ref);
    }

    private double calls(String outcome, String cache) {
        return registry.get("llmix.calls").tags("provider", "openai", "model", "gpt-4", "outcome", outcome,
                "cache", cache).timer().count();
    }

    @Test
    void callsTimerCountsEachOutcomeAndCacheTier() {
        CallPipeline p = instrumented((TestObservationRegistry) null, null);

        p.call(input(CACHED, "a"));
        p.call(input(CACHED, "a"));
        p.call(input(UNCACHED, "b"));
        p.killSwitch().engage("test");
        p.call(input(UNCACHED, "b"));
        p.killSwitch().release();
        llm.failWith(503);
        p.call(input(UNCACHED, "c"));
        p.call(input(UNCACHED, "c"));

        assertThat(calls("success", "miss")).isEqualTo(1);
        assertThat(calls("success", "l1")).isEqualTo(1);
        assertThat(calls("success", "none")).isEqualTo(1);
        assertThat(calls("kill_switch", "none")).isEqualTo(1);
        assertThat(calls("failure", "none")).isEqualTo(1);
        assertThat(calls("circuit_open", "none")).isEqualTo(1);
    }

    @Test
    void tokensAreCountedPerTypeForFreshCalls() {
        CallPipeline p = instrumented((TestObservationRegistry) null, null);

        p.call(input(CACHED, "a"));
        p.call(input(CACHED, "a"));
        p.call(input(UNCACHED, "b"));

        assertThat(registry.get("llmix.tokens").tags("provider", "openai", "model", "gpt-4", "type", "input")
                .counter().count()).isEqualTo(20);
        assertThat(registry.get("llmix.tokens").tag("type", "output").counter().count()).isEqualTo(40);
        assertThat(registry.get("llmix.tokens").tag("type", "cached").counter().count()).isEqualTo(10);
    }

    @Test
    void gaugesFollowBreakersLimitersKeysAndCache() {
        CallPipeline p = instrumented((TestObservationRegistry) null, null);
        p.call(input(CACHED, "a"));
        p.call(input(CACHED, "a"));

        assertThat(registry.get("llmix.breaker.state").tags("provider", "openai", "base_url", "", "state", "closed")
                .gauge().value()).isEqualTo(1);
        assertThat(registry.get("llmix.limiter.window").tag("provider", "openai").gauge().value()).isEqualTo(32);
        assertThat(registry.get("llmix.limiter.in_flight").tag("provider", "openai").gauge().value()).isZero();
        assertThat(registry.get("llmix.keys.alive").tag("provider", "openai").gauge().value()).isEqualTo(2);
        assertThat(registry.get("llmix.cache.l1.size").gauge().value()).isEqualTo(1);
        assertThat(registry.get("llmix.cache.l2.healthy").gauge().value()).isEqualTo(1);
        assertThat(registry.get("llmix.cache.requests").tags("tier", "l1", "result", "hit").functionCounter().count())
                .isEqualTo(1);
        assertThat(registry.get("llmix.cache.requests").tags("tier", "l1", "result", "miss").functionCounter()
                .count()).isEqualTo(1);

        llm.failWith(503);
        p.call(input(UNCACHED, "b"));

        assertThat(registry.get("llmix.breaker.state").tag("state", "open").gauge().value()).isEqualTo(1);
        assertThat(registry.get("llmix.breaker.state").tag("state", "closed").gauge().value()).isZero();
    }

    @Test
    void providerGaugesAppearOnceTheirKeyPoolAndLimiterExist() {
        CallPipeline p = instrumented((TestObservationRegistry) null, null);
        p.killSwitch().engage("refuse the first calls: the key pool exists, the limiter does not yet");
        p.call(input(UNCACHED, "a"));
        p.call(input(UNCACHED, "a"));

        assertThat(registry.find("llmix.keys.alive").gauges()).singleElement()
                .satisfies(g -> assertThat(g.value()).isEqualTo(2));
        assertThat(registry.find("llmix.limiter.window").gauges()).isEmpty();

        p.killSwitch().release();
        p.call(input(UNCACHED, "b"));
        p.call(input(UNCACHED, "c"));

        assertThat(registry.find("llmix.keys.alive").gauges()).hasSize(1);
        assertThat(registry.find("llmix.limiter.window").gauges()).singleElement()
                .satisfies(g -> assertThat(g.value()).isEqualTo(32));
    }

    @Test
    void breakerGaugesTagTheHostOnly() {
        CallPipeline p = instrumented((TestObservationRegistry) null, null);
        p.setKeyPool("custom", new dev.llmix.keys.KeyPool(ScriptedLlm.TEST_KEYS));

        p.call(input(dev.llmix.config.LlmConfig.builder("custom", "m")
                .baseUrl("https://user:pa55@LLM.example.com:8443/v1?token=t0k").build(), "a"));

        assertThat(registry.get("llmix.breaker.state").tags("provider", "custom", "state", "closed").gauge().getId()
                .getTag("base_url")).isEqualTo("llm.example.com");
    }

    @Test
    void everyCallIsAnObservationWithTheDocumentedKeys() {
        TestObservationRegistry observations = TestObservationRegistry.create();
        CallPipeline p = instrumented(observations, null);

        p.call(input(UNCACHED, "a"));
        llm.failWith(503);
        p.call(input(UNCACHED, "b"));

        TestObservationRegistryAssert.assertThat(observations)
                .hasNumberOfObservationsWithNameEqualTo("llmix.calls", 2)
                .hasAnObservation(o -> o.hasNameEqualTo("llmix.calls")
                        .hasContextualNameEqualTo("llmix openai")
                        .hasLowCardinalityKeyValue("provider", "openai")
                        .hasLowCardinalityKeyValue("model", "gpt-4")
                        .hasLowCardinalityKeyValue("outcome", "success")
                        .hasLowCardinalityKeyValue("cache", "none")
                        .hasHighCardinalityKeyValue("gen_ai.usage.input_tokens", "10")
                        .doesNotHaveError())
                .hasAnObservation(o -> o.hasLowCardinalityKeyValue("outcome", "failure").hasError());
    }

    @Test
    void aCustomConventionReplacesTheDefault() {
        TestObservationRegistry observations = TestObservationRegistry.create();
        LlmixCallObservationConvention custom = new DefaultLlmixCallObservationConvention() {
            @Override
            public String getName() {
                return "my.llm.calls";
            }

            @Override
            public KeyValues getLowCardinalityKeyValues(LlmixCallContext context) {
                return super.getLowCardinalityKeyValues(context).and("team", "search");
            }
        };
        CallPipeline p = instrumented(observations, custom);

        p.call(input(UNCACHED, "a"));

        TestObservationRegistryAssert.assertThat(observations).hasSingleObservationThat()
                .hasNameEqualTo("my.llm.calls")
                .hasLowCardinalityKeyValue("team", "search")
                .hasLowCardinalityKeyValue("outcome", "success")
                .hasBeenStarted()
                .hasBeenStopped();
    }
}
