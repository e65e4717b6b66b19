package dev.llmix.spi;

import org.jspecify.annotations.Nullable;

/**
 * Observes pipeline calls, for metrics and tracing: told when each call starts (on the caller's thread) and when its
 * response is ready, and of the operator events in between (attempts, key rotation and death, breaker and limiter
 * changes, budget waits; docs/observability.md). Exceptions thrown by a listener are swallowed and never affect the
 * call. Without a listener the pipeline does no extra work. Every event method has an empty default, so listeners
 * written for fewer events keep compiling.
 */
public interface CallListener {

    /**
     * A call is starting, on the caller's thread (so a tracing context of the caller is visible here).
     *
     * @return a per-call object handed back to {@link #callFinished}, e.g. a started observation; may be {@code null}
     */
    default @Nullable Object callStarted(CallInput input) {
        return null;
    }

    /**
     * A call's response is ready. Runs on the thread that completed the call (the caller's for cache hits and early
     * refusals, a pipeline thread otherwise); keep it short.
     *
     * @param context what {@link #callStarted} returned
     */
    void callFinished(CallEvent event, @Nullable Object context);

    /**
     * A call moved to the next alternative of its fallback chain (docs/providers.md). Called on the thread that saw
     * the failure, between the {@link #callFinished} of the failed try and the {@link #callStarted} of the next one.
     */
    default void fallback(FallbackEvent event) {
    }

    /** An attempt is about to be dispatched. Runs on the attempt's thread; keep it short. */
    default void attemptStarted(AttemptStartedEvent event) {
    }

    /** An attempt failed; {@link AttemptFailedEvent#retryDelay()} says whether and when another follows. */
    default void attemptFailed(AttemptFailedEvent event) {
    }

    /** A 429 moved the provider's key pool to its next live key. */
    default void keyRotated(KeyRotatedEvent event) {
    }

    /** A 401/403 marked a key dead. */
    default void keyMarkedDead(KeyDeadEvent event) {
    }

    /** A circuit breaker changed state (also for resets from the Actuator endpoint). */
    default void breakerStateChanged(BreakerStateEvent event) {
    }

    /** A provider's AIMD limiter window changed. */
    default void limiterWindowChanged(LimiterWindowEvent event) {
    }

    /** A rate budget granted or refused a reservation after a wait. */
    default void budgetWaited(BudgetWaitEvent event) {
    }
}
