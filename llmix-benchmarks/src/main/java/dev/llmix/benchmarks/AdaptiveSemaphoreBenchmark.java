package dev.llmix.benchmarks;

import dev.llmix.limiter.AdaptiveSemaphore;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * AIMD limiter: one blocking acquire plus release, the pair every pipeline attempt performs. Uncontended is one
 * thread with a roomy window; "contended" is two threads racing for the same lock with a roomy window; "saturated"
 * is four threads on a window of two, so half the acquisitions queue and are handed over by a release.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AdaptiveSemaphoreBenchmark {

    /** A semaphore with the pipeline's default window of 32. */
    @State(Scope.Benchmark)
    public static class Roomy {
        final AdaptiveSemaphore semaphore = new AdaptiveSemaphore();

        @TearDown
        public void close() {
            semaphore.close();
        }
    }

    /** A semaphore with a window of two, smaller than the number of benchmark threads. */
    @State(Scope.Benchmark)
    public static class Tight {
        final AdaptiveSemaphore semaphore = new AdaptiveSemaphore(2, 1);

        @TearDown
        public void close() {
            semaphore.close();
        }
    }

    @Benchmark
    @Threads(1)
    public void acquireReleaseUncontended(Roomy state) throws InterruptedException {
        state.semaphore.acquire();
        state.semaphore.release();
    }

    @Benchmark
    @Threads(2)
    public void acquireReleaseContended(Roomy state) throws InterruptedException {
        state.semaphore.acquire();
        state.semaphore.release();
    }

    @Benchmark
    @Threads(4)
    public void acquireReleaseSaturated(Tight state) throws InterruptedException {
        state.semaphore.acquire();
        state.semaphore.release();
    }
}
