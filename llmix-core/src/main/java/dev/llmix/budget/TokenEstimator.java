package dev.llmix.budget;

/**
 * Estimates what an attempt will consume before it is dispatched, from the length of the request's canonical JSON
 * (already written for the cache key, never serialised again) and its output-token cap. Pluggable through
 * {@link RateBudgets.Builder#estimator(TokenEstimator)}.
 */
@FunctionalInterface
public interface TokenEstimator {

    /** Characters per token of the default estimator. */
    double DEFAULT_CHARS_PER_TOKEN = 4.0;

    /** Output tokens assumed when the preset sets no {@code maxOutputTokens}. */
    int DEFAULT_MAX_OUTPUT_TOKENS = 1024;

    /**
     * The cost of one attempt.
     *
     * @param canonicalChars  UTF-16 length of the canonical JSON of the messages plus, when present, provider options,
     *                        response format and tool set
     * @param maxOutputTokens the preset's {@code maxOutputTokens}, 0 when unset
     */
    BudgetCost estimate(long canonicalChars, int maxOutputTokens);

    /** {@code ceil(chars / charsPerToken)} input tokens; output = {@code maxOutputTokens} if > 0, else the default. */
    static TokenEstimator charsPerToken(double charsPerToken, int defaultMaxOutputTokens) {
        if (!(charsPerToken > 0) || Double.isInfinite(charsPerToken)) {
            throw new IllegalArgumentException("charsPerToken must be a finite number > 0, got " + charsPerToken);
        }
        if (defaultMaxOutputTokens < 1) {
            throw new IllegalArgumentException("defaultMaxOutputTokens must be >= 1, got " + defaultMaxOutputTokens);
        }
        return (chars, max) -> BudgetCost.of((long) Math.ceil(chars / charsPerToken),
                max > 0 ? max : defaultMaxOutputTokens);
    }

    /** The estimator with the documented defaults (4.0 characters per token, 1024 output tokens). */
    static TokenEstimator defaults() {
        return charsPerToken(DEFAULT_CHARS_PER_TOKEN, DEFAULT_MAX_OUTPUT_TOKENS);
    }
}
