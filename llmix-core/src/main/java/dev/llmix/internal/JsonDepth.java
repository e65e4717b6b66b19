package dev.llmix.internal;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The one nesting limit for caller-supplied JSON-like values (messages, {@code responseFormat},
 * {@code providerOptions}): checked where such a value enters LLMix, so nothing downstream (cache key, singleflight,
 * adapters, Jackson's writer) meets a deeper value or a value that contains itself. Not part of the supported API.
 */
public final class JsonDepth {

    /**
     * Deepest nesting of maps and lists accepted. Well below Jackson's default writer limit (500), which the adapters'
     * request bodies add a few levels to; a value that contains itself is infinitely deep and is rejected too.
     */
    public static final int MAX_DEPTH = 256;

    private JsonDepth() {
    }

    /**
     * True when {@code value} nests maps, lists or arrays deeper than {@code max} levels (a bare scalar is depth 0, a
     * flat list depth 1). Stops descending at {@code max + 1}, so it never uses more stack than that.
     */
    public static boolean exceeds(@Nullable Object value, int max) {
        return deeper(value, max);
    }

    private static boolean deeper(@Nullable Object value, int remaining) {
        if (value instanceof Map<?, ?> map) {
            if (remaining == 0) {
                return true;
            }
            for (Object v : map.values()) {
                if (deeper(v, remaining - 1)) {
                    return true;
                }
            }
            return false;
        }
        if (value instanceof List<?> list) {
            if (remaining == 0) {
                return true;
            }
            for (Object v : list) {
                if (deeper(v, remaining - 1)) {
                    return true;
                }
            }
            return false;
        }
        if (value instanceof Object[] array) {
            if (remaining == 0) {
                return true;
            }
            for (Object v : array) {
                if (deeper(v, remaining - 1)) {
                    return true;
                }
            }
            return false;
        }
        return false;
    }
}
