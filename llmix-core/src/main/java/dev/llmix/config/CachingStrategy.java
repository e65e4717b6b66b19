package dev.llmix.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The six response-caching strategies a preset may name in {@code caching.strategy}. Three use the LLMix response cache
 * ({@link #MEMORY}, {@link #REDIS}, {@link #REDIS_OR_MEMORY}); three skip it ({@link #NATIVE}, {@link #GATEWAY},
 * {@link #DISABLED}).
 */
public enum CachingStrategy {
    /** Redis L2 required (start-up fails without Redis); L1 in front of it. */
    REDIS("redis"),
    /** Redis L2 when configured, otherwise L1 only. */
    REDIS_OR_MEMORY("redis-or-memory"),
    /** In-process L1 only. */
    MEMORY("memory"),
    /** Provider-side prompt caching; the LLMix response cache is skipped. */
    NATIVE("native"),
    /** A gateway caches responses; the LLMix response cache is skipped. */
    GATEWAY("gateway"),
    /** No response caching (the default when a preset has no {@code caching} block). */
    DISABLED("disabled");

    private final String wireName;

    CachingStrategy(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in {@code .mda} files, registry JSON and properties, e.g. {@code redis-or-memory}. */
    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** True for the strategies that use the LLMix response cache: {@code redis}, {@code redis-or-memory}, {@code memory}. */
    public boolean usesResponseCache() {
        return this == REDIS || this == REDIS_OR_MEMORY || this == MEMORY;
    }

    /** True for {@code native}, {@code gateway} and {@code disabled}: the pipeline does not consult the cache. */
    public boolean skipsCache() {
        return !usesResponseCache();
    }

    /**
     * Parses a wire name exactly ({@code redis-or-memory}); the enum constant name ({@code REDIS_OR_MEMORY}) is accepted
     * as well so that Spring relaxed binding works.
     *
     * @throws IllegalArgumentException for anything else, naming the accepted values
     */
    @JsonCreator
    public static CachingStrategy fromWireName(String name) {
        for (CachingStrategy s : values()) {
            if (s.wireName.equals(name) || s.name().equals(name.toUpperCase(Locale.ROOT).replace('-', '_'))) {
                return s;
            }
        }
        throw new IllegalArgumentException("Unknown caching strategy \"" + name
                + "\"; expected one of native, gateway, disabled, redis, redis-or-memory, memory");
    }

    @Override
    public String toString() {
        return wireName;
    }
}
