/**
 * Proactive rate budgets (docs/rate-limits.md): the {@link dev.llmix.budget.RateBudget} contract a call consumes from
 * before it reaches a provider, its value types, and the {@link dev.llmix.budget.RateBudgets} registry built from the
 * configured limits. Implementations (LOCAL on Resilience4j, FLEET on Redis) plug in through
 * {@link dev.llmix.budget.RateBudgetFactory}.
 */
@NullMarked
package dev.llmix.budget;

import org.jspecify.annotations.NullMarked;
