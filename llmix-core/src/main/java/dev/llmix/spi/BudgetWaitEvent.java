package dev.llmix.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * A rate budget granted (or refused) a reservation after a wait; reported once per grant or rejection.
 *
 * @param budget    the budget's scope id, e.g. {@code p:openai}
 * @param scope     {@code provider}, {@code model} or {@code key}
 * @param dimension the limited dimension, e.g. {@code rpm} or {@code itpm}
 * @param mode      the budget's mode lower-cased: {@code local} or {@code fleet}
 * @param waited    how long the call waited ({@link Duration#ZERO} when granted at once)
 * @param granted   false when the wait ended without a grant (deadline or closed budget)
 */
public record BudgetWaitEvent(String budget, String scope, String dimension, String mode, Duration waited,
        boolean granted) {

    public BudgetWaitEvent {
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(dimension, "dimension");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(waited, "waited");
    }
}
