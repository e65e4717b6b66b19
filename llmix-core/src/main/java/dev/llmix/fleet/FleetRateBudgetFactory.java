package dev.llmix.fleet;

import dev.llmix.budget.BudgetEnvironment;
import dev.llmix.budget.BudgetLimits;
import dev.llmix.budget.BudgetScope;
import dev.llmix.budget.RateBudget;
import dev.llmix.budget.RateBudgetFactory;
import java.util.Objects;

/**
 * Builds FLEET budgets for a {@code RateBudgets} registry ({@code RateBudgets.Builder#factory}): every scope gets a
 * {@link FleetRateBudget} on the fleet runtime's shared buckets (docs/fleet-budgets.md).
 */
public final class FleetRateBudgetFactory implements RateBudgetFactory {

    private final FleetBudgetRuntime runtime;
    private final FleetBudgetSettings settings;

    /** A factory on {@code runtime} with the leasing {@code settings}. */
    public FleetRateBudgetFactory(FleetBudgetRuntime runtime, FleetBudgetSettings settings) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public RateBudget create(BudgetScope scope, BudgetLimits limits, BudgetEnvironment env) {
        return new FleetRateBudget(scope, limits, env, runtime, settings);
    }
}
