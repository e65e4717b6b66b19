package dev.llmix.spi;

import java.util.Objects;

/**
 * The provider's key pool moved its cursor to the next live key after a 429.
 *
 * @param provider        the provider whose pool rotated
 * @param fromFingerprint the fingerprint of the key that was rate-limited
 * @param toFingerprint   the fingerprint of the key now current (the same one when it is the only live key)
 * @param status          the HTTP status that caused the rotation (429)
 */
public record KeyRotatedEvent(String provider, String fromFingerprint, String toFingerprint, int status) {

    public KeyRotatedEvent {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(fromFingerprint, "fromFingerprint");
        Objects.requireNonNull(toFingerprint, "toFingerprint");
    }
}
