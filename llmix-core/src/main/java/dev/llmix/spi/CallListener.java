package dev.llmix.spi;

import org.jspecify.annotations.Nullable;

/**
 * Observes pipeline calls, for metrics and tracing: told when each call starts (on the caller's thread) and when its
 * response is ready. Exceptions thrown by a listener are swallowed and never affect the call. Without a listener the
 * pipeline does no extra work.
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
}
