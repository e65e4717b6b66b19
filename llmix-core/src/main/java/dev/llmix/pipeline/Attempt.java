package dev.llmix.pipeline;

import dev.llmix.spi.AttemptStartedEvent;
import dev.llmix.spi.CallListener;
import dev.llmix.spi.KeyDeadEvent;
import dev.llmix.spi.KeyRotatedEvent;
import dev.llmix.spi.LimiterWindowEvent;
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
import dev.llmix.internal.http.RateLimitHeaders;
import dev.llmix.provider.ProviderKwargs;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt (steps 7–14) holding one limiter permit: under the cross-process lock it selects a key and builds the
 * kwargs, then dispatches, bounded by the call's deadline, feeds the outcome back to the limiter and the key pool, and
 * releases the permit exactly once, whatever happens.
 */
final class Attempt {
    private static final Logger LOG = LoggerFactory.getLogger(CallPipeline.class);
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
    private volatile @Nullable Future<?> timeoutTask;
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
            if (listener != null) {
                AttemptStartedEvent started = new AttemptStartedEvent(provider, cfg.model(), call.baseUrl, number,
                        Objects.requireNonNull(pool).fingerprintOf(Objects.requireNonNull(key)));
                ListenerEvents.emit(listener, l -> l.attemptStarted(started));
            }
            DispatchContext ctx = new DispatchContext(provider, cfg.model(), Objects.requireNonNull(key),
                    call.messages, Objects.requireNonNull(kwargs), cfg);
            dispatched = true;
            CompletionStage<ProviderResult> stage = rt.dispatch.dispatch(ctx);
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
        // Cut by the attempt timeout, the call may still retry within its deadline (docs/pipeline.md, "Timeouts").
        String message = attemptNanos < remainingNanos ? CallTimeouts.attemptTimedOut(rt.config)
                : "LLM call timed out after " + call.timeoutText + " s (timeout.totalTime)";
        try {
            Future<?> task = rt.scheduler.schedule(() -> timedOut(message), attemptNanos,
                    TimeUnit.NANOSECONDS);
            timeoutTask = task;
            if (settled.get()) {
                task.cancel(false);
            }
        } catch (RejectedExecutionException e) {
            // Scheduler shut down with the pipeline: the dispatch runs without a pipeline-side timeout.
        }
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
        Future<?> task = timeoutTask;
        if (task != null) {
            task.cancel(false);
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
        int after = semaphore.window();
        if (after != before) {
            if (after < before) {
                LOG.info("LLMix limiter for {}: window {} -> {} ({})", call.config.provider(), before, after, cause);
            } else {
                LOG.debug("LLMix limiter for {}: window {} -> {} ({})", call.config.provider(), before, after, cause);
            }
            if (listener != null) {
                LimiterWindowEvent event = new LimiterWindowEvent(call.config.provider(), before, after, cause);
                ListenerEvents.emit(listener, l -> l.limiterWindowChanged(event));
            }
        }
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
        if (p != null && k != null && (s == 429 || s == 401 || s == 403)) {
            String next = null;
            int aliveBefore = 0;
            int aliveAfter = 0;
            rt.fileLock.acquire();
            try {
                if (s == 429) {
                    KeyCoolDowns.onRateLimited(p, k, failure, rt.config.retryFor(call.config.provider()));
                    p.rotate();
                    next = p.currentFingerprint();
                } else {
                    aliveBefore = p.aliveCount();
                    p.markDead(k);
                    aliveAfter = p.aliveCount();
                }
            } finally {
                rt.fileLock.release();
            }
            // Keys appear by fingerprint only (docs/observability.md).
            String provider = call.config.provider();
            if (s == 429 && next != null) {
                KeyRotatedEvent event = new KeyRotatedEvent(provider, p.fingerprintOf(k), next, s);
                LOG.info("LLMix key pool for {}: key {} rate-limited (429), rotated to {}", provider,
                        event.fromFingerprint(), next);
                ListenerEvents.emit(listener, l -> l.keyRotated(event));
            } else if (s != 429 && aliveAfter < aliveBefore) {
                KeyDeadEvent event = new KeyDeadEvent(provider, p.fingerprintOf(k), s, aliveAfter);
                LOG.warn("LLMix key pool for {}: key {} rejected ({}) and marked dead; {} live key(s) left", provider,
                        event.fingerprint(), s, aliveAfter);
                ListenerEvents.emit(listener, l -> l.keyMarkedDead(event));
            }
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
