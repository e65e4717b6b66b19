package dev.llmix.budget;

import dev.llmix.LlmixLocalException;

/**
 * A budget cannot grant before the caller's deadline. Local: the provider never saw the request, so it is never
 * retried nor counted against a breaker. The pipeline reports it as its {@code CallTimeoutException} with the message
 * {@code LLM call timed out after <t> s (timeout.totalTime) waiting for rate budget (<id> <dim>)}.
 */
public class BudgetTimeoutException extends LlmixLocalException {

    private static final long serialVersionUID = 1L;

    private final String budgetId;
    private final BudgetDimension dimension;

    /** A timeout of {@code dimension} of the budget {@code budgetId}. */
    public BudgetTimeoutException(String budgetId, BudgetDimension dimension) {
        super("waiting for rate budget (" + budgetId + " " + dimension.id() + ")");
        this.budgetId = budgetId;
        this.dimension = dimension;
    }

    /** The scope id of the budget that could not grant. */
    public String budgetId() {
        return budgetId;
    }

    /** The dimension that could not grant in time. */
    public BudgetDimension dimension() {
        return dimension;
    }
}
