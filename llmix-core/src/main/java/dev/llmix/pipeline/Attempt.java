package dev.llmix.pipeline;

import dev.llmix.internal.Deadlines;
import dev.llmix.spi.CallListener;
import dev.llmix.spi.ProviderTimeoutException;
import dev.llmix.spi.DispatchContext;
import dev.llmix.spi.LlmUsage;
import dev.llmix.spi.ProviderException;
import dev.llmix.spi.ProviderResult;
import dev.llmix.LlmixLocalException;
import dev.llmix.config.LlmConfig;
import dev.llmix.keys.KeyPool;
import dev.llmix.keys.KeyPools;
import dev.llmix.limiter.AdaptiveSemaphore;
import dev.llmix.internal.http.CallerRuns;
import dev.llmix.internal.http.RateLimitHeaders;
import dev.llmix.provider.ProviderKwargs;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * One attempt (steps 7–14) holding one limiter permit: under the cross-process lock it selects a key and builds the
 * kwargs, then dispatches, bounded by the call's deadline, feeds the outcome back to the limiter and the key pool, and
 * releases the permit exactly once, whatever happens.
 */
final class Attempt {
    private final PipelineRuntime rt;
    private final PreparedCall call;
    private final AdaptiveSemaphore semaphore;
    private final @Nullable AttemptBudgets budgets;
    private final RetryLoop loop;
    private final int number;
    private final @Nullable CallListener listener;
    private final CompletableFuture<ProviderResult> out = new CompletableFuture<>();
    /** Set right before the dispatch function is called: from then on the provider may have seen the request. */
    private boolean dispatched;
    private final AtomicBoolean settled = new AtomicBoolean();
    private @Nullable KeyPool pool;
    private @Nullable String key;
    private volatile Deadlines.@Nullable Bound timeoutTask;
    private volatile @Nullable CompletionStage<ProviderResult> dispatchStage;

    Attempt(PipelineRuntime rt, PreparedCall call, AdaptiveSemaphore semaphore, @Nullable AttemptBudgets budgets,
            RetryLoop loop, int number) {
        this.rt = rt;
        this.call = call;
        this.semaphore = semaphore;
        this.budgets = budgets;
        this.loop = loop;
        this.number = number;
        this.listener = rt.config.callListener();
    }

    CompletableFuture<ProviderResult> run() {
        LlmConfig cfg = call.config;
        String provider = cfg.provider();
        try {
            if (rt.nanoTime() - call.deadlineNanos >= 0) {
                // The permit came after the budget ran out: the provider must not see a request nobody awaits.
                throw new CallTimeoutException("LLM call timed out after " + call.timeoutText
                        + " s (timeout.totalTime) before it could be dispatched");
            }
            Map<String, @Nullable Object> kwargs;
            String waitForKey = null;
            rt.fileLock.acquire();
            try {
                KeyPool p = rt.keyPools.pool(provider);
                if (p == null) {
                    throw new MissingKeyPoolException(provider, KeyPools.envPrefix(provider));
                }
                AttemptBudgets b = budgets;
                String k;
                if (b != null && b.hasKeyBudgets()) {
                    k = b.selectKey(p);
                    if (k == null) {
                        // No live key has budget now: wait for the cursor key's budget without lock or permit.
                        waitForKey = p.select();
                        k = waitForKey;
                    }
                } else {
                    k = p.select();
                }
                pool = p;
                key = k;
                kwargs = call.kwargs;
                if (waitForKey == null && kwargs == null) {
                    kwargs = ProviderKwargs.build(cfg, call.messages, call.tools, rt.transforms);
                    call.kwargs = kwargs;
                }
            } finally {
                rt.fileLock.release();
            }
            if (waitForKey != null) {
                return waitForKeyBudget(Objects.requireNonNull(budgets), waitForKey);
            }
            // Again right before the network: a switch engaged while this call waited must stop it here.
            checkKillSwitch();
            OperatorEvents.attemptStarted(listener, cfg, call.baseUrl, number, Objects.requireNonNull(pool),
                    Objects.requireNonNull(key));
            DispatchContext ctx = new DispatchContext(provider, cfg.model(), Objects.requireNonNull(key),
                    call.messages, Objects.requireNonNull(kwargs), cfg);
            dispatched = true;
            CompletionStage<ProviderResult> stage;
            if (call.waitingCaller == Thread.currentThread()) {
                // The caller blocks on this call anyway: an HTTP adapter may run the exchange right here, bounded
                // as the timer below would bound it (docs/performance.md, "Spring AI bridge").
                long remainingNanos = Math.max(0, call.deadlineNanos - rt.nanoTime());
                long attemptNanos = CallTimeouts.attemptNanos(rt.config, remainingNanos);
                CallerRuns.offer(attemptNanos, timeoutMessage(attemptNanos, remainingNanos));
                try {
                    stage = rt.dispatch.dispatch(ctx);
                } finally {
                    CallerRuns.withdraw();
                }
            } else {
                stage = rt.dispatch.dispatch(ctx);
            }
            if (stage == null) {
                throw new NullPointerException("DispatchFunction returned null instead of a CompletionStage");
            }
            dispatchStage = stage;
            stage.whenComplete(this::settle);
            if (!settled.get()) {
                armTimeout();
            }
        } catch (Throwable t) {
            settle(null, t);
        }
        return out;
    }

    /**
     * Gives the permit back, waits for {@code k}'s key budget, then takes a permit again and reruns key selection,
     * which uses {@code k} if it is still alive (no retry is consumed).
     */
    private CompletableFuture<ProviderResult> waitForKeyBudget(AttemptBudgets b, String k) {
        if (settled.compareAndSet(false, true)) {
            semaphore.release();
        }
        b.waitForKey(k).thenCompose(ignored -> loop.withPermit(b, number)).whenComplete((result, error) -> {
            if (error == null) {
                out.complete(result);
            } else {
                out.completeExceptionally(ErrorClassifier.unwrap(error));
            }
        });
        return out;
    }

    private void checkKillSwitch() {
        try {
            rt.killSwitchCheck.run();
        } catch (UncheckedIOException e) {
            // An unreadable switch stops the call, but says nothing about the provider: local, not retried.
            throw new LlmixLocalException("Kill switch unreadable: " + e.getMessage(), e);
        }
    }

    private void armTimeout() {
        long remainingNanos = Math.max(0, call.deadlineNanos - rt.nanoTime());
        long attemptNanos = CallTimeouts.attemptNanos(rt.config, remainingNanos);
        String message = timeoutMessage(attemptNanos, remainingNanos);
        try {
            Deadlines.Bound task = rt.deadlines.after(attemptNanos, () -> timedOut(message));
            timeoutTask = task;
            if (settled.get()) {
                task.cancel();
            }
        } catch (RejectedExecutionException e) {
            // Scheduler shut down with the pipeline: the dispatch runs without a pipeline-side timeout.
        }
    }

    /** Cut by the attempt timeout, the call may still retry within its deadline (docs/pipeline.md, "Timeouts"). */
    private String timeoutMessage(long attemptNanos, long remainingNanos) {
        return attemptNanos < remainingNanos ? CallTimeouts.attemptTimedOut(rt.config)
                : "LLM call timed out after " + call.timeoutText + " s (timeout.totalTime)";
    }

    private void timedOut(String message) {
        if (!settled.compareAndSet(false, true)) {
            return;
        }
        // Abandon the dispatch first (its own completion is ignored now), then settle as a network failure.
        CompletionStage<ProviderResult> stage = dispatchStage;
        if (stage != null) {
            try {
                stage.toCompletableFuture().cancel(true);
            } catch (RuntimeException ignored) {
                // A stage that cannot be converted or cancelled is simply abandoned.
            }
        }
        finish(null, new ProviderTimeoutException(message, null));
    }

    private void settle(@Nullable ProviderResult result, @Nullable Throwable error) {
        if (settled.compareAndSet(false, true)) {
            finish(result, error);
        }
    }

    /** Feedback, permit release and completion; runs once per attempt. */
    private void finish(@Nullable ProviderResult result, @Nullable Throwable error) {
        Deadlines.Bound task = timeoutTask;
        if (task != null) {
            task.cancel();
        }
        Throwable failure = error == null ? null : ErrorClassifier.unwrap(error);
        try {
            if (failure == null && result == null) {
                failure = new NullPointerException("DispatchFunction completed with a null ProviderResult");
            }
            if (failure == null) {
                successFeedback(Objects.requireNonNull(result));
            } else {
                failureFeedback(failure);
            }
            settleBudgets(result, failure);
        } catch (Throwable t) {
            if (failure == null) {
                failure = t;
            }
        } finally {
            semaphore.release();
        }
        if (failure == null) {
            out.complete(result);
        } else {
            out.completeExceptionally(failure);
        }
    }

    /** Settles the attempt's rate-budget grants once its outcome is known (docs/rate-limits.md, "Settling"). */
    private void settleBudgets(@Nullable ProviderResult result, @Nullable Throwable failure) {
        AttemptBudgets b = budgets;
        if (b == null) {
            return;
        }
        if (failure == null && result != null) {
            b.settleSuccess(result.usage() == null ? LlmUsage.ZERO : result.usage(), result.headers());
        } else if (!dispatched || failure == null) {
            b.release();
        } else {
            ErrorClassifier.Kind kind = ErrorClassifier.classify(failure);
            if (kind == ErrorClassifier.Kind.LOCAL || kind == ErrorClassifier.Kind.CANCELLED) {
                b.release();
            } else {
                b.settleFailure(failure);
            }
        }
    }

    private void successFeedback(ProviderResult result) {
        Map<String, String> headers = result.headers();
        RateLimitHeaders.Feedback feedback =
                headers == null || headers.isEmpty() ? null
                        : RateLimitHeaders.parse(lowerCaseNames(headers));
        int before = listener == null ? 0 : semaphore.window();
        if (feedback != null) {
            semaphore.onHeaderFeedback(feedback.remaining(), feedback.limit());
        } else {
            semaphore.onSuccess();
        }
        if (listener != null) {
            windowChanged(before, feedback != null ? "headers" : "success");
        }
    }

    private void windowChanged(int before, String cause) {
        OperatorEvents.windowChanged(listener, call.config.provider(), before, semaphore.window(), cause);
    }

    private void failureFeedback(Throwable failure) {
        Integer status = ErrorClassifier.statusOf(failure);
        if (status == null) {
            return;
        }
        int s = status;
        if (s == 429) {
            int before = semaphore.window();
            semaphore.onRateLimit();
            windowChanged(before, "rate_limit");
        }
        KeyPool p = pool;
        String k = key;
        if (p != null && k != null) {
            OperatorEvents.keyFeedback(rt, listener, call.config.provider(), p, k, s, failure);
        }
    }

    private static Map<String, String> lowerCaseNames(Map<String, String> headers) {
        boolean allLower = true;
        for (String name : headers.keySet()) {
            if (!name.equals(name.toLowerCase(Locale.ROOT))) {
                allLower = false;
                break;
            }
        }
        if (allLower) {
            return headers;
        }
        Map<String, String> lower = new HashMap<>();
        headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        return lower;
    }
}
