package dev.llmix.spring.metrics;

import static dev.llmix.spring.testing.TestPipelines.UNCACHED;
import static dev.llmix.spring.testing.TestPipelines.input;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.spi.CallEvent;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.spring.testing.ScriptedLlm;
import dev.llmix.spring.testing.TestPipelines;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Under the Spring AI bridge's observation, a call is timed as llmix.calls but observed only once. */
class BridgedCallsTest {

    @TempDir
    Path stateDir;

    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final ObservationRegistry observations = ObservationRegistry.create();
    private final List<String> started = new CopyOnWriteArrayList<>();
    private CallPipeline pipeline;

    @AfterEach
    void close() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void callUnderTheBridgeObservationOpensNoSecondObservationButIsTimed() {
        observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
        observations.observationConfig().observationHandler(new io.micrometer.observation.ObservationHandler<>() {
            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }

            @Override
            public void onStart(Observation.Context context) {
                started.add(context.getName());
            }
        });
        AtomicReference<CallPipeline> ref = new AtomicReference<>();
        LlmixMetrics metrics = new LlmixMetrics(observations, null, ref::get);
        pipeline = TestPipelines.pipeline(stateDir, new ScriptedLlm(), metrics, null);
        ref.set(pipeline);
        metrics.bindTo(meters);

        Observation bridge = Observation.createNotStarted("gen_ai.client.operation", observations);
        bridge.getContext().put("llmix.bridge", Boolean.TRUE);
        bridge.start();
        try (Observation.Scope scope = bridge.openScope()) {
            pipeline.call(input(UNCACHED, "x"));
        } finally {
            bridge.stop();
        }

        assertThat(started).containsExactly("gen_ai.client.operation");
        assertThat(meters.get("llmix.calls").tags("provider", "openai", "outcome", "success", "error", "none")
                .timer().count()).isEqualTo(1);
        assertThat((Object) bridge.getContext().get("llmix.call.event")).isInstanceOf(CallEvent.class);
        assertThat((Object) bridge.getContext().get("llmix.outcome")).isEqualTo("success");
    }
}
