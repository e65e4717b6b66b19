package dev.llmix.budget;

import dev.llmix.spi.LlmUsage;

/**
 * Units taken from one {@link RateBudget} for one attempt. Settled exactly once by one of the three methods; later
 * calls are ignored (docs/rate-limits.md, "Settling").
 */
public interface BudgetGrant {

    /** A grant that holds nothing; settling it does nothing. */
    BudgetGrant NONE = new BudgetGrant() {
        @Override
        public void settleSuccess(LlmUsage usage) {
        }

        @Override
        public void settleFailure(boolean providerAnswered) {
        }

        @Override
        public void release() {
        }

        @Override
        public long waitNanos() {
            return 0;
        }
    };

    /**
     * The attempt succeeded: requests are kept, token dimensions are corrected to {@code usage} (a positive delta is
     * consumed without waiting and may go into debt, a negative one refunded; all-zero usage leaves the estimate).
     */
    void settleSuccess(LlmUsage usage);

    /**
     * The attempt was dispatched and failed. {@code providerAnswered}: the provider answered with a status (429
     * included), so requests are kept and tokens refunded; otherwise (network error, dispatch timeout) both are kept.
     */
    void settleFailure(boolean providerAnswered);

    /** The attempt was never dispatched (deadline, kill switch, permit timeout, no key, cancel): refund everything. */
    void release();

    /** Nanoseconds the acquisition waited between the request and the grant (0 when granted at once). */
    long waitNanos();
}
