package dev.llmix.pipeline;

import dev.llmix.spi.ProviderResult;
import dev.llmix.limiter.AdaptiveSemaphore;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The leader's retry loop (steps 7–16): attempts 0…maxRetries, each behind a limiter permit, with the back-off between
 * them scheduled rather than slept. A failure ends the loop when it is not retryable, when the retries are used up, or
 * when the back-off would end after the call's deadline.
 */
final class RetryLoop {

    private final PipelineRuntime rt;
    private final PreparedCall call;
    private final CompletableFuture<ProviderResult> promise = new CompletableFuture<>();

    private RetryLoop(PipelineRuntime rt, PreparedCall call) {
        this.rt = rt;
        this.call = call;
    }

    /** Starts attempt 0 on the calling thread; the future completes with the result or the final error. */
    static CompletableFuture<ProviderResult> start(PipelineRuntime rt, PreparedCall call) {
        RetryLoop loop = new RetryLoop(rt, call);
        loop.attempt(0);
        return loop.promise;
    }

    private void attempt(int n) {
        CompletableFuture<ProviderResult> outcome;
        try {
            outcome = runAttempt(n);
        } catch (Throwable t) {
            outcome = CompletableFuture.failedFuture(t);
        }
        outcome.whenComplete((result, error) -> {
            if (error == null) {
                promise.complete(result);
            } else {
                afterFailure(n, ErrorClassifier.unwrap(error));
            }
        });
    }

    private void afterFailure(int n, Throwable error) {
        long delayMs = retryDelayMs(n, error);
        reportFailure(n, error, delayMs);
        if (delayMs < 0) {
            promise.completeExceptionally(error);
            return;
        }
        Runnable next = () -> attempt(n + 1);
        if (rt.config.sleeper() != null) {
            try {
                rt.config.sleeper().sleep(delayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                CancellationException cancelled = new CancellationException(
                        "Call interrupted during retry back-off");
                cancelled.initCause(e);
                promise.completeExceptionally(cancelled);
                return;
            }
            next.run();
        } else if (delayMs == 0) {
            // Inline keeps zero-delay retries cheap; deep retry chains hop threads to bound the stack.
            if (n < 8) {
                next.run();
            } else {
                rt.runOnExecutor(next);
            }
        } else {
            try {
                rt.scheduler.schedule(() -> rt.runOnExecutor(next), delayMs, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // The owned scheduler is shut down (pipeline closed): the next attempt fails fast at the limiter.
                rt.runOnExecutor(next);
            }
        }
    }

    /**
     * The back-off before the next attempt, or -1 when this failure is final: not retryable, retries used up, or the
     * back-off would end after the call's deadline.
     */
    private long retryDelayMs(int n, Throwable error) {
        if (n >= rt.config.retryFor(call.config.provider()).maxRetries() || !ErrorClassifier.isRetryable(error)) {
            return -1;
        }
        long delayMs;
        try {
            delayMs = Math.max(0, rt.config.retryFor(call.config.provider()).getDelayMs(n,
                    ErrorClassifier.retryAfterOf(error)));
        } catch (RuntimeException e) {
            return -1;
        }
        long remainingNanos = call.deadlineNanos - rt.nanoTime();
        // No budget left for another attempt after the back-off: the last error is final.
        return remainingNanos <= TimeUnit.MILLISECONDS.toNanos(delayMs) ? -1 : delayMs;
    }

    /** The attempt-failed event and log line (docs/observability.md). */
    private void reportFailure(int n, Throwable error, long delayMs) {
        OperatorEvents.attemptFailed(rt.config.callListener(), "call", call.config, call.baseUrl, n, error, delayMs);
    }

    /**
     * Rate budgets first (provider, then model, bounded by the deadline), then the permit and the attempt body; every
     * grant the attempt did not settle goes back when it ends (docs/rate-limits.md).
     */
    private CompletableFuture<ProviderResult> runAttempt(int n) {
        AttemptBudgets budgets = AttemptBudgets.of(rt, call);
        if (budgets == null) {
            return withPermit(null, n);
        }
        CompletableFuture<Void> granted = budgets.acquireCallBudgets();
        CompletableFuture<ProviderResult> outcome = granted.isDone() && !granted.isCompletedExceptionally()
                ? withPermit(budgets, n)
                : granted.thenCompose(ignored -> withPermit(budgets, n));
        return outcome.whenComplete((result, error) -> budgets.release());
    }

    /** Steps 7–8: take a limiter permit, then run the attempt body; waiting attempts resume on the executor. */
    CompletableFuture<ProviderResult> withPermit(@Nullable AttemptBudgets budgets, int n) {
        AdaptiveSemaphore semaphore = rt.semaphoreFor(call.config.provider());
        CompletableFuture<Void> permit = semaphore.acquireAsync();
        if (permit.isDone()) {
            permit.join();
            return new Attempt(rt, call, semaphore, budgets, this, n).run();
        }
        // Waiting for a permit is bounded by the call's budget: at the deadline the request is withdrawn (a permit
        // that raced with the withdrawal goes back to the limiter).
        long remainingNanos = call.deadlineNanos - rt.nanoTime();
        try {
            ScheduledFuture<?> expiry = rt.scheduler.schedule(() -> semaphore.abandon(permit,
                    new CallTimeoutException("LLM call timed out after " + call.timeoutText
                            + " s (timeout.totalTime) waiting for a concurrency permit")),
                    Math.max(0, remainingNanos), TimeUnit.NANOSECONDS);
            permit.whenComplete((ignored, failure) -> expiry.cancel(false));
        } catch (RejectedExecutionException e) {
            // Scheduler shut down with the pipeline: the closed limiter fails the wait anyway.
        }
        // Resuming on the executor (not on the releasing thread) keeps chains of releases from nesting stacks.
        return permit.thenComposeAsync(ignored -> new Attempt(rt, call, semaphore, budgets, this, n).run(),
                rt::runOnExecutor);
    }
}
