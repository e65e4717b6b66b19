package dev.llmix.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Helpers for the plain-Java JSON model used across LLMix: {@code Map<String, ?>}, {@code List<?>}, {@code String},
 * {@code Number}, {@code Boolean} and {@code null}. Not part of the supported API.
 */
public final class JsonValues {

    private JsonValues() {
    }

    /**
     * Returns a deeply unmodifiable copy of a JSON-like value, keeping insertion order and nested {@code null}s.
     * Values that are neither maps nor lists are returned as they are.
     */
    public static @Nullable Object freeze(@Nullable Object value) {
        if (value instanceof Map<?, ?> map) {
            return freezeMap(map);
        }
        if (value instanceof List<?> list) {
            return freezeList(list);
        }
        return value;
    }

    /** Deeply unmodifiable copy of a JSON object; keys are converted with {@code String.valueOf}. */
    public static Map<String, @Nullable Object> freezeMap(Map<?, ?> map) {
        Map<String, @Nullable Object> copy = new LinkedHashMap<>(Math.max(4, map.size() * 2));
        for (Map.Entry<?, ?> e : map.entrySet()) {
            copy.put(String.valueOf(e.getKey()), freeze(e.getValue()));
        }
        return Collections.unmodifiableMap(copy);
    }

    /** Deeply unmodifiable copy of a JSON array. */
    public static List<@Nullable Object> freezeList(List<?> list) {
        List<@Nullable Object> copy = new ArrayList<>(list.size());
        for (Object o : list) {
            copy.add(freeze(o));
        }
        return Collections.unmodifiableList(copy);
    }
}
