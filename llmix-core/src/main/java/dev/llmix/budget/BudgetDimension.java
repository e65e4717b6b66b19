package dev.llmix.budget;

import dev.llmix.spi.LlmUsage;
import java.util.Locale;

/**
 * One rate dimension, per minute. A call consumes from a budget's dimensions in declaration order: requests, then
 * total, input and output tokens.
 */
public enum BudgetDimension {
    /** Requests per minute. */
    RPM,
    /** Input plus output tokens per minute. */
    TPM,
    /** Input tokens per minute. */
    ITPM,
    /** Output tokens per minute. */
    OTPM;

    private final String id = name().toLowerCase(Locale.ROOT);

    /** Lower-case name as used in properties, messages and metric tags ({@code rpm}, {@code tpm}, ...). */
    public String id() {
        return id;
    }

    /** {@code true} for the token dimensions, which use the token burst and are corrected from usage. */
    public boolean isTokens() {
        return this != RPM;
    }

    /** This dimension's value among the four per-dimension values, given in declaration order. */
    public long of(long rpm, long tpm, long itpm, long otpm) {
        switch (this) {
            case RPM:
                return rpm;
            case TPM:
                return tpm;
            case ITPM:
                return itpm;
            default:
                return otpm;
        }
    }

    /**
     * What a call with {@code usage} actually used of this dimension, for settling a grant (docs/rate-limits.md): one
     * request for {@code rpm}; for the total, input + output when the provider reported no total.
     */
    public long usedBy(LlmUsage usage) {
        long in = usage.inputTokens();
        long out = usage.outputTokens();
        return of(1, usage.totalTokens() != 0 ? usage.totalTokens() : in + out, in, out);
    }
}
