package dev.llmix.tools;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** JSON helpers of this package: parsing to plain Java values, writing, and deep immutable copies. */
final class ToolJson {

    /** Lenient reader for JSON text (tool parameters, arguments). */
    static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private ToolJson() {
    }

    /** Parses JSON text into maps, lists, strings, numbers, booleans and nulls. */
    static @Nullable Object parse(String json) throws JacksonException {
        return MAPPER.readValue(json, Object.class);
    }

    static String write(@Nullable Object value) {
        return MAPPER.writeValueAsString(value);
    }

    /** A deep unmodifiable copy that keeps key order. */
    static @Nullable Object freeze(@Nullable Object value) {
        if (value instanceof Map<?, ?> m) {
            return freezeMap(m);
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

    static Map<String, @Nullable Object> freezeMap(Map<?, ?> m) {
        Map<String, @Nullable Object> out = new LinkedHashMap<>(Math.max(4, m.size() * 2));
        m.forEach((k, v) -> out.put(String.valueOf(k), freeze(v)));
        return Collections.unmodifiableMap(out);
    }
}
