package dev.llmix.resilience;

/** The three states of a {@link CircuitBreaker}; {@link #name()} gives exactly the reference's string values. */
public enum CircuitState {
    /** Calls flow; retryable failures are counted. */
    CLOSED,
    /** Calls are rejected until the cooldown has elapsed. */
    OPEN,
    /** A bounded number of probe calls decide whether to close or re-open. */
    HALF_OPEN
}
