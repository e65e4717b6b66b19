package dev.llmix.spi;

import com.fasterxml.jackson.annotation.JsonValue;

/** Which response-cache tier served a call: the in-process L1 or the shared L2 (Redis). */
public enum CacheHitTier {
    /** The in-process memory tier. */
    L1("l1"),
    /** The shared Redis tier. */
    L2("l2");

    private final String wireName;

    CacheHitTier(String wireName) {
        this.wireName = wireName;
    }

    /** {@code "l1"} or {@code "l2"}, as the other bindings report it. */
    @JsonValue
    public String wireName() {
        return wireName;
    }

    @Override
    public String toString() {
        return wireName;
    }
}
