package dev.llmix.cache;

import dev.llmix.internal.JsNumbers;
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

    /** Largest builder capacity kept per thread, so one huge request does not pin memory. */
    private static final int MAX_KEPT_BUILDER = 1 << 17;

    private static final ThreadLocal<@Nullable StringBuilder> BUILDER = new ThreadLocal<>();

    private static final char[] HEX = "0123456789abcdef".toCharArray();

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
        StringBuilder sb = borrowBuilder();
        writeValue(sb, value, 0);
        return returnBuilder(sb);
    }

    /**
     * A cleared per-thread builder (growing a fresh one costs as much as writing the text). It is taken out of the
     * thread-local while in use, so a re-entrant call (e.g. from a custom Map) simply gets a new one.
     */
    static StringBuilder borrowBuilder() {
        StringBuilder sb = BUILDER.get();
        if (sb == null) {
            return new StringBuilder(1024);
        }
        BUILDER.set(null);
        sb.setLength(0);
        return sb;
    }

    /** The builder's text; the builder is kept for the next call unless it grew beyond {@link #MAX_KEPT_BUILDER}. */
    static String returnBuilder(StringBuilder sb) {
        String text = sb.toString();
        if (sb.capacity() <= MAX_KEPT_BUILDER) {
            BUILDER.set(sb);
        }
        return text;
    }

    /** True for values JavaScript's {@code JSON.stringify} leaves out of an object: {@code undefined}. */
    static boolean isUndefined(@Nullable Object value) {
        return value == JsUndefined.INSTANCE || (value instanceof JsonNode node && node.isMissingNode());
    }

    /** Appends the canonical text of {@code value}; an undefined value is written as {@code null} (array rule). */
    static void writeValue(StringBuilder sb, @Nullable Object value, int depth) {
        if (value == null || value == JsUndefined.INSTANCE) {
            sb.append("null");
        } else if (value instanceof String s) {
            writeString(sb, s);
        } else if (value instanceof Number n) {
            writeNumber(sb, n.doubleValue());
        } else if (value instanceof Boolean b) {
            sb.append(b.booleanValue() ? "true" : "false");
        } else if (value instanceof Map<?, ?> map) {
            writeObject(sb, map.entrySet(), depth + 1);
        } else if (value instanceof Collection<?> list) {
            writeArray(sb, list, depth + 1);
        } else if (value instanceof CharSequence cs) {
            writeString(sb, cs.toString());
        } else if (value instanceof JsonNode node) {
            writeNode(sb, node, depth);
        } else if (value instanceof Object[] array) {
            writeArray(sb, Arrays.asList(array), depth + 1);
        } else if (value.getClass().isArray()) {
            writePrimitiveArray(sb, value, depth + 1);
        } else {
            throw unsupported(value);
        }
    }

    /** Appends a number as JavaScript does: {@code null} when not finite, else {@code Number#toString}. */
    static void writeNumber(StringBuilder sb, double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            sb.append("null");
        } else {
            JsNumbers.append(sb, d);
        }
    }

    /** Appends {@code s} quoted and escaped exactly as {@code JSON.stringify} does. */
    static void writeString(StringBuilder sb, String s) {
        sb.append('"');
        int len = s.length();
        int start = 0;
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            // Above the backslash only surrogates may need escaping; testing that first keeps the common path short.
            if (c > '\\' ? !Character.isSurrogate(c) : c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++; // a well-formed pair is written raw
                continue;
            }
            sb.append(s, start, i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append("\\u").append(HEX[c >>> 12]).append(HEX[(c >>> 8) & 0xf])
                        .append(HEX[(c >>> 4) & 0xf]).append(HEX[c & 0xf]);
            }
            start = i + 1;
        }
        sb.append(s, start, len).append('"');
    }

    private static void writeObject(StringBuilder sb, Collection<? extends Map.Entry<?, ?>> entries, int depth) {
        checkDepth(depth);
        sb.append('{');
        int size = entries.size();
        boolean first = true;
        if (size == 1) {
            first = writeMember(sb, entries.iterator().next(), first, depth);
        } else if (size == 2) {
            Iterator<? extends Map.Entry<?, ?>> it = entries.iterator();
            Map.Entry<?, ?> a = it.next();
            Map.Entry<?, ?> b = it.next();
            if (compareKeys(key(a), key(b)) > 0) {
                Map.Entry<?, ?> t = a;
                a = b;
                b = t;
            }
            first = writeMember(sb, a, first, depth);
            writeMember(sb, b, first, depth);
        } else if (size > 2) {
            Map.Entry<?, ?>[] sorted = entries.toArray(new Map.Entry<?, ?>[0]);
            for (Map.Entry<?, ?> e : sorted) {
                key(e); // type-check every key before sorting
            }
            Arrays.sort(sorted, KEY_ORDER);
            for (Map.Entry<?, ?> e : sorted) {
                first = writeMember(sb, e, first, depth);
            }
        }
        sb.append('}');
    }

    /** Writes one member unless it is dropped; returns the new "first member" flag. */
    private static boolean writeMember(StringBuilder sb, Map.Entry<?, ?> e, boolean first, int depth) {
        String key = key(e);
        Object value = e.getValue();
        if (isUndefined(value) || key.equals("__proto__")) {
            return first;
        }
        if (!first) {
            sb.append(',');
        }
        writeString(sb, key);
        sb.append(':');
        writeValue(sb, value, depth);
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

    private static void writeArray(StringBuilder sb, Iterable<?> elements, int depth) {
        checkDepth(depth);
        sb.append('[');
        boolean first = true;
        for (Object element : elements) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            writeValue(sb, isUndefined(element) ? null : element, depth);
        }
        sb.append(']');
    }

    private static void writePrimitiveArray(StringBuilder sb, Object array, int depth) {
        checkDepth(depth);
        sb.append('[');
        if (array instanceof int[] a) {
            for (int i = 0; i < a.length; i++) {
                sb.append(i == 0 ? "" : ",").append(a[i]);
            }
        } else if (array instanceof long[] a) {
            for (int i = 0; i < a.length; i++) {
                sb.append(i == 0 ? "" : ",");
                writeNumber(sb, a[i]);
            }
        } else if (array instanceof double[] a) {
            for (int i = 0; i < a.length; i++) {
                sb.append(i == 0 ? "" : ",");
                writeNumber(sb, a[i]);
            }
        } else if (array instanceof float[] a) {
            for (int i = 0; i < a.length; i++) {
                sb.append(i == 0 ? "" : ",");
                writeNumber(sb, a[i]);
            }
        } else if (array instanceof short[] a) {
            for (int i = 0; i < a.length; i++) {
                sb.append(i == 0 ? "" : ",").append(a[i]);
            }
        } else if (array instanceof byte[] a) {
            for (int i = 0; i < a.length; i++) {
                sb.append(i == 0 ? "" : ",").append(a[i]);
            }
        } else if (array instanceof boolean[] a) {
            for (int i = 0; i < a.length; i++) {
                sb.append(i == 0 ? "" : ",").append(a[i]);
            }
        } else {
            throw unsupported(array); // char[]: text or numbers? Ambiguous, so refused.
        }
        sb.append(']');
    }

    private static void writeNode(StringBuilder sb, JsonNode node, int depth) {
        if (node.isObject()) {
            writeObject(sb, node.properties(), depth + 1);
        } else if (node.isArray()) {
            writeArray(sb, node, depth + 1);
        } else if (node.isString()) {
            writeString(sb, node.stringValue());
        } else if (node.isNumber()) {
            writeNumber(sb, node.numberValue().doubleValue());
        } else if (node.isBoolean()) {
            sb.append(node.booleanValue() ? "true" : "false");
        } else if (node.isNull() || node.isMissingNode()) {
            sb.append("null");
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
