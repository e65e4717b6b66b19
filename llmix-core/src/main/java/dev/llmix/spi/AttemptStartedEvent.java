package dev.llmix.spi;

import java.util.Objects;

/**
 * An attempt is about to be dispatched to the provider (after its limiter permit and key were taken).
 *
 * @param provider       the preset's provider
 * @param model          the preset's model
 * @param baseUrl        the effective base URL ({@code ""} for the provider's default)
 * @param attempt        0 for the first attempt, then 1, 2, … for retries
 * @param keyFingerprint the fingerprint of the key used (never the key itself; docs/observability.md)
 */
public record AttemptStartedEvent(String provider, String model, String baseUrl, int attempt, String keyFingerprint) {

    public AttemptStartedEvent {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(keyFingerprint, "keyFingerprint");
    }
}
