package dev.llmix.internal;

import com.github.victools.jsonschema.generator.FieldScope;
import com.github.victools.jsonschema.generator.MethodScope;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonOption;
import com.github.victools.jsonschema.module.jackson.JacksonSchemaModule;
import com.github.victools.jsonschema.module.jackson.JsonPropertySorter;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON Schema generation from records and beans (victools jsonschema-generator, draft 2020-12) shaped for OpenAI
 * strict mode, the strict-compatibility check of tool schemas, and the strict Jackson binding used for tool arguments
 * and structured output (docs/tools.md). Schemas are generated once per class.
 */
public final class JsonSchemaSupport {

    /** Binds JSON to records and beans, failing on unknown, missing, null-for-primitive and mistyped properties. */
    public static final JsonMapper STRICT_MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                    DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
                    DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private static final Set<String> KEPT_FORMATS = Set.of("date-time", "time", "date", "duration", "email",
            "hostname", "ipv4", "ipv6", "uuid");
    private static final Set<String> REJECTED_KEYWORDS = Set.of("allOf", "not", "if", "then", "else",
            "dependentRequired", "dependentSchemas");
    private static final int MAX_PROPERTIES = 5000;
    private static final int MAX_DEPTH = 10;
    private static final int MAX_ENUM_VALUES = 1000;

    private static final JsonMapper PLAIN = JsonMapper.builder().build();
    private static final SchemaGenerator GENERATOR = generator();
    private static final Map<Class<?>, Map<String, @Nullable Object>> CACHE = new ConcurrentHashMap<>();

    private JsonSchemaSupport() {
    }

    private static SchemaGenerator generator() {
        SchemaGeneratorConfigBuilder b = new SchemaGeneratorConfigBuilder(SchemaVersion.DRAFT_2020_12,
                OptionPreset.PLAIN_JSON)
                .with(new JacksonSchemaModule(JacksonOption.RESPECT_JSONPROPERTY_ORDER,
                        JacksonOption.RESPECT_JSONPROPERTY_REQUIRED, JacksonOption.FLATTENED_ENUMS_FROM_JSONVALUE))
                .with(Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT, Option.NULLABLE_ALWAYS_AS_ANYOF,
                        Option.FLATTENED_ENUMS)
                .without(Option.SCHEMA_VERSION_INDICATOR);
        // @JsonPropertyOrder first, else declaration (record component) order, never alphabetical: the schema is a
        // cache-key input and should read like the type.
        b.forTypesInGeneral().withPropertySorter(new JsonPropertySorter(false));
        b.forFields().withNullableCheck(JsonSchemaSupport::nullableField);
        b.forMethods().withNullableCheck(JsonSchemaSupport::nullableMethod);
        return new SchemaGenerator(b.build());
    }

    private static boolean nullableField(FieldScope field) {
        if (field.getType().getErasedType().isPrimitive()) {
            return false;
        }
        if (Optional.class.equals(field.getType().getErasedType())) {
            return true;
        }
        Field raw = field.getRawMember();
        if (hasNullable(raw) || hasNullable(raw.getAnnotatedType())) {
            return true;
        }
        Class<?> owner = raw.getDeclaringClass();
        if (owner.isRecord()) {
            for (RecordComponent rc : owner.getRecordComponents()) {
                if (rc.getName().equals(raw.getName())
                        && (hasNullable(rc) || hasNullable(rc.getAnnotatedType()))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean nullableMethod(MethodScope method) {
        if (method.getType() == null || method.getType().getErasedType().isPrimitive()) {
            return false;
        }
        Method raw = method.getRawMember();
        return Optional.class.equals(method.getType().getErasedType()) || hasNullable(raw)
                || hasNullable(raw.getAnnotatedReturnType());
    }

    private static boolean hasNullable(AnnotatedElement e) {
        for (Annotation a : e.getAnnotations()) {
            if ("Nullable".equals(a.annotationType().getSimpleName())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The strict schema of {@code type} (a record or bean): every object closed with all properties required,
     * nullable members as {@code anyOf [{"type":"null"}, …]}, unsupported formats and {@code $schema} removed.
     * Returns a frozen map; the same instance for repeated calls.
     *
     * @throws IllegalArgumentException naming a JSON pointer when the type cannot be expressed (map-typed or untyped
     *                                  members, composition keywords, OpenAI's size limits)
     */
    public static Map<String, @Nullable Object> strictSchema(Class<?> type) {
        Map<String, @Nullable Object> cached = CACHE.get(type);
        if (cached != null) {
            return cached;
        }
        Map<String, @Nullable Object> schema = generate(type);
        CACHE.putIfAbsent(type, schema);
        return CACHE.get(type);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, @Nullable Object> generate(Class<?> type) {
        if (type.isPrimitive() || type.isArray() || type.isEnum() || type.isInterface()
                || Iterable.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type)
                || type.getName().startsWith("java.")) {
            throw new IllegalArgumentException("callForObject needs a record or bean type; wrap a list in a record");
        }
        ObjectNode node = GENERATOR.generateSchema(type);
        Map<String, @Nullable Object> raw = PLAIN.convertValue(node, LinkedHashMap.class);
        raw.remove("$schema");
        if (!"object".equals(raw.get("type")) || raw.containsKey("anyOf")) {
            throw new IllegalArgumentException("schema of " + type.getSimpleName()
                    + " must be an object at /: callForObject needs a record or bean type; wrap a list in a record");
        }
        int[] properties = {0};
        shape(raw, "", 0, properties);
        return (Map<String, @Nullable Object>) freeze(raw);
    }

    @SuppressWarnings("unchecked")
    private static void shape(Map<String, @Nullable Object> s, String pointer, int depth, int[] properties) {
        String at = pointer.isEmpty() ? "/" : pointer;
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("schema nests more than " + MAX_DEPTH + " levels at " + at);
        }
        for (String k : REJECTED_KEYWORDS) {
            if (s.containsKey(k)) {
                throw new IllegalArgumentException("schema uses unsupported keyword \"" + k + "\" at " + at);
            }
        }
        if (s.get("format") instanceof String f && !KEPT_FORMATS.contains(f)) {
            s.remove("format");
        }
        if (s.get("enum") instanceof List<?> e && e.size() > MAX_ENUM_VALUES) {
            throw new IllegalArgumentException("enum with more than " + MAX_ENUM_VALUES + " values at " + at);
        }
        boolean typed = s.containsKey("type") || s.containsKey("$ref") || s.containsKey("anyOf")
                || s.containsKey("enum") || s.containsKey("const") || s.containsKey("$defs");
        if (!typed) {
            throw new IllegalArgumentException("schema has an untyped member (e.g. Object) at " + at);
        }
        if (!isObjectType(s.get("type"))) {
            // The generator closes wrappers such as a nullable member's anyOf too; only object schemas take it.
            s.remove("additionalProperties");
        } else {
            if (!(s.get("properties") instanceof Map<?, ?> props)) {
                throw new IllegalArgumentException("schema has a map-typed or untyped object member at " + at
                        + "; use a record with named properties");
            }
            properties[0] += props.size();
            if (properties[0] > MAX_PROPERTIES) {
                throw new IllegalArgumentException("schema has more than " + MAX_PROPERTIES + " properties");
            }
            s.put("additionalProperties", false);
            s.put("required", new ArrayList<>(((Map<String, ?>) props).keySet()));
            for (Map.Entry<String, ?> e : ((Map<String, ?>) props).entrySet()) {
                if (e.getValue() instanceof Map<?, ?> child) {
                    shape((Map<String, @Nullable Object>) child, pointer + "/properties/" + e.getKey(), depth + 1,
                            properties);
                }
            }
        }
        if (s.get("items") instanceof Map<?, ?> items) {
            shape((Map<String, @Nullable Object>) items, pointer + "/items", depth + 1, properties);
        }
        if (s.get("anyOf") instanceof List<?> any) {
            for (int i = 0; i < any.size(); i++) {
                if (any.get(i) instanceof Map<?, ?> m && !(m.size() == 1 && "null".equals(m.get("type")))) {
                    shape((Map<String, @Nullable Object>) m, pointer + "/anyOf/" + i, depth, properties);
                }
            }
        }
        if (s.get("$defs") instanceof Map<?, ?> defs) {
            for (Map.Entry<?, ?> e : defs.entrySet()) {
                if (e.getValue() instanceof Map<?, ?> m) {
                    shape((Map<String, @Nullable Object>) m, pointer + "/$defs/" + e.getKey(), 1, properties);
                }
            }
        }
    }

    private static boolean isObjectType(@Nullable Object type) {
        return "object".equals(type) || type instanceof List<?> l && l.contains("object");
    }

    /**
     * The first violation of OpenAI strict mode in {@code schema} ({@code "<reason> at <pointer>"}), or {@code null}:
     * every object schema reachable through {@code properties}, {@code items}, {@code anyOf} and {@code $defs} must
     * have {@code additionalProperties: false} and list all its properties in {@code required}.
     */
    public static @Nullable String strictViolation(Map<?, ?> schema) {
        return strictViolation(schema, "");
    }

    private static @Nullable String strictViolation(Map<?, ?> s, String pointer) {
        String at = pointer.isEmpty() ? "/" : pointer;
        if (isObjectType(s.get("type")) || s.get("properties") instanceof Map<?, ?>) {
            if (!Boolean.FALSE.equals(s.get("additionalProperties"))) {
                return "additionalProperties must be false at " + at;
            }
            Map<?, ?> props = s.get("properties") instanceof Map<?, ?> p ? p : Map.of();
            List<?> required = s.get("required") instanceof List<?> r ? r : List.of();
            for (Object name : props.keySet()) {
                if (!required.contains(name)) {
                    return "property \"" + name + "\" must be listed in required at " + at;
                }
            }
            for (Map.Entry<?, ?> e : props.entrySet()) {
                if (e.getValue() instanceof Map<?, ?> child) {
                    String v = strictViolation(child, pointer + "/properties/" + e.getKey());
                    if (v != null) {
                        return v;
                    }
                }
            }
        }
        if (s.get("items") instanceof Map<?, ?> items) {
            String v = strictViolation(items, pointer + "/items");
            if (v != null) {
                return v;
            }
        }
        if (s.get("anyOf") instanceof List<?> any) {
            for (int i = 0; i < any.size(); i++) {
                if (any.get(i) instanceof Map<?, ?> m) {
                    String v = strictViolation(m, pointer + "/anyOf/" + i);
                    if (v != null) {
                        return v;
                    }
                }
            }
        }
        if (s.get("$defs") instanceof Map<?, ?> defs) {
            for (Map.Entry<?, ?> e : defs.entrySet()) {
                if (e.getValue() instanceof Map<?, ?> m) {
                    String v = strictViolation(m, pointer + "/$defs/" + e.getKey());
                    if (v != null) {
                        return v;
                    }
                }
            }
        }
        return null;
    }

    /**
     * Binds {@code node} to {@code type} strictly; a {@code null} in a property the generated schema does not mark
     * nullable is rejected too.
     *
     * @throws IllegalArgumentException or a {@link JacksonException} when the JSON does not bind
     */
    public static <T> T bind(JsonNode node, Class<T> type) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("the root is not a JSON object");
        }
        Map<String, @Nullable Object> schema = strictSchema(type);
        checkNulls(node, schema, schema, "", 0);
        return STRICT_MAPPER.treeToValue(node, type);
    }

    private static void checkNulls(JsonNode node, Map<?, ?> s, Map<?, ?> root, String pointer, int depth) {
        if (depth > 64) {
            return;
        }
        if (s.get("$ref") instanceof String ref && ref.startsWith("#/$defs/")
                && root.get("$defs") instanceof Map<?, ?> defs
                && defs.get(ref.substring("#/$defs/".length())) instanceof Map<?, ?> target) {
            checkNulls(node, target, root, pointer, depth + 1);
            return;
        }
        if (node.isNull()) {
            if (!allowsNull(s)) {
                throw new IllegalArgumentException("null is not allowed at " + (pointer.isEmpty() ? "/" : pointer));
            }
            return;
        }
        if (s.get("anyOf") instanceof List<?> any) {
            for (Object o : any) {
                if (o instanceof Map<?, ?> m && !"null".equals(m.get("type"))) {
                    checkNulls(node, m, root, pointer, depth + 1);
                    return;
                }
            }
        }
        if (node.isObject() && s.get("properties") instanceof Map<?, ?> props) {
            for (Map.Entry<?, ?> e : props.entrySet()) {
                JsonNode child = node.get(String.valueOf(e.getKey()));
                if (child != null && e.getValue() instanceof Map<?, ?> cs) {
                    checkNulls(child, cs, root, pointer + "/" + e.getKey(), depth + 1);
                }
            }
        } else if (node.isArray() && s.get("items") instanceof Map<?, ?> items) {
            for (int i = 0; i < node.size(); i++) {
                checkNulls(node.get(i), items, root, pointer + "/" + i, depth + 1);
            }
        }
    }

    private static boolean allowsNull(Map<?, ?> s) {
        Object type = s.get("type");
        if ("null".equals(type) || type instanceof List<?> l && l.contains("null")) {
            return true;
        }
        if (s.get("anyOf") instanceof List<?> any) {
            for (Object o : any) {
                if (o instanceof Map<?, ?> m && allowsNull(m)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A short reason for a binding failure, without the input text. */
    public static String describe(Throwable e) {
        if (e instanceof JacksonException je) {
            return je.getOriginalMessage();
        }
        return String.valueOf(e.getMessage());
    }

    private static @Nullable Object freeze(@Nullable Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, @Nullable Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), freeze(v)));
            return Collections.unmodifiableMap(out);
        }
        if (value instanceof List<?> l) {
            List<@Nullable Object> out = new ArrayList<>(l.size());
            for (Object o : l) {
                out.add(freeze(o));
            }
            return Collections.unmodifiableList(out);
        }
        return value;
    }
}
