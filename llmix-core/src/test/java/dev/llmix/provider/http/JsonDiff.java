package dev.llmix.provider.http;

import dev.llmix.internal.JsUndefined;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Compares JSON-like values as the vectors mean them: maps ignore key order, numbers compare by value. */
final class JsonDiff {

    private JsonDiff() {
    }

    /** Null when equal, else a description of the first difference. */
    static @Nullable String diff(@Nullable Object expected, @Nullable Object actual) {
        return diff("$", expected, actual);
    }

    private static @Nullable String diff(String path, @Nullable Object expected, @Nullable Object actual) {
        if (expected instanceof Number e && actual instanceof Number a) {
            return e.doubleValue() == a.doubleValue() ? null : path + ": expected " + e + " but was " + a;
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
        if (expected == JsUndefined.INSTANCE) {
            return actual == null || actual == JsUndefined.INSTANCE ? null : path + ": expected undefined but was " + actual;
        }
        if (expected == null ? actual == null : expected.equals(actual)) {
            return null;
        }
        return path + ": expected " + expected + " but was " + actual;
    }
}
