package dev.llmix.benchmarks;

import dev.llmix.config.CachingStrategy;
import dev.llmix.spi.CallInput;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.spi.DispatchFunction;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * Singleflight under a burst: 1,000 identical calls arrive together while the provider takes 50 ms, with caching
 * disabled so only singleflight can deduplicate. Each iteration is one burst; the score is its wall time (from
 * releasing the callers to the last response) and the {@code dispatches} counter is how many provider calls it
 * caused, which must be exactly one per burst. Two shapes of caller: 1,000 blocked platform threads calling
 * {@code call} (a servlet container under a thundering herd) and 1,000 {@code callAsync} calls from one thread.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 10)
@Fork(1)
public class SingleflightBenchmark {

    static final int CALLERS = 1000;
    static final long DISPATCH_MS = 50;
    static final int WARM_UP_CALLS = 50_000;

    /** The pipeline, with a dispatch that answers after 50 ms without holding a thread. */
    @State(Scope.Benchmark)
    public static class Burst {
        private static final Executor LATER = CompletableFuture.delayedExecutor(DISPATCH_MS, TimeUnit.MILLISECONDS);

        final BenchPipelines.CountingDispatch dispatch = new BenchPipelines.CountingDispatch(slowDispatch());
        final CallInput input = CallInput.of(BenchRequests.config(CachingStrategy.DISABLED),
                BenchRequests.messages(BenchRequests.SMALL_BYTES));
        BenchPipelines.Handle handle;

        private static DispatchFunction slowDispatch() {
            return context -> CompletableFuture.supplyAsync(() -> BenchPipelines.ANSWER, LATER);
        }

        @Setup(Level.Trial)
        public void open() throws IOException {
            // A single-shot run has too few calls to get the call path compiled; a burst measured in the interpreter
            // would straggle past the 50 ms window. Warm the same code up on a pipeline with an instant dispatch.
            try (BenchPipelines.Handle warm = BenchPipelines.open(null, BenchPipelines.NO_OP)) {
                for (int i = 0; i < WARM_UP_CALLS; i++) {
                    Checks.success(i % 2 == 0 ? warm.pipeline().call(input) : warm.pipeline().callAsync(input).join());
                }
            }
            handle = BenchPipelines.open(null, dispatch);
            Checks.success(handle.pipeline().call(input));
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            handle.close();
        }
    }

    /**
     * 1,000 started platform threads, parked until released. The release unparks each thread directly: a
     * {@code CountDownLatch} would wake them as a chain (each woken thread wakes the next), which measures the
     * scheduler's hand-off latency a thousand times over rather than the pipeline.
     */
    @State(Scope.Thread)
    public static class Herd {
        volatile boolean go;
        CountDownLatch finished = new CountDownLatch(CALLERS);
        final List<Thread> threads = new ArrayList<>(CALLERS);
        final AtomicReference<String> failure = new AtomicReference<>();

        @Setup(Level.Invocation)
        public void park(Burst burst) throws InterruptedException {
            go = false;
            finished = new CountDownLatch(CALLERS);
            CountDownLatch parked = new CountDownLatch(CALLERS);
            threads.clear();
            for (int i = 0; i < CALLERS; i++) {
                CountDownLatch myFinished = finished;
                Thread thread = new Thread(null, () -> {
                    parked.countDown();
                    try {
                        while (!go) {
                            LockSupport.park(this);
                        }
                        CallResponse response = burst.handle.pipeline().call(burst.input);
                        if (!response.success()) {
                            failure.compareAndSet(null, response.error());
                        }
                    } finally {
                        myFinished.countDown();
                    }
                }, "herd-" + i, 256 * 1024);
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
            parked.await();
            burst.dispatch.reset();
        }

        void release() {
            go = true;
            for (Thread thread : threads) {
                LockSupport.unpark(thread);
            }
        }

        @TearDown(Level.Invocation)
        public void join() throws InterruptedException {
            for (Thread thread : threads) {
                thread.join();
            }
            String error = failure.getAndSet(null);
            if (error != null) {
                throw new IllegalStateException("A herd call failed: " + error);
            }
        }
    }

    /** Provider calls per burst, reported beside the wall time. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Dispatches {
        public long dispatches;

        @Setup(Level.Iteration)
        public void reset() {
            dispatches = 0;
        }
    }

    /** The async burst's own reset of the dispatch counter. */
    @State(Scope.Thread)
    public static class AsyncBurst {
        @Setup(Level.Invocation)
        public void reset(Burst burst) {
            burst.dispatch.reset();
        }
    }

    @Benchmark
    public void thousandBlockingCallers(Burst burst, Herd herd, Dispatches counters) throws InterruptedException {
        herd.release();
        herd.finished.await();
        counters.dispatches += burst.dispatch.count();
    }

    @Benchmark
    public void thousandAsyncCalls(Burst burst, AsyncBurst reset, Dispatches counters) {
        @SuppressWarnings("unchecked")
        CompletableFuture<CallResponse>[] calls = new CompletableFuture[CALLERS];
        for (int i = 0; i < CALLERS; i++) {
            calls[i] = burst.handle.pipeline().callAsync(burst.input);
        }
        CompletableFuture.allOf(calls).join();
        for (CompletableFuture<CallResponse> call : calls) {
            Checks.success(call.join());
        }
        counters.dispatches += burst.dispatch.count();
    }
}
