package dev.llmix.internal.json;

import dev.llmix.internal.json.CanonicalWriter;
import dev.llmix.internal.JsUndefined;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The canonical JSON text the cache key is hashed from: what JavaScript's {@code JSON.stringify(value, sortReplacer)}
 * produces in the TypeScript reference, byte for byte. Object keys that are array indices come first in numeric
 * order, then the rest in UTF-16 order; {@code __proto__} members and {@link JsUndefined} members are dropped; numbers
 * print as ECMAScript {@code Number#toString} (non-finite ones as {@code null}); strings are escaped as
 * {@code JSON.stringify} does, lone surrogates included.
 *
 * <p>Accepted values: {@code null}, {@link Boolean}, {@link Number} (converted to {@code double} first, as JavaScript
 * has no other number type), {@link CharSequence}, {@link Map} with {@code String} keys, {@link Collection} (in
 * iteration order), Java arrays, Jackson {@link JsonNode} trees and {@link JsUndefined}. Anything else is rejected
 * with an {@link IllegalArgumentException} naming its type; its {@code toString()} is never called.
 */
public final class CanonicalJson {

    /** Deepest nesting accepted; deeper input (or a cycle) is rejected instead of overflowing the stack. */
    static final int MAX_DEPTH = 1000;

    private static final Comparator<Map.Entry<?, ?>> KEY_ORDER = (a, b) -> compareKeys(
            (String) a.getKey(), (String) b.getKey());

    private CanonicalJson() {
    }

    /**
     * The canonical JSON text of {@code value}.
     *
     * @throws IllegalArgumentException for an unsupported type, a non-{@code String} map key, nesting deeper than
     *                                  1000 levels (or a cycle), or a top-level {@link JsUndefined}, which has no
     *                                  JSON text
     */
    public static String stringify(@Nullable Object value) {
        if (value == JsUndefined.INSTANCE || (value instanceof JsonNode node && node.isMissingNode())) {
            throw new IllegalArgumentException("undefined has no canonical JSON form");
        }
        CanonicalWriter w = CanonicalWriter.borrow();
        writeValue(w, value, 0);
        String text = w.text();
        w.release();
        return text;
    }

    /** True for values JavaScript's {@code JSON.stringify} leaves out of an object: {@code undefined}. */
    public static boolean isUndefined(@Nullable Object value) {
        return value == JsUndefined.INSTANCE || (value instanceof JsonNode node && node.isMissingNode());
    }

    /** Appends the canonical text of {@code value}; an undefined value is written as {@code null} (array rule). */
    public static void writeValue(CanonicalWriter w, @Nullable Object value, int depth) {
        if (value == null || value == JsUndefined.INSTANCE) {
            w.writeNull();
        } else if (value instanceof String s) {
            w.writeJsonString(s);
        } else if (value instanceof Number n) {
            w.writeNumber(n.doubleValue());
        } else if (value instanceof Boolean b) {
            w.writeBoolean(b);
        } else if (value instanceof Map<?, ?> map) {
            writeObject(w, map.entrySet(), depth + 1);
        } else if (value instanceof Collection<?> list) {
            writeArray(w, list, depth + 1);
        } else if (value instanceof CharSequence cs) {
            w.writeJsonString(cs.toString());
        } else if (value instanceof JsonNode node) {
            writeNode(w, node, depth);
        } else if (value instanceof Object[] array) {
            writeArray(w, Arrays.asList(array), depth + 1);
        } else if (value.getClass().isArray()) {
            writePrimitiveArray(w, value, depth + 1);
        } else {
            throw unsupported(value);
        }
    }

    private static void writeObject(CanonicalWriter w, Collection<? extends Map.Entry<?, ?>> entries, int depth) {
        checkDepth(depth);
        w.writeByte('{');
        int size = entries.size();
        boolean first = true;
        if (size == 1) {
            writeMember(w, entries.iterator().next(), first, depth);
        } else if (size == 2) {
            Iterator<? extends Map.Entry<?, ?>> it = entries.iterator();
            Map.Entry<?, ?> a = it.next();
            Map.Entry<?, ?> b = it.next();
            if (compareKeys(key(a), key(b)) > 0) {
                Map.Entry<?, ?> t = a;
                a = b;
                b = t;
            }
            first = writeMember(w, a, first, depth);
            writeMember(w, b, first, depth);
        } else if (size > 2) {
            Map.Entry<?, ?>[] sorted = entries.toArray(new Map.Entry<?, ?>[0]);
            for (Map.Entry<?, ?> e : sorted) {
                key(e); // type-check every key before sorting
            }
            Arrays.sort(sorted, KEY_ORDER);
            for (Map.Entry<?, ?> e : sorted) {
                first = writeMember(w, e, first, depth);
            }
        }
        w.writeByte('}');
    }

    /** Writes one member unless it is dropped; returns the new "first member" flag. */
    private static boolean writeMember(CanonicalWriter w, Map.Entry<?, ?> e, boolean first, int depth) {
        String key = key(e);
        Object value = e.getValue();
        if (isUndefined(value) || key.equals("__proto__")) {
            return first;
        }
        if (!first) {
            w.writeByte(',');
        }
        w.writeJsonString(key);
        w.writeByte(':');
        writeValue(w, value, depth);
        return false;
    }

    private static String key(Map.Entry<?, ?> e) {
        Object key = e.getKey();
        if (key instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("Canonical JSON object keys must be Strings, got "
                + (key == null ? "null" : key.getClass().getName()));
    }

    private static void writeArray(CanonicalWriter w, Iterable<?> elements, int depth) {
        checkDepth(depth);
        w.writeByte('[');
        boolean first = true;
        for (Object element : elements) {
            if (!first) {
                w.writeByte(',');
            }
            first = false;
            writeValue(w, isUndefined(element) ? null : element, depth);
        }
        w.writeByte(']');
    }

    private static void writePrimitiveArray(CanonicalWriter w, Object array, int depth) {
        checkDepth(depth);
        w.writeByte('[');
        if (array instanceof int[] a) {
            for (int i = 0; i < a.length; i++) {
                comma(w, i);
                w.writeLong(a[i]);
            }
        } else if (array instanceof long[] a) {
            for (int i = 0; i < a.length; i++) {
                comma(w, i);
                w.writeNumber(a[i]);
            }
        } else if (array instanceof double[] a) {
            for (int i = 0; i < a.length; i++) {
                comma(w, i);
                w.writeNumber(a[i]);
            }
        } else if (array instanceof float[] a) {
            for (int i = 0; i < a.length; i++) {
                comma(w, i);
                w.writeNumber(a[i]);
            }
        } else if (array instanceof short[] a) {
            for (int i = 0; i < a.length; i++) {
                comma(w, i);
                w.writeLong(a[i]);
            }
        } else if (array instanceof byte[] a) {
            for (int i = 0; i < a.length; i++) {
                comma(w, i);
                w.writeLong(a[i]);
            }
        } else if (array instanceof boolean[] a) {
            for (int i = 0; i < a.length; i++) {
                comma(w, i);
                w.writeBoolean(a[i]);
            }
        } else {
            throw unsupported(array); // char[]: text or numbers? Ambiguous, so refused.
        }
        w.writeByte(']');
    }

    private static void comma(CanonicalWriter w, int index) {
        if (index > 0) {
            w.writeByte(',');
        }
    }

    private static void writeNode(CanonicalWriter w, JsonNode node, int depth) {
        if (node.isObject()) {
            writeObject(w, node.properties(), depth + 1);
        } else if (node.isArray()) {
            writeArray(w, node, depth + 1);
        } else if (node.isString()) {
            w.writeJsonString(node.stringValue());
        } else if (node.isNumber()) {
            w.writeNumber(node.numberValue().doubleValue());
        } else if (node.isBoolean()) {
            w.writeBoolean(node.booleanValue());
        } else if (node.isNull() || node.isMissingNode()) {
            w.writeNull();
        } else {
            throw new IllegalArgumentException("Canonical JSON cannot represent a JsonNode of type "
                    + node.getNodeType());
        }
    }

    /**
     * JavaScript property order: canonical array-index keys ascending by value, then every other key by UTF-16 code
     * units ({@link String#compareTo}).
     */
    static int compareKeys(String a, String b) {
        long ia = arrayIndex(a);
        long ib = arrayIndex(b);
        if (ia >= 0 || ib >= 0) {
            if (ia >= 0 && ib >= 0) {
                return Long.compare(ia, ib);
            }
            return ia >= 0 ? -1 : 1;
        }
        return a.compareTo(b);
    }

    /** The value of a canonical array index ("0" … "4294967294", no sign, no leading zero), else -1. */
    static long arrayIndex(String key) {
        int len = key.length();
        if (len == 0 || len > 10) {
            return -1;
        }
        char c0 = key.charAt(0);
        if (c0 < '0' || c0 > '9' || (c0 == '0' && len > 1)) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < len; i++) {
            char c = key.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v <= 4294967294L ? v : -1;
    }

    private static void checkDepth(int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException(
                    "Canonical JSON input is nested deeper than " + MAX_DEPTH + " levels (or contains a cycle)");
        }
    }

    private static IllegalArgumentException unsupported(Object value) {
        // Only the type is named: the value may hold secrets, so its toString() is never called.
        return new IllegalArgumentException("Canonical JSON cannot represent a value of type "
                + value.getClass().getName());
    }
}
