package dev.llmix.testsupport;

import dev.llmix.internal.JsUndefined;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Compares JSON-like values as the golden vectors mean them: maps ignore key order, numbers compare by value (NaN
 * equals NaN), an object member whose expected value is {@link JsUndefined#INSTANCE} must be absent.
 */
public final class JsonDiff {

    private JsonDiff() {
    }

    /**
     * Null when equal, else a description of the first difference. An expected {@link JsUndefined#INSTANCE} outside
     * an object member matches only {@link JsUndefined#INSTANCE}.
     */
    public static @Nullable String diff(@Nullable Object expected, @Nullable Object actual) {
        return diff("$", expected, actual, false);
    }

    /**
     * As {@link #diff(Object, Object)}, but an expected {@link JsUndefined#INSTANCE} outside an object member also
     * matches {@code null}: for actual values that went through a JSON round trip, which has no undefined.
     */
    public static @Nullable String diffUndefinedAsNull(@Nullable Object expected, @Nullable Object actual) {
        return diff("$", expected, actual, true);
    }

    private static @Nullable String diff(String path, @Nullable Object expected, @Nullable Object actual,
            boolean undefinedMatchesNull) {
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
                String d = diff(path + "." + key, entry.getValue(), a.get(key), undefinedMatchesNull);
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
                String d = diff(path + "[" + i + "]", e.get(i), a.get(i), undefinedMatchesNull);
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (undefinedMatchesNull && expected == JsUndefined.INSTANCE) {
            return actual == null || actual == JsUndefined.INSTANCE ? null : path + ": expected undefined but was " + actual;
        }
        if (expected == null ? actual == null : expected.equals(actual)) {
            return null;
        }
        return path + ": expected " + expected + " but was " + actual;
    }

    /** The value with every object member whose value is {@code null} removed, recursively (the js-null rule). */
    public static @Nullable Object withoutNulls(@Nullable Object value) {
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
