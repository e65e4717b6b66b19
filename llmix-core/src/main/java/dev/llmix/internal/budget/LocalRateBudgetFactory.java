package dev.llmix.internal.budget;

import dev.llmix.budget.BudgetEnvironment;
import dev.llmix.budget.BudgetLimits;
import dev.llmix.budget.BudgetMode;
import dev.llmix.budget.BudgetScope;
import dev.llmix.budget.RateBudget;
import dev.llmix.budget.RateBudgetFactory;

/** Creates {@link LocalRateBudget}s: the default factory of a {@code RateBudgets} registry. */
public final class LocalRateBudgetFactory implements RateBudgetFactory {

    /** The shared instance. */
    public static final LocalRateBudgetFactory INSTANCE = new LocalRateBudgetFactory();

    private LocalRateBudgetFactory() {
    }

    @Override
    public RateBudget create(BudgetScope scope, BudgetLimits limits, BudgetEnvironment env) {
        return new LocalRateBudget(scope, limits, env, BudgetMode.LOCAL);
    }
}
