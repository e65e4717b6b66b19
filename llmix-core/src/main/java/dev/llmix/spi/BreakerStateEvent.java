package dev.llmix.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A circuit breaker moved from one state to another.
 *
 * @param provider the provider the breaker guards
 * @param baseUrl  the effective base URL it guards ({@code ""} for the provider's default)
 * @param from     the state before: {@code CLOSED}, {@code OPEN} or {@code HALF_OPEN}
 * @param to       the state after
 * @param at       when the transition was observed
 */
public record BreakerStateEvent(String provider, String baseUrl, String from, String to, Instant at) {

    public BreakerStateEvent {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(at, "at");
    }
}
