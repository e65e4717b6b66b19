package dev.llmix.benchmarks;

import dev.llmix.providers.ProviderSpecs;
import dev.llmix.cache.CacheLookup;
import dev.llmix.cache.TwoTierCache;
import dev.llmix.config.CachingStrategy;
import dev.llmix.config.LlmConfig;
import dev.llmix.provider.ProviderKwargs;
import dev.llmix.internal.kwargs.ProviderKwargsTransforms;
import dev.llmix.spi.TransformKwargsCallback;
import dev.llmix.resilience.KillSwitch;
import dev.llmix.thinking.ThinkingResult;
import dev.llmix.thinking.ThinkingStripper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The steps of an L1 hit one by one, with the same 1 KB request and preset, so the cost of {@code CallPipeline.call}
 * can be split without a profiler: the provider kwargs and transform (run to find the effective base URL), the kill
 * switch check, the L1 lookup, and the thinking strip. The cache key is {@link CacheKeyBenchmark#generate1k}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class PipelineStepsBenchmark {

    private final LlmConfig config = BenchRequests.config(CachingStrategy.MEMORY);
    private final List<Map<String, Object>> messages = BenchRequests.messages(BenchRequests.SMALL_BYTES);
    private final Map<String, TransformKwargsCallback> transforms = ProviderSpecs.builtIn().transforms(System::getenv, Map.of());
    private final String key = "llmix:resp:" + "0123456789abcdef".repeat(4);
    private @Nullable Path stateDir;
    private @Nullable KillSwitch killSwitch;
    private @Nullable TwoTierCache cache;

    @Setup(Level.Trial)
    public void open() throws IOException {
        stateDir = Files.createTempDirectory("llmix-bench-steps");
        killSwitch = new KillSwitch(stateDir);
        cache = BenchPipelines.memoryCache();
        cache.set(key, BenchPipelines.ANSWER.content());
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        if (cache != null) {
            cache.close();
        }
        if (stateDir != null) {
            Files.deleteIfExists(stateDir);
        }
    }

    @Benchmark
    public Map<String, @Nullable Object> kwargsWithOpenAiTransform() {
        return ProviderKwargs.build(config, messages, transforms);
    }

    @Benchmark
    public boolean killSwitchCheck() {
        killSwitch.check();
        return true;
    }

    @Benchmark
    public @Nullable CacheLookup l1Get() {
        return cache.get(key);
    }

    @Benchmark
    public ThinkingResult thinkingStrip() {
        return ThinkingStripper.strip(BenchPipelines.ANSWER.content());
    }
}
