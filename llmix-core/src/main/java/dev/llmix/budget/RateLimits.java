package dev.llmix.budget;

/**
 * Configured per-minute limits of one scope; 0 means the dimension is absent.
 *
 * @param rpm  requests per minute
 * @param tpm  input plus output tokens per minute
 * @param itpm input tokens per minute
 * @param otpm output tokens per minute
 */
public record RateLimits(long rpm, long tpm, long itpm, long otpm) {

    /** No dimension configured. */
    public static final RateLimits NONE = new RateLimits(0, 0, 0, 0);

    /** Rejects negative limits. */
    public RateLimits {
        if (rpm < 0 || tpm < 0 || itpm < 0 || otpm < 0) {
            throw new IllegalArgumentException("rate limits must be >= 0 (0 = unset): rpm=" + rpm + ", tpm=" + tpm
                    + ", itpm=" + itpm + ", otpm=" + otpm);
        }
    }

    /** Only a request limit. */
    public static RateLimits rpm(long rpm) {
        return new RateLimits(rpm, 0, 0, 0);
    }

    /** Request and total-token limits. */
    public static RateLimits of(long rpm, long tpm) {
        return new RateLimits(rpm, tpm, 0, 0);
    }

    /** The limit of {@code dimension}, 0 when absent. */
    public long limit(BudgetDimension dimension) {
        return dimension.of(rpm, tpm, itpm, otpm);
    }

    /** {@code true} when no dimension is configured. */
    public boolean isEmpty() {
        return rpm == 0 && tpm == 0 && itpm == 0 && otpm == 0;
    }
}
