package dev.llmix.spi;

/** How one pipeline call ended, as reported to a {@link CallListener}; a low-cardinality value for metrics. */
public enum CallOutcome {
    /** The call produced content (fresh or from the cache). */
    SUCCESS("success"),
    /** The call failed for any reason other than the two below. */
    FAILURE("failure"),
    /** The kill switch (the file or an extra {@link KillSwitchGate}) refused the call; nothing was dispatched. */
    KILL_SWITCH("kill_switch"),
    /** The circuit breaker of the provider and base URL refused the call. */
    CIRCUIT_OPEN("circuit_open"),
    /** The subscriber cancelled a stream before its end. */
    CANCELLED("cancelled");

    private final String tagValue;

    CallOutcome(String tagValue) {
        this.tagValue = tagValue;
    }

    /** The lower-case name used as a metric tag: {@code success}, {@code failure}, {@code kill_switch}, {@code circuit_open}, {@code cancelled}. */
    public String tagValue() {
        return tagValue;
    }
}
