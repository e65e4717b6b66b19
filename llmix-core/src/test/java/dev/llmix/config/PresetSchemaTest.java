package dev.llmix.config;

import dev.llmix.internal.config.LlmConfigRules;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.config.mda.LlmixProjectValidator;
import dev.llmix.config.mda.MdaParts;
import dev.llmix.config.mda.MdaYaml;
import dev.llmix.testsupport.Fixtures;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code docs/schema/llmix-preset.schema.json} cannot drift from the validator: its key sets and enums are the
 * validator's, every key it lists is accepted by the validator, every object it closes the validator closes too, and
 * the fixture presets pass or fail it as they pass or fail the validator.
 */
class PresetSchemaTest {

    private static final Path SCHEMA = Path.of("..", "docs", "schema", "llmix-preset.schema.json");
    private static final String NS = "metadata.snoai-llmix";

    private static JsonNode schema() throws IOException {
        return JsonMapper.builder().build().readTree(Files.readString(SCHEMA));
    }

    private static JsonNode namespace() throws IOException {
        return schema().get("properties").get("metadata").get("properties").get(LlmixProjectValidator.NAMESPACE);
    }

    private static Set<String> keys(JsonNode objectSchema) {
        return new TreeSet<>(objectSchema.get("properties").propertyNames());
    }

    @SuppressWarnings("unchecked")
    private static Set<String> validatorSet(Class<?> owner, String field) throws Exception {
        Field f = owner.getDeclaredField(field);
        f.setAccessible(true);
        return new TreeSet<>((Collection<String>) f.get(null));
    }

    private static List<String> enumOf(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.get("enum").forEach(v -> out.add(v.asString()));
        return out;
    }

    @Test
    void theTopLevelKeysAreTheMdaSchemasKeys() throws Exception {
        Class<?> mdaSchema = Class.forName("dev.llmix.config.mda.MdaSourceSchema");
        assertThat(keys(schema())).isEqualTo(validatorSet(mdaSchema, "TOP_LEVEL_KEYS"));
    }

    @Test
    void theNamespaceCommonAndProviderOptionKeysAreTheValidatorsKeys() throws Exception {
        JsonNode ns = namespace();
        assertThat(keys(ns)).isEqualTo(validatorSet(LlmConfigRules.class, "NAMESPACE_KEYS"));
        Set<String> common = validatorSet(LlmConfigRules.class, "COMMON_KEYS");
        common.add("provider");
        common.add("model");
        assertThat(keys(ns.get("properties").get("common"))).isEqualTo(common);
        assertThat(keys(ns.get("properties").get("providerOptions")))
                .isEqualTo(validatorSet(LlmConfigRules.class, "PROVIDER_OPTION_KEYS"));
    }

    @Test
    void theProviderAndCachingEnumsAreTheValidatorsValues() throws Exception {
        JsonNode ns = namespace().get("properties");
        assertThat(enumOf(ns.get("common").get("properties").get("provider")))
                .containsExactlyElementsOf(LlmConfigRules.PROVIDERS);
        assertThat(enumOf(ns.get("caching").get("properties").get("strategy")))
                .containsExactlyInAnyOrderElementsOf(validatorSet(LlmConfigRules.class, "CACHING_STRATEGIES"));
    }

    /** Every key the schema lists under the namespace is accepted; every object it closes rejects an extra key. */
    @Test
    void everyNamespaceKeyOfTheSchemaIsAcceptedAndEveryClosedObjectIsClosed() throws Exception {
        List<String> problems = new ArrayList<>();
        probe(namespace(), NS, problems);
        assertThat(problems).isEmpty();
    }

    private void probe(JsonNode objectSchema, String path, List<String> problems) {
        for (Map.Entry<String, JsonNode> e : objectSchema.get("properties").properties()) {
            String child = path + "." + e.getKey();
            List<String> issues = validate(child, sample(e.getValue()));
            if (issues.stream().anyMatch(i -> i.startsWith(child + ":") || i.startsWith(child + "."))) {
                problems.add(child + " is in the schema but the validator says " + issues);
            }
            JsonNode node = e.getValue();
            if (node.has("properties")) {
                probe(node, child, problems);
            }
        }
        boolean closed = objectSchema.has("additionalProperties") && objectSchema.get("additionalProperties")
                .isBoolean() && !objectSchema.get("additionalProperties").asBoolean();
        String extra = path + ".notAKey";
        boolean rejected = validate(extra, "x").stream().anyMatch(i -> i.startsWith(extra + ": unknown key"));
        if (closed != rejected) {
            problems.add(path + (closed ? " is closed in the schema but open in the validator"
                    : " is open in the schema but closed in the validator"));
        }
    }

    /** The issues of a minimal valid preset with {@code value} put at {@code path} (and required siblings added). */
    private static List<String> validate(String path, @Nullable Object value) {
        Map<String, Object> common = new LinkedHashMap<>(Map.of("provider", "openai", "model", "m"));
        Map<String, Object> ns = new LinkedHashMap<>(Map.of("common", common));
        String[] parts = path.substring(NS.length() + 1).split("\\.");
        Map<String, Object> cur = ns;
        for (int i = 0; i < parts.length - 1; i++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> next = (Map<String, Object>) cur.computeIfAbsent(parts[i], k -> new LinkedHashMap<>());
            cur = next;
        }
        cur.put(parts[parts.length - 1], value);
        return LlmConfigRules.validateNamespace(ns, NS);
    }

    /** A value the schema accepts, with the required keys of objects filled in. */
    private static @Nullable Object sample(JsonNode s) {
        if (s.has("enum")) {
            return s.get("enum").get(0).asString();
        }
        if (s.has("anyOf")) {
            return sample(s.get("anyOf").get(0));
        }
        String type = s.has("type") ? s.get("type").asString() : "object";
        return switch (type) {
            case "string" -> "x";
            case "integer" -> s.has("minimum") ? Math.max(1024, s.get("minimum").asInt()) : 1024;
            case "number" -> 1;
            case "boolean" -> true;
            case "array" -> List.of();
            default -> {
                Map<String, Object> m = new LinkedHashMap<>();
                if (s.has("required")) {
                    s.get("required").forEach(r -> m.put(r.asString(),
                            sample(s.get("properties").get(r.asString()))));
                }
                yield m;
            }
        };
    }

    @Test
    void theValidFixturesConformToTheSchema() throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Fixtures.projectFixtures().resolve("mda/valid"))) {
            files = walk.filter(p -> p.toString().endsWith(".mda")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        JsonNode schema = schema();
        for (Path file : files) {
            assertThat(SchemaWalker.errors(schema, frontmatter(file))).as(file.toString()).isEmpty();
        }
    }

    @Test
    void theInvalidFixturesThatTheSchemaCanExpressAreRejectedByIt() throws Exception {
        JsonNode schema = schema();
        for (String name : List.of("temperature-out-of-range", "unknown-namespace-key", "unknown-provider")) {
            Path file = Fixtures.projectFixtures().resolve("mda/invalid/" + name + ".mda");
            assertThat(SchemaWalker.errors(schema, frontmatter(file))).as(name).isNotEmpty();
        }
    }

    private static Map<String, @Nullable Object> frontmatter(Path file) throws IOException {
        MdaParts parts = MdaParts.extract(Files.readAllBytes(file), file.toString());
        return MdaYaml.parseFrontmatter(parts.frontmatter(), file.toString());
    }

    /**
     * The subset of JSON Schema the preset schema uses (type, properties, required, additionalProperties, enum,
     * anyOf, items, minimum/maximum, exclusiveMinimum, pattern, length and propertyNames), enough to check the fixtures
     * without a schema library.
     */
    static final class SchemaWalker {

        static List<String> errors(JsonNode schema, @Nullable Object value) {
            List<String> out = new ArrayList<>();
            walk(schema, value, "", out);
            return out;
        }

        private static void walk(JsonNode s, @Nullable Object v, String path, List<String> out) {
            if (s.has("anyOf")) {
                for (JsonNode alt : s.get("anyOf")) {
                    if (errors(alt, v).isEmpty()) {
                        return;
                    }
                }
                out.add(path + ": matches no alternative");
                return;
            }
            if (s.has("enum")) {
                List<Object> allowed = new ArrayList<>();
                s.get("enum").forEach(e -> allowed.add(e.asString()));
                if (!allowed.contains(v)) {
                    out.add(path + ": not one of " + allowed);
                }
            }
            String type = s.has("type") ? s.get("type").asString() : null;
            if (type == null) {
                return;
            }
            switch (type) {
                case "object" -> {
                    if (!(v instanceof Map<?, ?> m)) {
                        out.add(path + ": not an object");
                        return;
                    }
                    JsonNode props = s.get("properties");
                    if (s.has("required")) {
                        s.get("required").forEach(r -> {
                            if (!m.containsKey(r.asString())) {
                                out.add(path + "." + r.asString() + ": required");
                            }
                        });
                    }
                    for (Map.Entry<?, ?> e : m.entrySet()) {
                        String key = String.valueOf(e.getKey());
                        if (s.has("propertyNames")) {
                            walk(((ObjectNode) s.get("propertyNames").deepCopy()).put("type", "string"), key,
                                    path + "." + key, out);
                        }
                        if (props != null && props.has(key)) {
                            walk(props.get(key), e.getValue(), path + "." + key, out);
                        } else if (s.has("additionalProperties")) {
                            JsonNode ap = s.get("additionalProperties");
                            if (ap.isBoolean() && !ap.asBoolean()) {
                                out.add(path + "." + key + ": unknown key");
                            } else if (ap.isObject()) {
                                walk(ap, e.getValue(), path + "." + key, out);
                            }
                        }
                    }
                }
                case "array" -> {
                    if (!(v instanceof List<?> l)) {
                        out.add(path + ": not an array");
                        return;
                    }
                    for (int i = 0; i < l.size(); i++) {
                        if (s.has("items")) {
                            walk(s.get("items"), l.get(i), path + "[" + i + "]", out);
                        }
                    }
                }
                case "string" -> {
                    if (!(v instanceof String str)) {
                        out.add(path + ": not a string");
                        return;
                    }
                    if (s.has("pattern") && !Pattern.compile(s.get("pattern").asString()).matcher(str).find()) {
                        out.add(path + ": does not match " + s.get("pattern").asString());
                    }
                    if (s.has("minLength") && str.length() < s.get("minLength").asInt()
                            || s.has("maxLength") && str.length() > s.get("maxLength").asInt()) {
                        out.add(path + ": length out of range");
                    }
                }
                case "boolean" -> {
                    if (!(v instanceof Boolean)) {
                        out.add(path + ": not a boolean");
                    }
                }
                default -> {
                    if (!(v instanceof Number n) || "integer".equals(type) && n.doubleValue() != Math.rint(
                            n.doubleValue())) {
                        out.add(path + ": not a" + ("integer".equals(type) ? "n integer" : " number"));
                        return;
                    }
                    double d = n.doubleValue();
                    if (s.has("minimum") && d < s.get("minimum").asDouble()
                            || s.has("maximum") && d > s.get("maximum").asDouble()
                            || s.has("exclusiveMinimum") && d <= s.get("exclusiveMinimum").asDouble()) {
                        out.add(path + ": out of range");
                    }
                }
            }
        }
    }
}
