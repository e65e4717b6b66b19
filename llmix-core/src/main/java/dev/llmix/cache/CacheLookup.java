package dev.llmix.cache;

import dev.llmix.spi.CacheHitTier;
import java.util.Objects;

/**
 * A response-cache hit: the cached raw response text and the tier that served it.
 *
 * @param value the cached text, exactly as written (thinking blocks included)
 * @param tier  {@link CacheHitTier#L1} or {@link CacheHitTier#L2}
 */
public record CacheLookup(String value, CacheHitTier tier) {

    public CacheLookup {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(tier, "tier");
    }
}
