package dev.llmix.internal;

import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.function.BiConsumer;
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
        return new Walker().deeper(value, max);
    }

    /**
     * One walk. Maps are visited with {@code Map.forEach} and this object as the visitor, and random-access lists by
     * index: unlike iterating {@code values()}, neither allocates per map or list, which matters because every call
     * checks its messages (docs/performance.md, L1 hit).
     */
    private static final class Walker implements BiConsumer<Object, @Nullable Object> {
        private int remaining;
        private boolean found;

        boolean deeper(@Nullable Object value, int rem) {
            if (value instanceof Map<?, ?> map) {
                if (rem == 0) {
                    return true;
                }
                int saved = remaining;
                remaining = rem - 1;
                @SuppressWarnings("unchecked")
                Map<Object, @Nullable Object> m = (Map<Object, @Nullable Object>) map;
                m.forEach(this);
                remaining = saved;
                return found;
            }
            if (value instanceof List<?> list) {
                if (rem == 0) {
                    return true;
                }
                if (list instanceof RandomAccess) {
                    for (int i = 0, n = list.size(); i < n; i++) {
                        if (deeper(list.get(i), rem - 1)) {
                            return true;
                        }
                    }
                    return false;
                }
                for (Object v : list) {
                    if (deeper(v, rem - 1)) {
                        return true;
                    }
                }
                return false;
            }
            if (value instanceof Object[] array) {
                if (rem == 0) {
                    return true;
                }
                for (Object v : array) {
                    if (deeper(v, rem - 1)) {
                        return true;
                    }
                }
                return false;
            }
            return false;
        }

        @Override
        public void accept(Object key, @Nullable Object value) {
            // Map.forEach cannot stop early: once found, the remaining entries are skipped cheaply.
            if (!found && deeper(value, remaining)) {
                found = true;
            }
        }
    }
}
