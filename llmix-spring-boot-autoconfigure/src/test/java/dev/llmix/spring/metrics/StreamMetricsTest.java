package dev.llmix.spring.metrics;

import static dev.llmix.spring.testing.TestPipelines.CACHED;
import static dev.llmix.spring.testing.TestPipelines.UNCACHED;
import static dev.llmix.spring.testing.TestPipelines.input;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.pipeline.CallChunk;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.pipeline.CallStreams;
import dev.llmix.spring.testing.LeakScanner;
import dev.llmix.spring.testing.ScriptedLlm;
import dev.llmix.spring.testing.TestPipelines;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Streams in the metrics: the {@code mode} tag, the first-chunk timer, chunk counts and the span attribute. */
class StreamMetricsTest {

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
        pipeline = TestPipelines.pipeline(stateDir, llm, metrics, null);
        ref.set(pipeline);
        metrics.bindTo(registry);
        return pipeline;
    }

    private static List<CallChunk> drain(CallPipeline p, dev.llmix.spi.CallInput in) {
        try (Stream<CallChunk> chunks = CallStreams.blocking(p.stream(in))) {
            return chunks.toList();
        }
    }

    @Test
    void streamsAreTaggedModeStreamAndRecordTheirFirstChunk() {
        CallPipeline p = instrumented(null);
        p.call(input(UNCACHED, "a"));
        drain(p, input(UNCACHED, "b"));
        drain(p, input(CACHED, "c"));
        drain(p, input(CACHED, "c"));

        assertThat(registry.get("llmix.calls").tags("mode", "call").timer().count()).isEqualTo(1);
        assertThat(registry.get("llmix.calls").tags("mode", "stream").timers().stream()
                .mapToLong(t -> t.count()).sum()).isEqualTo(3);
        assertThat(registry.get("llmix.stream.first_chunk").tags("provider", "openai", "model", "gpt-4",
                "cache", "l1").timer().count()).isEqualTo(1);
        assertThat(registry.get("llmix.stream.first_chunk").tags("cache", "miss").timer().count()).isEqualTo(1);
        assertThat(registry.get("llmix.stream.chunks").summaries().stream()
                .mapToDouble(s -> s.totalAmount()).sum()).isGreaterThanOrEqualTo(3);
        // One call and two fresh streams of 10 input tokens each; the replayed stream counts none.
        assertThat(registry.get("llmix.tokens").tag("type", "input").counter().count()).isEqualTo(30);
    }

    @Test
    void theSpanCarriesTheTimeToFirstChunk() {
        TestObservationRegistry observations = TestObservationRegistry.create();
        CallPipeline p = instrumented(observations);
        drain(p, input(UNCACHED, "a"));
        TestObservationRegistryAssert.assertThat(observations)
                .hasObservationWithNameEqualTo("llmix.calls")
                .that()
                .hasLowCardinalityKeyValue("mode", "stream")
                .hasHighCardinalityKeyValueWithKey("gen_ai.response.time_to_first_chunk");
    }
}
