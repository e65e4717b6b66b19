package dev.llmix.tools;

import dev.llmix.internal.JsonSchemaSupport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;

/**
 * A function the model may call: a name, an optional description and an optional JSON Schema for its arguments
 * (always an object schema). Immutable; the schema is frozen at construction and never rewritten. The wire form
 * ({@link #toWire()}) is OpenAI's {@code {"type":"function","function":{…}}}, which every adapter converts.
 */
public final class Tool {

    private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9_-]{1,64}$");
    private static final Map<String, @Nullable Object> EMPTY_STRICT_PARAMETERS = ToolJson.freezeMap(
            Map.of("type", "object", "properties", Map.of(), "required", List.of(), "additionalProperties", false));

    private final String name;
    private final @Nullable String description;
    private final @Nullable Map<String, @Nullable Object> parameters;
    private final boolean strict;
    private final Map<String, @Nullable Object> wire;

    private Tool(String name, @Nullable String description, @Nullable Map<String, @Nullable Object> parameters,
            boolean strict) {
        this.name = name;
        this.description = description;
        this.parameters = parameters;
        this.strict = strict;
        this.wire = buildWire();
    }

    /** A function tool whose arguments follow {@code parameters}, a JSON Schema object with {@code "type":"object"}. */
    public static Tool function(String name, @Nullable String description, Map<String, ?> parameters) {
        checkName(name);
        Objects.requireNonNull(parameters, "parameters");
        return new Tool(name, description, checkParameters(name, parameters), false);
    }

    /** A function tool whose parameters are given as JSON text (parsed once). */
    public static Tool function(String name, @Nullable String description, String parametersJson) {
        checkName(name);
        Objects.requireNonNull(parametersJson, "parametersJson");
        Object parsed;
        try {
            parsed = ToolJson.parse(parametersJson);
        } catch (JacksonException e) {
            throw new ToolDefinitionException("parameters of tool \"" + name + "\" are not valid JSON: "
                    + e.getOriginalMessage(), e);
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw notObjectSchema(name);
        }
        return new Tool(name, description, checkParameters(name, map), false);
    }

    /** A function tool without parameters. */
    public static Tool function(String name, @Nullable String description) {
        checkName(name);
        return new Tool(name, description, null, false);
    }

    /**
     * A strict function tool whose parameters are generated from {@code argumentsType} (a record or bean) with the
     * rules of {@code JsonSchemas.strict}; arguments bind back with {@link ToolCall#argumentsAs(Class)}.
     */
    public static Tool of(String name, @Nullable String description, Class<?> argumentsType) {
        checkName(name);
        Map<String, @Nullable Object> schema = JsonSchemaSupport.strictSchema(argumentsType);
        return new Tool(name, description, checkParameters(name, schema), false).withStrict(true);
    }

    /**
     * This tool asking for OpenAI strict mode ({@code true}) or not. Strict requires every object schema to be closed
     * ({@code additionalProperties: false}) and to list all its properties in {@code required}.
     *
     * @throws ToolDefinitionException naming the JSON pointer of the first violation
     */
    public Tool withStrict(boolean value) {
        if (value == strict) {
            return this;
        }
        if (value && parameters != null) {
            String violation = JsonSchemaSupport.strictViolation(parameters);
            if (violation != null) {
                throw new ToolDefinitionException("tool \"" + name + "\" cannot be strict: " + violation);
            }
        }
        return new Tool(name, description, parameters, value);
    }

    public String name() {
        return name;
    }

    public @Nullable String description() {
        return description;
    }

    /** The frozen parameter schema; for a strict tool without parameters the empty closed object schema. */
    public @Nullable Map<String, @Nullable Object> parameters() {
        return parameters == null && strict ? EMPTY_STRICT_PARAMETERS : parameters;
    }

    public boolean strict() {
        return strict;
    }

    /** {@code {"type":"function","function":{"name","description"?,"parameters"?,"strict"?}}}, unmodifiable. */
    public Map<String, @Nullable Object> toWire() {
        return wire;
    }

    private Map<String, @Nullable Object> buildWire() {
        Map<String, @Nullable Object> fn = new LinkedHashMap<>();
        fn.put("name", name);
        if (description != null) {
            fn.put("description", description);
        }
        Map<String, @Nullable Object> p = parameters();
        if (p != null) {
            fn.put("parameters", p);
        }
        if (strict) {
            fn.put("strict", true);
        }
        Map<String, @Nullable Object> w = new LinkedHashMap<>();
        w.put("type", "function");
        w.put("function", java.util.Collections.unmodifiableMap(fn));
        return java.util.Collections.unmodifiableMap(w);
    }

    static void checkName(@Nullable String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new ToolDefinitionException("invalid tool name \"" + name
                    + "\": use 1-64 characters a-z, A-Z, 0-9, _ or -");
        }
    }

    private static Map<String, @Nullable Object> checkParameters(String name, Map<?, ?> parameters) {
        if (!"object".equals(parameters.get("type"))) {
            throw notObjectSchema(name);
        }
        return ToolJson.freezeMap(parameters);
    }

    private static ToolDefinitionException notObjectSchema(String name) {
        return new ToolDefinitionException("parameters of tool \"" + name
                + "\" must be a JSON Schema with \"type\": \"object\"");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tool t && wire.equals(t.wire);
    }

    @Override
    public int hashCode() {
        return wire.hashCode();
    }

    @Override
    public String toString() {
        return "Tool[" + name + (strict ? ", strict" : "") + "]";
    }
}
