package dev.llmix.fleet;

import java.time.Duration;
import java.util.Objects;

/**
 * Leasing settings of FLEET budgets ({@code llmix.fleet.budgets.*}): how far ahead an instance prefetches at its
 * recent grant rate, and after how long without grants it gives its allowance back (docs/fleet-budgets.md).
 *
 * @param leaseAhead prefetch horizon; zero disables prefetch
 * @param idleReturn idle time after which the allowance returns to the shared bucket
 */
public record FleetBudgetSettings(Duration leaseAhead, Duration idleReturn) {

    /** Defaults: lease-ahead 500 ms, idle return 2 s. */
    public static final FleetBudgetSettings DEFAULTS = new FleetBudgetSettings(Duration.ofMillis(500),
            Duration.ofSeconds(2));

    /** Rejects negative durations and a zero idle return. */
    public FleetBudgetSettings {
        Objects.requireNonNull(leaseAhead, "leaseAhead");
        Objects.requireNonNull(idleReturn, "idleReturn");
        if (leaseAhead.isNegative()) {
            throw new IllegalArgumentException("leaseAhead must be >= 0, got " + leaseAhead);
        }
        if (idleReturn.isNegative() || idleReturn.isZero()) {
            throw new IllegalArgumentException("idleReturn must be > 0, got " + idleReturn);
        }
    }
}
