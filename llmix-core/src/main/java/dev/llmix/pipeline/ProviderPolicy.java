package dev.llmix.pipeline;

import dev.llmix.limiter.LimiterConfig;
import dev.llmix.resilience.CircuitBreakerConfig;
import org.jspecify.annotations.Nullable;

/**
 * One provider's overrides of the pipeline-wide settings (Spring: {@code llmix.provider.<name>.breaker.*},
 * {@code .limiter.*}, {@code .retry.max-retries}); a null member means "use the global setting".
 *
 * @param breaker    the provider's breaker settings, or null
 * @param limiter    the provider's AIMD window bounds, or null
 * @param maxRetries the provider's retry count, or null
 */
public record ProviderPolicy(@Nullable CircuitBreakerConfig breaker, @Nullable LimiterConfig limiter,
        @Nullable Integer maxRetries) {

    /** No overrides. */
    public static final ProviderPolicy NONE = new ProviderPolicy(null, null, null);

    public ProviderPolicy {
        if (maxRetries != null && maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be >= 0, got " + maxRetries);
        }
    }
}
