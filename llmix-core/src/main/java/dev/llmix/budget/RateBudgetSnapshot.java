package dev.llmix.budget;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Point-in-time view of one budget for Actuator and tests; never key text (key scopes carry fingerprints).
 *
 * @param id         scope id
 * @param mode       how it is enforced now
 * @param version    configuration version (fleet), 0 for LOCAL
 * @param dimensions one entry per configured dimension, in consumption order
 */
public record RateBudgetSnapshot(String id, BudgetMode mode, long version, List<Dimension> dimensions) {

    /** Copies the dimension list. */
    public RateBudgetSnapshot {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(mode, "mode");
        dimensions = List.copyOf(dimensions);
    }

    /**
     * One dimension of a budget.
     *
     * @param dimension       the dimension
     * @param configured      the configured limit of this instance
     * @param fleetConfigured the fleet-wide configured limit (FLEET), else {@code null}
     * @param learned         the learned limit while one is in force, else {@code null}
     * @param effective       {@code min(configured, learned)}
     * @param capacity        bucket capacity at the effective limit
     * @param remaining       LOCAL: permits plus credit; FLEET: bucket tokens; {@code null} when unknown
     * @param allowance       FLEET leased allowance, else {@code null}
     * @param waiting         acquisitions queued on this budget
     */
    public record Dimension(BudgetDimension dimension, long configured, @Nullable Long fleetConfigured,
            @Nullable Long learned, long effective, long capacity, @Nullable Long remaining,
            @Nullable Long allowance, int waiting) {

        /** Requires the dimension. */
        public Dimension {
            Objects.requireNonNull(dimension, "dimension");
        }
    }

    /** The entry of {@code dimension}, or {@code null} when it is not configured. */
    public @Nullable Dimension dimension(BudgetDimension dimension) {
        for (Dimension d : dimensions) {
            if (d.dimension() == dimension) {
                return d;
            }
        }
        return null;
    }
}
