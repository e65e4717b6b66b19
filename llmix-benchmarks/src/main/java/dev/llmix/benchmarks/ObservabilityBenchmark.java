package dev.llmix.benchmarks;

import dev.llmix.cache.TwoTierCache;
import dev.llmix.config.CachingStrategy;
import dev.llmix.keys.KeyPool;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.pipeline.PipelineConfig;
import dev.llmix.spi.CacheHitTier;
import dev.llmix.spi.CallInput;
import dev.llmix.spi.CallListener;
import dev.llmix.spring.metrics.LlmixMetrics;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What observability adds to an L1 hit: the same 1 KB cached request through a pipeline without a listener
 * ({@code bare}) and through one instrumented by {@link LlmixMetrics} on a {@code SimpleMeterRegistry}: without an
 * observation registry ({@code observed}: the {@code llmix.calls} timer recorded by LLMix itself, the cost ledger's
 * saved-cost credit, the cost counters and the call totals), and with an application observation registry whose meter
 * handler is Micrometer's {@code DefaultMeterObservationHandler}, as Spring Boot configures it ({@code registry}: the
 * {@code llmix.calls} observation with its GenAI attributes on top). docs/performance.md §9 records the differences
 * (target ≤ 1 µs).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ObservabilityBenchmark {

    /** A pipeline, bare or instrumented, whose L1 already holds the benchmark request. */
    @State(Scope.Benchmark)
    public static class Hit {
        @Param({"bare", "observed", "registry"})
        public String mode;

        CallPipeline pipeline;
        Path stateDir;
        final CallInput input = CallInput.of(BenchRequests.config(CachingStrategy.MEMORY),
                BenchRequests.messages(BenchRequests.SMALL_BYTES));

        @Setup(Level.Trial)
        public void open() throws IOException {
            stateDir = Files.createTempDirectory("llmix-bench-obs");
            AtomicReference<@Nullable CallPipeline> ref = new AtomicReference<>();
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            ObservationRegistry observations = null;
            if ("registry".equals(mode)) {
                observations = ObservationRegistry.create();
                observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
            }
            LlmixMetrics metrics = new LlmixMetrics(observations, null, ref::get);
            CallListener listener = "bare".equals(mode) ? null : metrics;
            TwoTierCache cache = BenchPipelines.memoryCache();
            pipeline = new CallPipeline(PipelineConfig.builder().stateDir(stateDir).responseCache(cache)
                    .callListener(listener).build(), BenchPipelines.NO_OP);
            pipeline.setKeyPool(BenchRequests.PROVIDER, new KeyPool(List.of("sk-bench-0000000000000000")));
            ref.set(pipeline);
            metrics.bindTo(meters);
            Checks.success(pipeline.call(input));
            CallResponse hit = pipeline.call(input);
            Checks.tier(hit, CacheHitTier.L1);
            if (listener != null && !(pipeline.costs().savedUsd() > 0)) {
                throw new IllegalStateException("the observed hit must credit a saved cost");
            }
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            pipeline.close();
            Files.deleteIfExists(stateDir);
        }
    }

    @Benchmark
    public CallResponse l1Hit(Hit state) {
        return state.pipeline.call(state.input);
    }
}
