package dev.llmix.config.registry;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A point-in-time view of a {@link ConfigRegistryManager} for health endpoints: what is served and how the last
 * reload went. {@code lastReloadError} stays set until the next successful switch.
 *
 * @param activeRevision         the revision being served
 * @param manifestSha256         its manifest digest
 * @param presetCount            number of presets in it
 * @param signed                 whether the registry root is verified
 * @param lastSuccessfulReloadAt when the active revision was installed
 * @param lastReloadFailureAt    when the last failed reload happened, or null
 * @param lastReloadError        the last reload failure, or null
 */
public record ConfigRegistryStatus(String activeRevision, String manifestSha256, int presetCount, boolean signed,
        Instant lastSuccessfulReloadAt, @Nullable Instant lastReloadFailureAt, @Nullable Throwable lastReloadError) {

    /** True while a reload failure is recorded (the registry serves an older revision than the pointer names). */
    public boolean degraded() {
        return lastReloadError != null;
    }
}
