package dev.llmix.provider.http;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads an OpenAI-style {@code response_format} kwarg as an output mode (TS {@code resolveResponseFormat}):
 * {@code {"type":"json"}} plus an optional schema, name and description, or {@code {"type":"text"}}. Adapters whose
 * API has no {@code response_format} field (Gemini) translate the mode into their own fields.
 */
final class ResponseFormats {

    private ResponseFormats() {
    }

    /** The output mode, or null when the value is absent or not recognised. */
    static @Nullable Map<String, @Nullable Object> outputMode(@Nullable Object responseFormat) {
        Object type = responseFormat instanceof Map<?, ?> m ? m.get("type") : responseFormat;
        if (!(type instanceof String t)) {
            return null;
        }
        Map<String, @Nullable Object> out = new LinkedHashMap<>();
        switch (t) {
            case "json", "json_object" -> out.put("type", "json");
            case "text" -> out.put("type", "text");
            case "json_schema" -> {
                out.put("type", "json");
                Object spec = responseFormat instanceof Map<?, ?> m ? m.get("json_schema") : null;
                if (spec instanceof Map<?, ?> s) {
                    putIfPresent(out, "schema", s.get("schema"));
                    putIfPresent(out, "name", s.get("name"));
                    putIfPresent(out, "description", s.get("description"));
                }
            }
            default -> {
                return null;
            }
        }
        return out;
    }

    private static void putIfPresent(Map<String, @Nullable Object> out, String key, @Nullable Object value) {
        if (value != null) {
            out.put(key, value);
        }
    }
}
