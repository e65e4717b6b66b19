package dev.llmix.spi;

/**
 * An extra kill switch consulted on every call right after the kill switch file (e.g. a fleet-wide switch shared
 * through Redis). It runs on the caller's thread before the cache lookup, so it must be cheap (read a cached flag, no
 * I/O).
 */
@FunctionalInterface
public interface KillSwitchGate {

    /**
     * Refuses the call by throwing when the switch is engaged; throw a
     * {@link dev.llmix.resilience.KillSwitchActiveException} so the call is reported with the kill-switch outcome.
     */
    void check();
}
