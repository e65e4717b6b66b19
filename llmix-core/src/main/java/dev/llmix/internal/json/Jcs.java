package dev.llmix.internal.json;

import dev.llmix.internal.JsNumbers;
import dev.llmix.internal.JsonStrings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Canonical JSON text for the JSON-like Java model ({@code Map}, {@code List}, {@code String}, {@code Number},
 * {@code Boolean}, {@code null}): the RFC 8785 (JCS) compact form used for {@code .mda} integrity digests and
 * registry-root payloads, and the publisher's sorted "pretty" form ({@code JSON.stringify(v, null, 2)} + LF).
 * Object keys are sorted by UTF-16 code units; numbers print as ECMAScript {@code Number#toString}; strings are
 * escaped as {@code JSON.stringify} does.
 */
public final class Jcs {

    /** Deeper values are rejected rather than risking a stack overflow on hostile input. */
    public static final int MAX_DEPTH = 200;

    private Jcs() {
    }

    /**
     * The RFC 8785 canonical form: sorted keys, no whitespace.
     *
     * @throws IllegalArgumentException for a non-finite number, a value that is not JSON-like, or nesting deeper
     *                                  than {@link #MAX_DEPTH}
     */
    public static String canonicalize(@Nullable Object value) {
        StringBuilder sb = new StringBuilder(256);
        write(sb, value, -1, 0);
        return sb.toString();
    }

    /**
     * The publisher's pretty form: sorted keys, two-space indentation, {@code ": "} separators, one trailing LF.
     *
     * @throws IllegalArgumentException as {@link #canonicalize(Object)}
     */
    public static String pretty(@Nullable Object value) {
        StringBuilder sb = new StringBuilder(512);
        write(sb, value, 0, 0);
        return sb.append('\n').toString();
    }

    /**
     * Appends {@code s} as a JSON string literal escaped exactly as ECMAScript {@code JSON.stringify} (lone
     * surrogates as lower-case {@code \}{@code uXXXX}). RFC 8785 §3.2.2.2 prescribes the same escaping.
     */
    public static void appendString(StringBuilder sb, String s) {
        JsonStrings.appendQuoted(sb, s);
    }

    /** indent &lt; 0 means compact. */
    private static void write(StringBuilder sb, @Nullable Object value, int indent, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("JSON value nested deeper than " + MAX_DEPTH + " levels");
        }
        if (value == null) {
            sb.append("null");
        } else if (value instanceof String s) {
            appendString(sb, s);
        } else if (value instanceof Boolean b) {
            sb.append(b.booleanValue());
        } else if (value instanceof Number n) {
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("Non-finite number " + d + " cannot be canonicalized");
            }
            sb.append(JsNumbers.toString(d));
        } else if (value instanceof Map<?, ?> map) {
            writeObject(sb, map, indent, depth);
        } else if (value instanceof List<?> list) {
            writeArray(sb, list, indent, depth);
        } else {
            throw new IllegalArgumentException("Not a JSON value: " + value.getClass().getName());
        }
    }

    private static void writeObject(StringBuilder sb, Map<?, ?> map, int indent, int depth) {
        List<String> keys = new ArrayList<>(map.size());
        for (Object k : map.keySet()) {
            if (!(k instanceof String s)) {
                throw new IllegalArgumentException("JSON object key is not a string: " + k);
            }
            keys.add(s);
        }
        keys.sort(null); // String.compareTo = UTF-16 code units, as RFC 8785 requires
        if (keys.isEmpty()) {
            sb.append("{}");
            return;
        }
        sb.append('{');
        boolean first = true;
        for (String k : keys) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            newline(sb, indent, depth + 1);
            appendString(sb, k);
            sb.append(indent < 0 ? ":" : ": ");
            write(sb, map.get(k), indent, depth + 1);
        }
        newline(sb, indent, depth);
        sb.append('}');
    }

    private static void writeArray(StringBuilder sb, List<?> list, int indent, int depth) {
        if (list.isEmpty()) {
            sb.append("[]");
            return;
        }
        sb.append('[');
        boolean first = true;
        for (Object o : list) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            newline(sb, indent, depth + 1);
            write(sb, o, indent, depth + 1);
        }
        newline(sb, indent, depth);
        sb.append(']');
    }

    private static void newline(StringBuilder sb, int indent, int depth) {
        if (indent < 0) {
            return;
        }
        sb.append('\n');
        for (int i = 0; i < depth; i++) {
            sb.append("  ");
        }
    }
}
