package dev.llmix.structured;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import dev.llmix.internal.JsonSchemaSupport;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * JSON Schemas for records and beans, shaped for OpenAI strict mode (closed objects, every property required,
 * nullable members as {@code anyOf [{"type":"null"}, …]}), and the {@code json_schema} response format built from
 * them. Generated once per class with the victools generator; the result is frozen and stable, so it can take part in
 * the cache key.
 */
public final class JsonSchemas {

    private static final Map<Class<?>, Map<String, @Nullable Object>> FORMATS = new ConcurrentHashMap<>();

    private JsonSchemas() {
    }

    /**
     * The strict schema of {@code type}.
     *
     * @throws IllegalArgumentException naming a JSON pointer when {@code type} cannot be expressed (not a record or
     *                                  bean, map-typed or untyped members, composition keywords, size limits)
     */
    public static Map<String, @Nullable Object> strict(Class<?> type) {
        return JsonSchemaSupport.strictSchema(type);
    }

    /** The schema name of {@code type}: its simple name with characters outside {@code [a-zA-Z0-9_-]} as {@code _}. */
    public static String name(Class<?> type) {
        String n = type.getSimpleName().replaceAll("[^a-zA-Z0-9_-]", "_");
        if (n.length() > 64) {
            n = n.substring(0, 64);
        }
        return n.isEmpty() ? "output" : n;
    }

    /** The {@code @JsonClassDescription} of {@code type}, or {@code null}. */
    public static @Nullable String description(Class<?> type) {
        JsonClassDescription d = type.getAnnotation(JsonClassDescription.class);
        return d == null || d.value().isEmpty() ? null : d.value();
    }

    /**
     * {@code {"type":"json_schema","json_schema":{"name","description"?,"schema","strict":true}}} for {@code type}.
     */
    public static Map<String, @Nullable Object> responseFormat(Class<?> type) {
        Map<String, @Nullable Object> cached = FORMATS.get(type);
        if (cached != null) {
            return cached;
        }
        Map<String, @Nullable Object> spec = new LinkedHashMap<>();
        spec.put("name", name(type));
        String description = description(type);
        if (description != null) {
            spec.put("description", description);
        }
        spec.put("schema", strict(type));
        spec.put("strict", true);
        Map<String, @Nullable Object> format = new LinkedHashMap<>();
        format.put("type", "json_schema");
        format.put("json_schema", Collections.unmodifiableMap(spec));
        FORMATS.putIfAbsent(type, Collections.unmodifiableMap(format));
        return FORMATS.get(type);
    }
}
