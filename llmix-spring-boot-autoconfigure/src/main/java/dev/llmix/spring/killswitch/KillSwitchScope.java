package dev.llmix.spring.killswitch;

import java.util.Locale;

/** Where the operator kill switch lives: this instance's state-directory file, or also a Redis key shared by the fleet. */
public enum KillSwitchScope {
    /** Only the file {@code <stateDir>/killswitch} of this instance. */
    LOCAL,
    /** The file, plus a Redis key honoured by every instance sharing the Redis server. */
    FLEET;

    /** {@code local} or {@code fleet}, as reported by the endpoint. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
