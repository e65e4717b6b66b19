package dev.llmix.spi;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * Token usage reported by the provider for one call.
 *
 * @param inputTokens       prompt tokens
 * @param outputTokens      completion tokens
 * @param totalTokens       total tokens
 * @param cachedInputTokens prompt tokens served from the provider's prompt cache, when the provider reports them
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LlmUsage(long inputTokens, long outputTokens, long totalTokens, @Nullable Long cachedInputTokens) {

    /** All counters zero: the usage of a failed call and of a cache hit. */
    public static final LlmUsage ZERO = new LlmUsage(0, 0, 0, null);

    /** Usage without a cached-input figure. */
    public static LlmUsage of(long inputTokens, long outputTokens, long totalTokens) {
        return new LlmUsage(inputTokens, outputTokens, totalTokens, null);
    }
}
