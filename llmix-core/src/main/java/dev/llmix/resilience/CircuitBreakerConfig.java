package dev.llmix.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link CircuitBreaker}: consecutive retryable failures that open it, how long it stays OPEN before
 * probing, and how many probes a HALF_OPEN episode admits. Thresholds below 1 are normalised to 1: a
 * threshold of 0 would already behave as 1, and 0 permitted probes would wedge the breaker in HALF_OPEN.
 *
 * @param failureThreshold consecutive retryable failures that open a CLOSED breaker (values &lt; 1 become 1)
 * @param cooldown time OPEN before the next state read turns it HALF_OPEN; must not be negative
 * @param permittedHalfOpenCalls probes per HALF_OPEN episode and outcomes needed to decide (values &lt; 1 become 1)
 */
public record CircuitBreakerConfig(int failureThreshold, Duration cooldown, int permittedHalfOpenCalls) {

    /** The defaults: 3 failures, 30 s cooldown, 10 half-open probes. */
    public static final CircuitBreakerConfig DEFAULT = new CircuitBreakerConfig(3, Duration.ofSeconds(30), 10);

    public CircuitBreakerConfig {
        Objects.requireNonNull(cooldown, "cooldown");
        if (cooldown.isNegative()) {
            throw new IllegalArgumentException("cooldown must not be negative, got " + cooldown);
        }
        failureThreshold = Math.max(1, failureThreshold);
        permittedHalfOpenCalls = Math.max(1, permittedHalfOpenCalls);
    }
}
