package dev.llmix.config.registry;

import java.time.Clock;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link ConfigRegistryManager} opens and watches a registry.
 *
 * @param signedRoot      signed-root verification, or null for unsigned mode
 * @param clock           the clock for reload timestamps
 * @param refreshInterval period of an optional background refresh (a daemon thread the manager owns), or null
 *                        for none: every {@code getPreset} call checks {@code current.json} anyway
 */
public record ConfigRegistryOpenOptions(@Nullable RegistryRootVerificationOptions signedRoot, Clock clock,
        @Nullable Duration refreshInterval) {

    /** Unsigned mode, system clock, no background refresh. */
    public static final ConfigRegistryOpenOptions DEFAULTS = builder().build();

    public ConfigRegistryOpenOptions {
        if (refreshInterval != null && (refreshInterval.isNegative() || refreshInterval.isZero())) {
            throw new IllegalArgumentException("refreshInterval must be positive, got " + refreshInterval);
        }
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder for {@link ConfigRegistryOpenOptions}. */
    public static final class Builder {
        private @Nullable RegistryRootVerificationOptions signedRoot;
        private Clock clock = Clock.systemUTC();
        private @Nullable Duration refreshInterval;

        private Builder() {
        }

        public Builder signedRoot(@Nullable RegistryRootVerificationOptions v) { signedRoot = v; return this; }
        public Builder clock(Clock v) { clock = v; return this; }
        public Builder refreshInterval(@Nullable Duration v) { refreshInterval = v; return this; }

        public ConfigRegistryOpenOptions build() {
            return new ConfigRegistryOpenOptions(signedRoot, clock, refreshInterval);
        }
    }
}
