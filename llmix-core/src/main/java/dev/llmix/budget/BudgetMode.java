package dev.llmix.budget;

/** How a {@link RateBudget} is enforced: in this JVM, fleet-wide on Redis, or locally while Redis is unusable. */
public enum BudgetMode {
    /** Enforced by this JVM alone; N instances get N times the numbers. */
    LOCAL,
    /** Enforced fleet-wide through a shared store. */
    FLEET,
    /** A fleet budget falling back to local limits while its store is unusable. */
    DEGRADED
}
