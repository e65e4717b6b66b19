package dev.llmix.budget;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Rate caps of one provider (the presets' provider name): its own limits, per-model limits, limits applied to each
 * key of its pool, the bursts and whether to learn from headers.
 *
 * @param limits       provider-scope limits
 * @param models       model-scope limits by model name
 * @param perKey       limits applied to each key of the provider's pool
 * @param requestBurst burst of request buckets
 * @param tokenBurst   burst of token buckets
 * @param learn        adopt lower limits reported by the provider
 */
public record ProviderRateLimits(RateLimits limits, Map<String, RateLimits> models, RateLimits perKey,
        Duration requestBurst, Duration tokenBurst, boolean learn) {

    /** Copies the model map (keeping its order). */
    public ProviderRateLimits {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(perKey, "perKey");
        Objects.requireNonNull(requestBurst, "requestBurst");
        Objects.requireNonNull(tokenBurst, "tokenBurst");
        models = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(models));
    }

    /** Provider-scope limits only, default bursts, learning on. */
    public static ProviderRateLimits of(RateLimits limits) {
        return new ProviderRateLimits(limits, Map.of(), RateLimits.NONE, BudgetLimits.DEFAULT_REQUEST_BURST,
                BudgetLimits.DEFAULT_TOKEN_BURST, true);
    }

    /** A copy with {@code model} limited by {@code modelLimits}. */
    public ProviderRateLimits withModel(String model, RateLimits modelLimits) {
        Map<String, RateLimits> m = new LinkedHashMap<>(models);
        m.put(model, modelLimits);
        return new ProviderRateLimits(limits, m, perKey, requestBurst, tokenBurst, learn);
    }

    /** A copy with per-key limits. */
    public ProviderRateLimits withPerKey(RateLimits keyLimits) {
        return new ProviderRateLimits(limits, models, keyLimits, requestBurst, tokenBurst, learn);
    }

    /** A copy with learning switched on or off. */
    public ProviderRateLimits withLearn(boolean on) {
        return new ProviderRateLimits(limits, models, perKey, requestBurst, tokenBurst, on);
    }

    /** A copy with other bursts. */
    public ProviderRateLimits withBursts(Duration request, Duration token) {
        return new ProviderRateLimits(limits, models, perKey, request, token, learn);
    }
}
