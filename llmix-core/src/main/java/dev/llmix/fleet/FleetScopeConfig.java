package dev.llmix.fleet;

import dev.llmix.budget.RateLimits;
import java.util.Objects;

/**
 * The fleet's configuration of one budget scope as last read from Redis (docs/fleet-budgets.md): its version, the
 * minimum of the limits the live instances declare, the learned limits, and the effective ones the shared buckets are
 * sized with. A limit of 0 means the dimension is absent (or, for {@code learned}, nothing learned).
 *
 * @param version    configuration version; only a higher one replaces what an instance applied
 * @param configured minimum over the live declarations ({@code cfg})
 * @param learned    smallest valid report still inside its learn window
 * @param effective  {@code min(configured, learned)}
 */
public record FleetScopeConfig(long version, RateLimits configured, RateLimits learned, RateLimits effective) {

    /** Requires every part. */
    public FleetScopeConfig {
        Objects.requireNonNull(configured, "configured");
        Objects.requireNonNull(learned, "learned");
        Objects.requireNonNull(effective, "effective");
    }
}
