package dev.llmix.internal;

/**
 * Stands for JavaScript's {@code undefined} inside JSON-like values, for callers (and parity vectors) that need to
 * express it. Canonical JSON drops an object member whose value is {@code undefined} and writes {@code null} for an
 * array element that is.
 */
public enum JsUndefined {
    /** The single {@code undefined} value. */
    INSTANCE
}
