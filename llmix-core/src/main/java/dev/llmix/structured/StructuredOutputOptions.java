package dev.llmix.structured;

/**
 * Options of {@code LlmixClient.callForObject}: how many repair calls follow an answer that is empty, not JSON or does
 * not bind (0, the default, or 1).
 *
 * @param repairAttempts 0 or 1
 */
public record StructuredOutputOptions(int repairAttempts) {

    private static final StructuredOutputOptions DEFAULTS = new StructuredOutputOptions(0);

    public StructuredOutputOptions {
        if (repairAttempts < 0 || repairAttempts > 1) {
            throw new IllegalArgumentException("repairAttempts must be 0 or 1, got " + repairAttempts);
        }
    }

    /** No repair call. */
    public static StructuredOutputOptions defaults() {
        return DEFAULTS;
    }

    /** With {@code n} (0 or 1) repair calls. */
    public static StructuredOutputOptions repairAttempts(int n) {
        return n == 0 ? DEFAULTS : new StructuredOutputOptions(n);
    }
}
