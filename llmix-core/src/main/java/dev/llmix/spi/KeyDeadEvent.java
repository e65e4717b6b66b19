package dev.llmix.spi;

import java.util.Objects;

/**
 * A key was marked dead after the provider rejected it (401/403); the pool skips it until revived.
 *
 * @param provider    the provider whose pool lost the key
 * @param fingerprint the fingerprint of the dead key
 * @param status      the HTTP status that killed it
 * @param aliveKeys   live keys left in the pool
 */
public record KeyDeadEvent(String provider, String fingerprint, int status, int aliveKeys) {

    public KeyDeadEvent {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(fingerprint, "fingerprint");
    }
}
