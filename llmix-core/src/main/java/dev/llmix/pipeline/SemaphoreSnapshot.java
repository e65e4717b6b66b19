package dev.llmix.pipeline;

/**
 * A read-only view of one provider's AIMD limiter.
 *
 * @param provider       the provider the limiter belongs to
 * @param window         current window (permits allowed in flight)
 * @param maxConcurrency ceiling of the window
 * @param minConcurrency floor of the window
 * @param inFlight       permits currently held
 * @param waiters        attempts queued for a permit
 * @param closed         whether the limiter was closed with the pipeline
 */
public record SemaphoreSnapshot(String provider, int window, int maxConcurrency, int minConcurrency, int inFlight,
        int waiters, boolean closed) {
}
