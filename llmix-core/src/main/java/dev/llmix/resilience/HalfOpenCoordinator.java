package dev.llmix.resilience;

/**
 * Takes HALF_OPEN decisions away from a {@link CircuitBreaker} so that several instances decide one episode together
 * (shared breakers, docs/fleet.md). Unset, a breaker decides alone. Called outside the breaker's lock.
 */
public interface HalfOpenCoordinator {

    /**
     * Called after the breaker admitted a HALF_OPEN probe locally.
     *
     * @return false to reject the call: the breaker withdraws the admission and throws {@link CircuitOpenException}
     */
    boolean admit(CircuitBreaker breaker);

    /** An admitted probe's outcome: {@code ok} for an answer, false for a retryable failure or a cancelled probe. */
    void report(CircuitBreaker breaker, boolean ok);

    /** True while the coordinator decides episodes (local HALF_OPEN evaluation is then off). */
    boolean delegating();

    /**
     * True while the coordinator decides {@code breaker}'s current episode; by default {@link #delegating()}. A
     * coordinator may leave an episode it never saw begin (one admitted while it could not coordinate) to the breaker.
     */
    default boolean delegating(CircuitBreaker breaker) {
        return delegating();
    }
}
