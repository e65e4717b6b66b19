package dev.llmix.provider.http;

import dev.llmix.internal.JsUndefined;
import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Conversions between the plain-Java JSON model the pipeline uses (maps, lists, strings, numbers, booleans) and
 * Jackson trees, plus small typed readers. Numbers are written as {@code JSON.stringify} writes them: an integral
 * double such as {@code 128.0} goes on the wire as {@code 128}, so presets decoded as doubles send the same bytes as
 * the TypeScript binding.
 */
final class Json {

    static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final double MAX_SAFE_INTEGER = 9007199254740991d;

    private Json() {
    }

    /** The Jackson tree of a plain-Java JSON value; {@code undefined} members are dropped, non-finite numbers become null. */
    static JsonNode toNode(@Nullable Object value) {
        if (value == null || value instanceof JsUndefined) {
            return NODES.nullNode();
        }
        if (value instanceof JsonNode node) {
            return node.deepCopy();
        }
        if (value instanceof String s) {
            return NODES.stringNode(s);
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof Number n) {
            return numberNode(n);
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode obj = NODES.objectNode();
            map.forEach((k, v) -> {
                if (!(v instanceof JsUndefined)) {
                    obj.set(String.valueOf(k), toNode(v));
                }
            });
            return obj;
        }
        if (value instanceof List<?> list) {
            ArrayNode arr = NODES.arrayNode();
            list.forEach(v -> arr.add(toNode(v)));
            return arr;
        }
        if (value instanceof CharSequence || value instanceof Character) {
            return NODES.stringNode(value.toString());
        }
        return MAPPER.valueToTree(value);
    }

    private static JsonNode numberNode(Number n) {
        if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
            return NODES.numberNode(n.longValue());
        }
        if (n instanceof BigInteger bi) {
            return NODES.numberNode(bi);
        }
        if (n instanceof BigDecimal bd) {
            return NODES.numberNode(bd);
        }
        double d = n.doubleValue();
        if (!Double.isFinite(d)) {
            return NODES.nullNode();
        }
        if (d == Math.rint(d) && Math.abs(d) <= MAX_SAFE_INTEGER) {
            return NODES.numberNode((long) d);
        }
        return NODES.numberNode(d);
    }

    /** The plain-Java value of a tree: {@code LinkedHashMap}, {@code ArrayList}, String, Number, Boolean or null. */
    static @Nullable Object toPlain(@Nullable JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isObject()) {
            Map<String, @Nullable Object> map = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                map.put(e.getKey(), toPlain(e.getValue()));
            }
            return map;
        }
        if (node.isArray()) {
            List<@Nullable Object> list = new ArrayList<>(node.size());
            node.forEach(n -> list.add(toPlain(n)));
            return list;
        }
        if (node.isNumber()) {
            return node.numberValue();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        return node.asString();
    }

    /**
     * Serialises a plain-Java value: the bytes {@code toNode(value)} would serialise to, written straight from the
     * value instead of through a Jackson tree (every request body goes through here; docs/performance.md, "Spring AI
     * bridge").
     */
    static byte[] write(@Nullable Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = MAPPER.createGenerator(out)) {
            writeValue(g, value);
        }
        return out.toByteArray();
    }

    /** Serialises a plain-Java value to a string, as {@link #write(Object)}. */
    static String writeString(@Nullable Object value) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = MAPPER.createGenerator(out)) {
            writeValue(g, value);
        }
        return out.toString();
    }

    private static void writeValue(JsonGenerator g, @Nullable Object value) {
        if (value == null || value instanceof JsUndefined) {
            g.writeNull();
        } else if (value instanceof String s) {
            g.writeString(s);
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof Number n && !(n instanceof BigDecimal)) {
            writeNumber(g, n);
        } else if (value instanceof Map<?, ?> map && stringKeys(map)) {
            g.writeStartObject();
            map.forEach((k, v) -> {
                if (!(v instanceof JsUndefined)) {
                    g.writeName((String) k);
                    writeValue(g, v);
                }
            });
            g.writeEndObject();
        } else if (value instanceof List<?> list) {
            g.writeStartArray();
            if (list instanceof RandomAccess) {
                for (int i = 0, n = list.size(); i < n; i++) {
                    writeValue(g, list.get(i));
                }
            } else {
                for (Object item : list) {
                    writeValue(g, item);
                }
            }
            g.writeEndArray();
        } else if (value instanceof JsonNode node) {
            g.writeTree(node);
        } else {
            // Decimals, maps whose keys are not strings (two keys may print alike: the tree keeps one), other
            // objects: exactly as the tree writes them.
            g.writeTree(toNode(value));
        }
    }

    private static void writeNumber(JsonGenerator g, Number n) {
        if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
            g.writeNumber(n.longValue());
        } else if (n instanceof BigInteger bi) {
            g.writeNumber(bi);
        } else {
            double d = n.doubleValue();
            if (!Double.isFinite(d)) {
                g.writeNull();
            } else if (d == Math.rint(d) && Math.abs(d) <= MAX_SAFE_INTEGER) {
                g.writeNumber((long) d);
            } else {
                g.writeNumber(d);
            }
        }
    }

    private static boolean stringKeys(Map<?, ?> map) {
        for (Object k : map.keySet()) {
            if (!(k instanceof String)) {
                return false;
            }
        }
        return true;
    }

    /** The string value of {@code node} when it is a JSON string, else null. */
    static @Nullable String string(@Nullable JsonNode node) {
        return node != null && node.isString() ? node.asString() : null;
    }

    /** The map member as a map when it is a JSON object, else null. */
    @SuppressWarnings("unchecked")
    static @Nullable Map<String, @Nullable Object> object(@Nullable Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, @Nullable Object>) m : null;
    }

    /** A non-negative integer count: integral numbers (also integral doubles) ≥ 0, anything else 0. */
    static long count(@Nullable JsonNode node) {
        long c = countOrNegative(node);
        return c < 0 ? 0 : c;
    }

    /** True when {@code node} is a number that {@link #count} accepts (a representable non-negative integer). */
    static boolean isCount(@Nullable JsonNode node) {
        return countOrNegative(node) >= 0;
    }

    /**
     * The count, or -1 when {@code node} is not one. Never converts an out-of-range number (400 digits, {@code 1e400})
     * through {@code asDouble}/{@code asLong}, which throw on it; such a value is simply not a count
     * (docs/reliability.md, hostile input item 1).
     */
    private static long countOrNegative(@Nullable JsonNode node) {
        if (node == null || !node.isNumber()) {
            return -1;
        }
        if (node.isIntegralNumber()) {
            if (!node.canConvertToLong()) {
                return -1;
            }
            long v = node.longValue();
            return v >= 0 ? v : -1;
        }
        if (node.isDouble() || node.isFloat()) {
            double d = node.doubleValue();
            return d >= 0 && d == Math.rint(d) && d < 0x1p63 ? (long) d : -1;
        }
        BigDecimal d = node.decimalValue();
        if (d.signum() < 0 || d.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            return -1;
        }
        try {
            return d.longValueExact();
        } catch (ArithmeticException fractional) {
            return -1;
        }
    }

    /** {@code a + b} for non-negative counts, saturating at {@link Long#MAX_VALUE} instead of wrapping negative. */
    static long addCounts(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
