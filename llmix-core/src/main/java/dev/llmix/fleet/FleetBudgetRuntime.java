package dev.llmix.fleet;

import dev.llmix.budget.BudgetDimension;
import dev.llmix.budget.BudgetScope;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What a FLEET budget needs from the fleet runtime (docs/fleet-budgets.md): the shared bucket of each dimension, the
 * health of Redis, a place to report a failed command, and the divisor of the DEGRADED fallback.
 */
public interface FleetBudgetRuntime {

    /** The shared bucket of {@code dimension} of {@code scope}, sized for {@code capacity} refilled at {@code limit}/min. */
    SharedBucket bucket(BudgetScope scope, BudgetDimension dimension, long capacity, long limitPerMinute);

    /** {@code false} while Redis is unusable: budgets then run DEGRADED and issue no Redis command. */
    boolean healthy();

    /** A budget command failed on Redis (connection, timeout, rejection): the runtime marks Redis unhealthy. */
    void failed(Throwable cause);

    /** Divisor of the DEGRADED limits: {@code degraded-instances} if > 0, else the live members last read, else 1. */
    int degradedDivisor();

    /**
     * A provider reported {@code limit} for {@code dimension} of {@code scope}: the fleet's learn rule applies it in
     * Redis time (off the call path). Default: ignored (no fleet configuration).
     */
    default void observe(BudgetScope scope, BudgetDimension dimension, long limit, Duration learnWindow) {
    }

    /** The fleet configuration of {@code scope} last read, or null before the first read (default: never). */
    default @Nullable FleetScopeConfig config(BudgetScope scope) {
        return null;
    }
}
