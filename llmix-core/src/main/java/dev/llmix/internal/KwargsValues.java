package dev.llmix.internal;

import dev.llmix.internal.JsUndefined;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reading the plain-Java JSON model the transforms work on. {@code null} and {@link JsUndefined} both count as
 * absent: Java never forwards a JSON {@code null} into kwargs.
 */
public final class KwargsValues {

    private KwargsValues() {
    }

    public static boolean isPresent(@Nullable Object value) {
        return value != null && value != JsUndefined.INSTANCE;
    }

    public static boolean has(Map<String, ?> map, String key) {
        return isPresent(map.get(key));
    }

    /** {@code map[key]} when it is a JSON object, else {@code null}. */
    public static @Nullable Map<?, ?> object(@Nullable Map<?, ?> map, String key) {
        if (map == null) {
            return null;
        }
        return map.get(key) instanceof Map<?, ?> m ? m : null;
    }

    /** {@code map[key]} when it is present, else {@code null}. */
    public static @Nullable Object value(@Nullable Map<?, ?> map, String key) {
        if (map == null) {
            return null;
        }
        Object v = map.get(key);
        return isPresent(v) ? v : null;
    }

    /** A mutable shallow copy with room for {@code extra} more keys; insertion order kept. */
    public static Map<String, @Nullable Object> copy(Map<String, ? extends @Nullable Object> kwargs, int extra) {
        Map<String, @Nullable Object> out = new LinkedHashMap<>(capacity(kwargs.size() + extra));
        out.putAll(kwargs);
        return out;
    }

    /** A mutable shallow copy of a JSON object whose keys may be of any type (they are turned into strings). */
    public static Map<String, @Nullable Object> copyObject(@Nullable Map<?, ?> object, int extra) {
        if (object == null) {
            return new LinkedHashMap<>(capacity(extra));
        }
        Map<String, @Nullable Object> out = new LinkedHashMap<>(capacity(object.size() + extra));
        for (Map.Entry<?, ?> e : object.entrySet()) {
            out.put(String.valueOf(e.getKey()), e.getValue());
        }
        return out;
    }

    public static int capacity(int entries) {
        return Math.max(4, (entries * 4 + 2) / 3);
    }

    /** True for a number with an integral, finite value, whatever its Java type. */
    public static boolean isIntegral(@Nullable Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger) {
            return true;
        }
        if (value instanceof BigDecimal d) {
            return d.signum() == 0 || d.stripTrailingZeros().scale() <= 0;
        }
        if (value instanceof Number n) {
            double d = n.doubleValue();
            return Double.isFinite(d) && d == Math.rint(d);
        }
        return false;
    }
}
