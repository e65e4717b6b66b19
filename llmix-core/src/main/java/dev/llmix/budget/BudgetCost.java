package dev.llmix.budget;

/**
 * What one attempt consumes: one request and its estimated input and output tokens. {@code tpm} is their sum.
 *
 * @param requests     requests ({@code rpm} units), normally 1
 * @param inputTokens  estimated input tokens ({@code itpm})
 * @param outputTokens estimated output tokens ({@code otpm})
 */
public record BudgetCost(long requests, long inputTokens, long outputTokens) {

    /** Nothing: the cost of a call without budgets. */
    public static final BudgetCost ZERO = new BudgetCost(0, 0, 0);

    /** Rejects negative amounts. */
    public BudgetCost {
        if (requests < 0 || inputTokens < 0 || outputTokens < 0) {
            throw new IllegalArgumentException("BudgetCost amounts must be >= 0: requests=" + requests
                    + ", inputTokens=" + inputTokens + ", outputTokens=" + outputTokens);
        }
    }

    /** One request with the given token estimate. */
    public static BudgetCost of(long inputTokens, long outputTokens) {
        return new BudgetCost(1, inputTokens, outputTokens);
    }

    /** Input plus output tokens. */
    public long totalTokens() {
        return inputTokens + outputTokens;
    }

    /** The amount this cost takes from {@code dimension}. */
    public long amount(BudgetDimension dimension) {
        return dimension.of(requests, totalTokens(), inputTokens, outputTokens);
    }
}
