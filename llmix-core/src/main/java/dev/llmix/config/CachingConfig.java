package dev.llmix.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A preset's {@code caching} block. Only {@code strategy} is read by the pipeline; {@code ttl} (seconds) and
 * {@code maxItems} are validated but not applied per call — the application's one shared cache has its own lifetime
 * and capacity — and loading a preset that sets them logs a warning (docs/presets.md).
 *
 * @param strategy the caching strategy; required
 * @param key      an optional cache namespace hint (informational)
 * @param ttl      time to live in seconds, positive, or {@code null}
 * @param maxItems L1 capacity, positive, or {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CachingConfig(CachingStrategy strategy, @Nullable String key, @Nullable Number ttl,
        @Nullable Integer maxItems) {

    public CachingConfig {
        Objects.requireNonNull(strategy, "caching.strategy is required");
    }

    /** A caching block with only a strategy. */
    public static CachingConfig of(CachingStrategy strategy) {
        return new CachingConfig(strategy, null, null, null);
    }
}
