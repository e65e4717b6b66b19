package dev.llmix.provider;

import dev.llmix.internal.JsUndefined;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Compares JSON-like values the way the kwargs vectors mean: maps ignore key order, numbers compare by value. */
final class JsonAssert {

    private JsonAssert() {
    }

    /** Null when equal, else a description of the first difference. */
    static @Nullable String diff(@Nullable Object expected, @Nullable Object actual) {
        return diff("$", expected, actual);
    }

    private static @Nullable String diff(String path, @Nullable Object expected, @Nullable Object actual) {
        if (expected instanceof Number e && actual instanceof Number a) {
            double ed = e.doubleValue();
            double ad = a.doubleValue();
            return ed == ad || (Double.isNaN(ed) && Double.isNaN(ad)) ? null
                    : path + ": expected " + expected + " but was " + actual;
        }
        if (expected instanceof Map<?, ?> e && actual instanceof Map<?, ?> a) {
            for (Map.Entry<?, ?> entry : e.entrySet()) {
                Object key = entry.getKey();
                if (entry.getValue() == JsUndefined.INSTANCE) {
                    if (a.containsKey(key)) {
                        return path + "." + key + ": expected absent but was " + a.get(key);
                    }
                    continue;
                }
                if (!a.containsKey(key)) {
                    return path + "." + key + ": missing (expected " + entry.getValue() + ")";
                }
                String d = diff(path + "." + key, entry.getValue(), a.get(key));
                if (d != null) {
                    return d;
                }
            }
            for (Object key : a.keySet()) {
                if (!e.containsKey(key)) {
                    return path + "." + key + ": unexpected key with value " + a.get(key);
                }
            }
            return null;
        }
        if (expected instanceof List<?> e && actual instanceof List<?> a) {
            if (e.size() != a.size()) {
                return path + ": expected " + e.size() + " elements but was " + a.size() + " " + a;
            }
            for (int i = 0; i < e.size(); i++) {
                String d = diff(path + "[" + i + "]", e.get(i), a.get(i));
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (expected == null ? actual == null : expected.equals(actual)) {
            return null;
        }
        return path + ": expected " + expected + " but was " + actual;
    }

    /** The value with every object member whose value is {@code null} removed, recursively (the js-null rule). */
    static @Nullable Object withoutNulls(@Nullable Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, @Nullable Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                if (v != null) {
                    out.put(String.valueOf(k), withoutNulls(v));
                }
            });
            return out;
        }
        if (value instanceof List<?> list) {
            List<@Nullable Object> out = new ArrayList<>();
            list.forEach(v -> out.add(withoutNulls(v)));
            return out;
        }
        return value;
    }
}
