package dev.llmix.budget;

/**
 * Receives every grant and rejection of the budgets of one {@link RateBudgets} registry, e.g. to record the
 * {@code llmix.budget.wait} timer and {@code llmix.budget.rejected} counter. Called on the granting thread: keep it
 * cheap and non-blocking.
 */
public interface BudgetListener {

    /** Ignores everything. */
    BudgetListener NOOP = new BudgetListener() {
    };

    /** A grant after {@code waitNanos} (0 when immediate); {@code dimension} is the one that made it wait. */
    default void onGrant(RateBudget budget, BudgetDimension dimension, long waitNanos) {
    }

    /** A rejection; {@code reason} is {@code deadline} or {@code closed}. */
    default void onReject(RateBudget budget, BudgetDimension dimension, String reason) {
    }
}
