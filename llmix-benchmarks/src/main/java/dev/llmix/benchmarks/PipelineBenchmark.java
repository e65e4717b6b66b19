package dev.llmix.benchmarks;

import dev.llmix.config.CachingStrategy;
import dev.llmix.spi.CacheHitTier;
import dev.llmix.spi.CallInput;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.pipeline.CallResponse;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code CallPipeline.call} on its fast paths, with a 1 KB chat request: an L1 hit (one and two threads), a fresh
 * call with caching disabled and a dispatch that answers at once (the pure orchestration overhead: kill switch,
 * kwargs, key derivation, breaker, singleflight, limiter, key pool, thinking strip), and a miss followed by a cache
 * write for ever-new requests, which keeps L1 at its 1000-item limit so every write evicts.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PipelineBenchmark {

    /** A pipeline with an L1 cache that already holds the benchmark request. */
    @State(Scope.Benchmark)
    public static class L1Hit {
        BenchPipelines.Handle handle;
        CallPipeline pipeline;
        final CallInput input = CallInput.of(BenchRequests.config(CachingStrategy.MEMORY),
                BenchRequests.messages(BenchRequests.SMALL_BYTES));

        @Setup(Level.Trial)
        public void open() throws IOException {
            BenchPipelines.CountingDispatch dispatch = new BenchPipelines.CountingDispatch(BenchPipelines.NO_OP);
            handle = BenchPipelines.open(BenchPipelines.memoryCache(), dispatch);
            pipeline = handle.pipeline();
            Checks.success(pipeline.call(input));
            CallResponse hit = pipeline.call(input);
            Checks.tier(hit, CacheHitTier.L1);
            Checks.equal(dispatch.count(), 1, "dispatches for one miss and one hit");
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            handle.close();
        }
    }

    /** A pipeline without a cache whose dispatch answers at once. */
    @State(Scope.Benchmark)
    public static class NoOpDispatch {
        BenchPipelines.Handle handle;
        CallPipeline pipeline;
        final CallInput input = CallInput.of(BenchRequests.config(CachingStrategy.DISABLED),
                BenchRequests.messages(BenchRequests.SMALL_BYTES));

        @Setup(Level.Trial)
        public void open() throws IOException {
            BenchPipelines.CountingDispatch dispatch = new BenchPipelines.CountingDispatch(BenchPipelines.NO_OP);
            handle = BenchPipelines.open(null, dispatch);
            pipeline = handle.pipeline();
            Checks.tier(Checks.success(pipeline.call(input)), null);
            Checks.tier(Checks.success(pipeline.call(input)), null);
            Checks.equal(dispatch.count(), 2, "dispatches for two uncached calls");
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            handle.close();
        }
    }

    /**
     * A pipeline with a 1000-item L1 and a ring of 16 384 distinct 1 KB requests: by the time a request comes round
     * again, at least 15 000 others have been written after it, so every call is a miss, a dispatch and a write that
     * evicts.
     */
    @State(Scope.Thread)
    public static class Churn {
        static final int RING = 1 << 14;
        BenchPipelines.Handle handle;
        CallPipeline pipeline;
        final CallInput[] inputs = new CallInput[RING];
        int next;

        @Setup(Level.Trial)
        public void open() throws IOException {
            BenchRequests.Shape shape = new BenchRequests.Shape(BenchRequests.SMALL_BYTES);
            for (int i = 0; i < RING; i++) {
                inputs[i] = CallInput.of(BenchRequests.config(CachingStrategy.MEMORY), shape.messages("#" + i + " "));
            }
            BenchPipelines.CountingDispatch dispatch = new BenchPipelines.CountingDispatch(BenchPipelines.NO_OP);
            handle = BenchPipelines.open(BenchPipelines.memoryCache(), dispatch);
            pipeline = handle.pipeline();
            for (int i = 0; i < 2000; i++) {
                Checks.tier(Checks.success(pipeline.call(inputs[i])), null);
            }
            Checks.equal(dispatch.count(), 2000, "dispatches for 2000 distinct requests");
            next = 2000;
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            handle.close();
        }

        CallInput nextInput() {
            CallInput input = inputs[next];
            next = (next + 1) & (RING - 1);
            return input;
        }
    }

    @Benchmark
    public CallResponse l1Hit(L1Hit state) {
        return state.pipeline.call(state.input);
    }

    @Benchmark
    @Threads(2)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public CallResponse l1HitTwoThreads(L1Hit state) {
        return state.pipeline.call(state.input);
    }

    @Benchmark
    public CallResponse noOpDispatchCacheDisabled(NoOpDispatch state) {
        return state.pipeline.call(state.input);
    }

    @Benchmark
    public CallResponse missAndWrite(Churn state) {
        return state.pipeline.call(state.nextInput());
    }
}
