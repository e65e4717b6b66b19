package dev.llmix.budget;

import dev.llmix.LlmixLocalException;

/** An acquisition on a closed budget (or one closed while it waited). Local, like a closed limiter. */
public class RateBudgetClosedException extends LlmixLocalException {

    private static final long serialVersionUID = 1L;

    /** The budget {@code budgetId} is closed. */
    public RateBudgetClosedException(String budgetId) {
        super("Rate budget " + budgetId + " is closed");
    }
}
