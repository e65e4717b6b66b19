package dev.llmix.keys;

import java.util.Objects;

/**
 * A key of a provider's pool was marked dead (after a 401/403); handed to the consumers of
 * {@link KeyPoolRegistry#onKeyDead}. Carries the key only masked.
 *
 * @param provider  the pool's provider
 * @param maskedKey the dead key, masked ({@code sk-…abcd})
 * @param alive     keys still alive after this one died ({@code 0}: the pool is exhausted)
 * @param total     keys in the pool
 */
public record KeyPoolEvent(String provider, String maskedKey, int alive, int total) {

    public KeyPoolEvent {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(maskedKey, "maskedKey");
    }

    /** Whether no key of the pool is alive any more. */
    public boolean exhausted() {
        return alive == 0;
    }
}
