package dev.llmix.limiter;

import java.util.Objects;

/**
 * A provider's AIMD window changed (shrunk after a 429 or low rate-limit headers, or grew back); handed to the
 * consumers of {@link LimiterRegistry#onWindowChange}.
 *
 * @param provider       the limiter's provider
 * @param previousWindow the window before the change
 * @param window         the window after it
 * @param min            the limiter's floor
 * @param max            the limiter's ceiling
 */
public record LimiterEvent(String provider, int previousWindow, int window, int min, int max) {

    public LimiterEvent {
        Objects.requireNonNull(provider, "provider");
    }

    /** Whether the window got smaller. */
    public boolean shrunk() {
        return window < previousWindow;
    }
}
