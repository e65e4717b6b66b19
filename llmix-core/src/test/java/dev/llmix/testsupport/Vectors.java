package dev.llmix.testsupport;

import dev.llmix.internal.JsUndefined;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Loads the golden vector files ({@code llmix-vectors/1}) and decodes their values into the plain-Java JSON model:
 * numbers become {@code Double} (JS numbers are binary64), {@code {"$num": …}} markers become the special doubles,
 * {@code {"$undefined": true}} becomes {@link JsUndefined#INSTANCE}.
 *
 * <p>Vectors are read from the directory in the system property {@code llmix.parity.vectors} when it is set, else from
 * the project's {@code fixtures/vectors}.
 */
public final class Vectors {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Vectors() {
    }

    /** The directory the parity suites read vector files from. */
    public static Path directory() {
        String override = System.getProperty("llmix.parity.vectors");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        return Fixtures.projectFixtures().resolve("vectors");
    }

    /** The parsed file {@code name} (e.g. {@code cache-key.json}) as a Jackson tree. */
    public static JsonNode file(String name) {
        Path path = directory().resolve(name);
        try {
            return MAPPER.readTree(Files.readString(path));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read vector file " + path, e);
        }
    }

    /** The {@code vectors} array of file {@code name}, one element per vector. */
    public static List<JsonNode> vectors(String name) {
        List<JsonNode> out = new ArrayList<>();
        file(name).get("vectors").forEach(out::add);
        return out;
    }

    /** The vector's {@code field} (e.g. {@code input}, {@code expected}) decoded as a JSON object; it must be there. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(JsonNode vector, String field) {
        return (Map<String, Object>) Objects.requireNonNull(decode(vector.get(field)), field);
    }

    /** The vector's tags. */
    public static List<String> tags(JsonNode vector) {
        List<String> tags = new ArrayList<>();
        JsonNode t = vector.get("tags");
        if (t != null) {
            t.forEach(n -> tags.add(n.asString()));
        }
        return tags;
    }

    /**
     * Decodes a vector value into plain Java: objects → {@code LinkedHashMap}, arrays → {@code ArrayList}, numbers →
     * {@code Double}, markers → special doubles or {@link JsUndefined#INSTANCE}.
     */
    public static @Nullable Object decode(@Nullable JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isObject()) {
            if (node.size() == 1 && node.has("$num") && node.get("$num").isString()) {
                return decodeNum(node.get("$num").asString());
            }
            if (node.size() == 1 && node.has("$undefined") && node.get("$undefined").isBoolean()
                    && node.get("$undefined").asBoolean()) {
                return JsUndefined.INSTANCE;
            }
            Map<String, @Nullable Object> map = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                map.put(e.getKey(), decode(e.getValue()));
            }
            return map;
        }
        if (node.isArray()) {
            List<@Nullable Object> list = new ArrayList<>();
            node.forEach(n -> list.add(decode(n)));
            return list;
        }
        if (node.isNumber()) {
            return Double.parseDouble(node.asString());
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        return node.asString();
    }

    /** True when {@code node} is the {@code {"$undefined": true}} marker. */
    public static boolean isUndefined(@Nullable JsonNode node) {
        return node != null && node.isObject() && node.size() == 1 && node.has("$undefined");
    }

    private static double decodeNum(String literal) {
        return switch (literal) {
            case "NaN" -> Double.NaN;
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            case "-0" -> -0.0d;
            default -> Double.parseDouble(literal);
        };
    }
}
