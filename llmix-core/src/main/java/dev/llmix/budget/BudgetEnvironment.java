package dev.llmix.budget;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;

/**
 * What the pipeline lends its budgets: the scheduler for delayed grants, the executor acquisitions complete on, the
 * nano clock deadlines are measured with, the listener for grants and rejections, and the engine's LOCAL factory.
 *
 * @param scheduler schedules delayed grants and deadline expiries
 * @param executor  completes acquisitions
 * @param nanoClock the pipeline's nano clock (injectable in tests)
 * @param listener  receives grants and rejections
 * @param local     the engine's LOCAL budget factory
 */
public record BudgetEnvironment(ScheduledExecutorService scheduler, Executor executor, LongSupplier nanoClock,
        BudgetListener listener, RateBudgetFactory local) {

    /** Requires every part. */
    public BudgetEnvironment {
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(nanoClock, "nanoClock");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(local, "local");
    }
}
