package dev.llmix.spi;

import dev.llmix.config.LlmConfig;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link CallListener} learns when a call ends: the preset, the effective base URL, the outcome, the cache tier
 * that served it, the provider's token usage, the elapsed time, and the failure (if any).
 *
 * @param config        the call's preset
 * @param baseUrl       the effective base URL ({@code ""} for the provider's default, or when it could not be computed)
 * @param outcome       how the call ended
 * @param cacheHit      the cache tier that served the call, or {@code null} for a fresh call or a failure
 * @param cacheLookedUp whether the response cache was consulted (true for hits and misses; false when the preset
 *                      skips the cache, the pipeline has none, or the call was refused before the lookup)
 * @param usage         token usage; zero for failures and cache hits
 * @param durationNanos time from the call's start to its response, by the pipeline's nano clock
 * @param error         the failure behind an unsuccessful response, or {@code null} on success
 * @param streamed      whether this was a streamed call ({@link CallPipeline#stream})
 * @param timeToFirstChunkNanos for a stream, the time from its start to its first delivered chunk; {@code -1} when
 *                      none was delivered or for a call
 * @param chunks        for a stream, the non-{@code done} chunks delivered; {@code 0} for a call
 * @param responseModel the provider-reported model of a fresh success, else {@code null}
 * @param cost          what a fresh success cost, or {@code null} when nothing was billed or the model has no price
 * @param savedUsd      for a cache hit, the cost the hit saved (docs/cost.md); {@code 0} otherwise
 */
public record CallEvent(LlmConfig config, String baseUrl, CallOutcome outcome, @Nullable CacheHitTier cacheHit,
        boolean cacheLookedUp, LlmUsage usage, long durationNanos, @Nullable Throwable error, boolean streamed,
        long timeToFirstChunkNanos, long chunks, @Nullable String responseModel, @Nullable CallCost cost,
        double savedUsd) {

    public CallEvent {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(usage, "usage");
    }

    /** An event without response model, cost or savings. */
    public CallEvent(LlmConfig config, String baseUrl, CallOutcome outcome, @Nullable CacheHitTier cacheHit,
            boolean cacheLookedUp, LlmUsage usage, long durationNanos, @Nullable Throwable error, boolean streamed,
            long timeToFirstChunkNanos, long chunks) {
        this(config, baseUrl, outcome, cacheHit, cacheLookedUp, usage, durationNanos, error, streamed,
                timeToFirstChunkNanos, chunks, null, null, 0);
    }

    /** The event of a non-streamed call. */
    public CallEvent(LlmConfig config, String baseUrl, CallOutcome outcome, @Nullable CacheHitTier cacheHit,
            boolean cacheLookedUp, LlmUsage usage, long durationNanos, @Nullable Throwable error) {
        this(config, baseUrl, outcome, cacheHit, cacheLookedUp, usage, durationNanos, error, false, -1, 0);
    }

    /** The preset's provider. */
    public String provider() {
        return config.provider();
    }

    /** The preset's model (not the provider-reported one, which may carry a version suffix). */
    public String model() {
        return config.model();
    }
}
