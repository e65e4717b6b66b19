package dev.llmix.pipeline;

import dev.llmix.spi.CacheHitTier;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One provider tried by a call with a fallback chain (docs/providers.md, "Fallback chains"): which provider and model
 * were asked and how that try ended.
 *
 * @param provider the provider of this try, e.g. {@code openai}
 * @param model    the model of this try (the configured one, not the provider-reported name)
 * @param success  whether this try produced the answer
 * @param cacheHit the cache tier that answered this try, or {@code null} for a fresh answer or a failure
 * @param failure  why this try failed, or {@code null} when it succeeded
 */
public record CallAttempt(String provider, String model, boolean success, @Nullable CacheHitTier cacheHit,
        @Nullable CallFailureType failure) {

    public CallAttempt {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
    }

    /** The try that {@code response} reports. */
    public static CallAttempt of(CallResponse response) {
        CallFailure f = response.callFailure();
        return new CallAttempt(response.provider(), response.model(), response.success(), response.cacheHit(),
                response.success() ? null : f == null ? CallFailureType.INVALID_REQUEST : f.type());
    }

    /** A low-cardinality word for logs and metric tags: {@code success}, {@code cache_hit} or the failure type. */
    public String outcome() {
        if (success) {
            return cacheHit == null ? "success" : "cache_hit";
        }
        return failure == null ? "failure" : failure.name().toLowerCase(java.util.Locale.ROOT);
    }
}
