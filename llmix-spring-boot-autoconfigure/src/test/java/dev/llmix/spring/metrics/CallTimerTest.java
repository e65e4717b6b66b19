package dev.llmix.spring.metrics;

import static dev.llmix.spring.testing.TestPipelines.CACHED;
import static dev.llmix.spring.testing.TestPipelines.UNCACHED;
import static dev.llmix.spring.testing.TestPipelines.input;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.pipeline.CallPipeline;
import dev.llmix.spring.testing.LeakScanner;
import dev.llmix.spring.testing.ScriptedLlm;
import dev.llmix.spring.testing.TestPipelines;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without an application observation registry, {@link LlmixMetrics} records the {@code llmix.calls} timer and the
 * {@code llmix.calls.active} long task timer itself (docs/performance.md §9): the meters must be exactly those that
 * Micrometer's meter handler makes from the {@code llmix.calls} observation.
 */
@ExtendWith(LeakScanner.class)
class CallTimerTest {

    @TempDir
    Path stateDir;

    private final List<CallPipeline> pipelines = new ArrayList<>();

    @AfterEach
    void tearDown() {
        pipelines.forEach(CallPipeline::close);
    }

    /** Runs the same calls (miss, L1 hit, uncached, kill switch, failure, open breaker) and returns the registry. */
    private MeterRegistry run(@Nullable ObservationRegistry observations, MeterRegistry registry, String dir)
            throws Exception {
        ScriptedLlm llm = new ScriptedLlm();
        AtomicReference<CallPipeline> ref = new AtomicReference<>();
        LlmixMetrics metrics = new LlmixMetrics(observations, null, ref::get);
        CallPipeline p = TestPipelines.pipeline(Files.createDirectories(stateDir.resolve(dir)), llm, metrics, null);
        pipelines.add(p);
        ref.set(p);
        metrics.bindTo(registry);
        p.call(input(CACHED, "a"));
        p.call(input(CACHED, "a"));
        p.call(input(UNCACHED, "b"));
        p.killSwitch().engage("test");
        p.call(input(UNCACHED, "b"));
        p.killSwitch().release();
        llm.failWith(503);
        p.call(input(UNCACHED, "c"));
        p.call(input(UNCACHED, "c"));
        return registry;
    }

    /** Every {@code llmix.calls} / {@code llmix.calls.active} meter by its id, with its count and active tasks. */
    private static Map<String, String> callMeters(MeterRegistry registry) {
        Map<String, String> out = new TreeMap<>();
        for (Meter m : registry.getMeters()) {
            Meter.Id id = m.getId();
            if (id.getName().equals("llmix.calls") && m instanceof Timer t) {
                out.put(id.getType() + " " + id.getName() + " " + id.getTags(), "count=" + t.count());
            } else if (id.getName().equals("llmix.calls.active") && m instanceof LongTaskTimer t) {
                out.put(id.getType() + " " + id.getName() + " " + id.getTags(), "active=" + t.activeTasks());
            }
        }
        return out;
    }

    @Test
    void withoutAnObservationRegistryTheCallTimersMatchMicrometersMeterHandler() throws Exception {
        SimpleMeterRegistry handled = new SimpleMeterRegistry();
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(handled));

        Map<String, String> direct = callMeters(run(null, new SimpleMeterRegistry(), "direct"));
        Map<String, String> observed = callMeters(run(observations, handled, "observed"));

        assertThat(direct).hasSize(7).isEqualTo(observed);
    }
}
