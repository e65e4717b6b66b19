package dev.llmix.pipeline;

import dev.llmix.internal.Deadlines;
import dev.llmix.spi.DispatchFunction;
import dev.llmix.keys.KeyPoolRegistry;
import dev.llmix.limiter.AdaptiveSemaphore;
import dev.llmix.limiter.LimiterRegistry;
import dev.llmix.spi.TransformKwargsCallback;
import dev.llmix.internal.resilience.GlobalConcurrencyLock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the retry loop and its attempts share with their {@link CallPipeline}: options, the dispatch function, the
 * cross-process lock, the per-provider limiters and key pools, the kwargs transforms, and the threads that resume
 * work after a back-off or a permit wait.
 */
final class PipelineRuntime {

    final PipelineConfig config;
    final DispatchFunction dispatch;
    final GlobalConcurrencyLock fileLock;
    final Map<String, TransformKwargsCallback> transforms;
    final KeyPoolRegistry keyPools;
    final LimiterRegistry limiters;
    final ScheduledExecutorService scheduler;
    /** Attempt and stream bounds on {@link #scheduler}, which is woken only for the earliest of them. */
    final Deadlines deadlines;
    final AtomicBoolean closed = new AtomicBoolean();
    /** Key fingerprints for per-key rate budgets, computed once per key (never exposed: keys stay in memory). */
    final Map<String, String> keyFingerprints = new ConcurrentHashMap<>();
    /** The kill switch check of step 1, repeated right before every dispatch. */
    final Runnable killSwitchCheck;
    private final Executor executor;

    PipelineRuntime(PipelineConfig config, DispatchFunction dispatch, GlobalConcurrencyLock fileLock,
            Map<String, TransformKwargsCallback> transforms, KeyPoolRegistry keyPools, LimiterRegistry limiters,
            ScheduledExecutorService scheduler, Executor executor, Runnable killSwitchCheck) {
        this.config = config;
        this.keyPools = keyPools;
        this.limiters = limiters;
        this.dispatch = dispatch;
        this.fileLock = fileLock;
        this.transforms = transforms;
        this.scheduler = scheduler;
        this.deadlines = new Deadlines(scheduler);
        this.executor = executor;
        this.killSwitchCheck = killSwitchCheck;
    }

    /** The provider's limiter, created on first use; one created while the pipeline closes is closed at once. */
    AdaptiveSemaphore semaphoreFor(String provider) {
        return limiters.limiter(provider);
    }

    Executor executor() {
        return executor;
    }

    /** Runs {@code task} on the executor, or inline once the (owned) executor has been shut down. */
    void runOnExecutor(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    long nanoTime() {
        return config.nanoClock().getAsLong();
    }
}
