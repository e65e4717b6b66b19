package dev.llmix.resilience;

import java.time.Instant;

/**
 * A circuit breaker moved from one state to another (published by {@link CircuitBreakerRegistry} to its event
 * consumers; the metrics and logs of docs/observability.md are built on it).
 *
 * @param provider the provider the breaker guards
 * @param baseUrl  the effective base URL it guards
 * @param from     the state before
 * @param to       the state after
 * @param at       when the transition was observed
 */
public record CircuitBreakerEvent(String provider, String baseUrl, CircuitState from, CircuitState to, Instant at) {
}
