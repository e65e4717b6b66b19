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
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
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
    /** Writes plain ASCII like the vector files do, so a lone surrogate survives as its {@code \\uXXXX} escape. */
    private static final JsonMapper ASCII_WRITER =
            JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
    private static final String OVERRIDE_PROPERTY = "llmix.parity.vectors";

    private Vectors() {
    }

    /** The directory the parity suites read vector files from. */
    public static Path directory() {
        String override = System.getProperty(OVERRIDE_PROPERTY);
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        return Fixtures.projectFixtures().resolve("vectors");
    }

    /**
     * True when the suites read the project's own vector set, so they may also assert its exact counts; with an
     * {@code llmix.parity.vectors} override only "every vector ran or was skipped by a named rule, none mismatched"
     * holds.
     */
    public static boolean isProjectSet() {
        String override = System.getProperty(OVERRIDE_PROPERTY);
        return override == null || override.isBlank();
    }

    /**
     * Runs {@code suite} with {@code llmix.parity.vectors} pointing at {@code dir}, then restores the previous value.
     * Surefire runs the test classes of a module one after another, so no other suite sees the override.
     */
    public static void withOverride(Path dir, Runnable suite) {
        String previous = System.getProperty(OVERRIDE_PROPERTY);
        System.setProperty(OVERRIDE_PROPERTY, dir.toString());
        try {
            suite.run();
        } finally {
            if (previous == null) {
                System.clearProperty(OVERRIDE_PROPERTY);
            } else {
                System.setProperty(OVERRIDE_PROPERTY, previous);
            }
        }
    }

    /**
     * Writes into {@code dir} a copy of the project's vector file {@code name} that keeps only every {@code step}-th
     * vector (another vector set, as an override would supply), and returns how many it kept.
     */
    public static int writeSubset(Path dir, String name, int step) {
        ObjectNode file = (ObjectNode) MAPPER.readTree(read(Fixtures.projectFixtures().resolve("vectors").resolve(name)));
        ArrayNode kept = MAPPER.createArrayNode();
        JsonNode all = file.get("vectors");
        for (int i = 0; i < all.size(); i += step) {
            kept.add(all.get(i));
        }
        file.set("vectors", kept);
        file.put("count", kept.size());
        try {
            Files.writeString(dir.resolve(name), ASCII_WRITER.writeValueAsString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return kept.size();
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read vector file " + path, e);
        }
    }

    /** The parsed file {@code name} (e.g. {@code cache-key.json}) as a Jackson tree. */
    public static JsonNode file(String name) {
        return MAPPER.readTree(read(directory().resolve(name)));
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
