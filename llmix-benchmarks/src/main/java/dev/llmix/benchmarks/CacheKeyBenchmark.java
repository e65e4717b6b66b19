package dev.llmix.benchmarks;

import dev.llmix.cache.CacheKeyParams;
import dev.llmix.cache.CacheKeys;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cache key generation for a 1 KB and a 16 KB chat request with the usual sampling parameters: building the
 * {@link CacheKeyParams} (which renders the canonical JSON) and hashing it (UTF-8, SHA-256, hex), as the pipeline does
 * on every call. {@code canonical*} stops after the canonical JSON, so the hash's share is the difference.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class CacheKeyBenchmark {

    private final List<Map<String, Object>> small = BenchRequests.messages(BenchRequests.SMALL_BYTES);
    private final List<Map<String, Object>> large = BenchRequests.messages(BenchRequests.LARGE_BYTES);

    /** What the pipeline does per call: collect the 15 fields (canonical JSON is rendered by {@code build()}). */
    private static CacheKeyParams params(List<Map<String, Object>> messages) {
        return CacheKeyParams.builder()
                .provider(BenchRequests.PROVIDER)
                .model(BenchRequests.MODEL)
                .messages(messages)
                .temperature(0.7)
                .topP(0.95)
                .maxOutputTokens(1024)
                .build();
    }

    @Benchmark
    public String generate1k() {
        return CacheKeys.generate(params(small));
    }

    @Benchmark
    public String generate16k() {
        return CacheKeys.generate(params(large));
    }

    @Benchmark
    public CacheKeyParams canonical1k() {
        return params(small);
    }

    @Benchmark
    public CacheKeyParams canonical16k() {
        return params(large);
    }
}
