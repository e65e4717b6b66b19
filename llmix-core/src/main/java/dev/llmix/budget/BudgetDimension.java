package dev.llmix.budget;

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
}
