package dev.llmix.budget;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A rate budget of one scope (provider, model or key): token buckets per configured dimension that an attempt
 * consumes from before dispatch, all dimensions or none, and settles once it knows the outcome (docs/rate-limits.md).
 * Implementations are thread-safe; grants are served in arrival order.
 */
public interface RateBudget {

    /** Scope id, e.g. {@code p:openai}, {@code m:openai/gpt-4.1}, {@code k:openai/f3abf2a6cc4f0098}. */
    String id();

    /** The scope this budget covers. */
    BudgetScope scope();

    /** How the budget is enforced right now. */
    BudgetMode mode();

    /** {@code true} when {@code dimension} is configured on this budget. */
    boolean has(BudgetDimension dimension);

    /**
     * Takes {@code cost} from every configured dimension, waiting if needed until {@code deadlineNanos} (on the
     * pipeline's nano clock). Never blocks and holds no thread while waiting; completes on the pipeline executor.
     * Fails with {@link BudgetTimeoutException} as soon as the grant cannot come in time (or at the deadline if still
     * queued), with {@link RateBudgetClosedException} after {@link #close()}. Cancelling the returned stage withdraws
     * the request; a grant that arrives anyway is released.
     */
    CompletionStage<BudgetGrant> acquire(BudgetCost cost, long deadlineNanos);

    /** Takes {@code cost} only if it is available now; never waits, never touches a remote store. */
    Optional<BudgetGrant> tryAcquire(BudgetCost cost);

    /** Feeds limits reported by the provider to the learning rule; dimensions not configured here are ignored. */
    void observe(RateLimitObservation observation);

    /** Current state for Actuator and tests. */
    RateBudgetSnapshot snapshot();

    /** Fails queued and later acquisitions with {@link RateBudgetClosedException}; idempotent. */
    void close();
}
