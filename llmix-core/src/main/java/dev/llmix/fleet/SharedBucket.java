package dev.llmix.fleet;

import java.util.concurrent.CompletableFuture;

/**
 * The fleet-wide token bucket of one budget dimension, as the leased allowance sees it: one reservation per top-up,
 * and the returns of an idle instance. The production implementation is {@link Bucket4jSharedBucket}
 * (docs/fleet-budgets.md).
 */
public interface SharedBucket {

    /**
     * Reserves {@code tokens} in arrival order; completes {@code true} once they are available (at once, or after the
     * scheduled delay when they lie in the future), {@code false} at once when they cannot be supplied within
     * {@code maxWaitNanos} (nothing is reserved then), exceptionally when Redis fails.
     */
    CompletableFuture<Boolean> reserve(long tokens, long maxWaitNanos);

    /** Gives unused tokens back (capped at the capacity by the bucket). */
    CompletableFuture<?> give(long tokens);

    /** Takes tokens without waiting, possibly into debt: repays an allowance that went negative. */
    CompletableFuture<?> takeIgnoringLimits(long tokens);

    /** Tokens available in the shared bucket now (an Actuator read, not used on the call path). */
    CompletableFuture<Long> available();
}
