package dev.llmix.resilience;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A consistent read of a {@link CircuitBreaker}'s state and counters, for health endpoints, metrics and tests.
 *
 * @param provider the provider the breaker guards
 * @param baseUrl the base URL the breaker guards
 * @param state the state (reading it may have moved OPEN to HALF_OPEN)
 * @param consecutiveFailures consecutive retryable failures counted while CLOSED (kept while OPEN/HALF_OPEN)
 * @param cooldownMs the current cooldown; doubles on each re-open up to 300 000 ms, back to base on close
 * @param openedAt wall-clock time the breaker last opened, or {@code null} while CLOSED (informational only)
 * @param halfOpenActive probes admitted in the current (or last) HALF_OPEN episode
 * @param halfOpenSuccesses probe outcomes counted as success in that episode
 * @param halfOpenFailures probe outcomes counted as failure in that episode
 */
public record CircuitBreakerSnapshot(String provider, String baseUrl, CircuitState state, int consecutiveFailures,
        long cooldownMs, @Nullable Instant openedAt, int halfOpenActive, int halfOpenSuccesses, int halfOpenFailures) {
}
