package dev.llmix.spi;

import java.util.Objects;

/**
 * The provider's AIMD limiter window changed after an attempt's feedback.
 *
 * @param provider the provider whose limiter changed
 * @param from     the window before
 * @param to       the window after
 * @param cause    {@code success} (additive increase), {@code rate_limit} (a 429 halved it) or {@code headers}
 *                 (rate-limit headers scaled it)
 */
public record LimiterWindowEvent(String provider, int from, int to, String cause) {

    public LimiterWindowEvent {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(cause, "cause");
    }
}
