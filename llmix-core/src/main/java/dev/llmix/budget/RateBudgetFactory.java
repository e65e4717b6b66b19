package dev.llmix.budget;

/**
 * Builds the budget of one scope. The engine supplies a LOCAL factory ({@link BudgetEnvironment#local()}); a fleet
 * implementation supplies its own through {@link RateBudgets.Builder#factory(RateBudgetFactory)} and may fall back to
 * the LOCAL one.
 */
@FunctionalInterface
public interface RateBudgetFactory {

    /** A budget for {@code scope} with {@code limits}, using the pipeline's threads and clock from {@code env}. */
    RateBudget create(BudgetScope scope, BudgetLimits limits, BudgetEnvironment env);
}
