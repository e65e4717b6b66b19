package dev.llmix.tools;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.llmix.internal.JsonSchemaSupport;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * One function call the model asked for. {@code arguments} is the JSON text exactly as the model wrote it (possibly
 * invalid; {@code "{}"} when there were none); {@code extraContent} carries provider continuation data that must be
 * replayed with the call ({@code google.thought_signature}, {@code anthropic.thinking_blocks}).
 *
 * @param id           the call id (provider ids are kept verbatim)
 * @param name         the function name
 * @param arguments    the arguments as JSON text
 * @param extraContent continuation data, or {@code null}
 */
public record ToolCall(String id, String name, String arguments, @Nullable Map<String, @Nullable Object> extraContent) {

    public ToolCall {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        arguments = arguments == null ? "{}" : arguments;
        extraContent = extraContent == null || extraContent.isEmpty() ? null : ToolJson.freezeMap(extraContent);
    }

    /** A call without continuation data. */
    public static ToolCall of(String id, String name, String arguments) {
        return new ToolCall(id, name, arguments, null);
    }

    /**
     * The arguments as a JSON object.
     *
     * @throws ToolArgumentsException when the text is not a JSON object
     */
    public Map<String, @Nullable Object> argumentsAsMap() {
        Object parsed;
        try {
            parsed = ToolJson.parse(arguments);
        } catch (JacksonException e) {
            throw invalid(e.getOriginalMessage(), e);
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw invalid("not a JSON object", null);
        }
        return ToolJson.freezeMap(map);
    }

    /**
     * The arguments bound to {@code type} with the strict mapper of structured output (unknown, missing or mistyped
     * properties fail).
     *
     * @throws ToolArgumentsException when the text is not a JSON object or does not bind to {@code type}
     */
    public <T> T argumentsAs(Class<T> type) {
        JsonNode node;
        try {
            node = JsonSchemaSupport.STRICT_MAPPER.readTree(arguments);
        } catch (JacksonException e) {
            throw invalid(e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw invalid("not a JSON object", null);
        }
        try {
            return JsonSchemaSupport.bind(node, type);
        } catch (RuntimeException e) {
            throw new ToolArgumentsException("arguments of tool call \"" + id + "\" (" + name + ") do not match "
                    + type.getSimpleName() + ": " + JsonSchemaSupport.describe(e), name, id, arguments, e);
        }
    }

    private ToolArgumentsException invalid(String reason, @Nullable Throwable cause) {
        return new ToolArgumentsException("arguments of tool call \"" + id + "\" (" + name
                + ") are not valid JSON: " + reason, name, id, arguments, cause);
    }

    /** {@code {"id","type":"function","function":{"name","arguments"},"extra_content"?}}, unmodifiable. */
    @JsonValue
    public Map<String, @Nullable Object> toMap() {
        Map<String, @Nullable Object> fn = new LinkedHashMap<>(4);
        fn.put("name", name);
        fn.put("arguments", arguments);
        Map<String, @Nullable Object> m = new LinkedHashMap<>(8);
        m.put("id", id);
        m.put("type", "function");
        m.put("function", Collections.unmodifiableMap(fn));
        if (extraContent != null) {
            m.put("extra_content", extraContent);
        }
        return Collections.unmodifiableMap(m);
    }

    /**
     * The inverse of {@link #toMap()}; {@code arguments} may also be a JSON object, which is serialised.
     *
     * @throws IllegalArgumentException when the map is not an OpenAI-shaped function call
     */
    public static ToolCall fromMap(Map<?, ?> map) {
        if (!(map.get("function") instanceof Map<?, ?> fn) || !(fn.get("name") instanceof String name)) {
            throw new IllegalArgumentException("a tool call needs function.name");
        }
        Object args = fn.get("arguments");
        String arguments = args == null ? "{}" : args instanceof String s ? s : ToolJson.write(args);
        Object id = map.get("id");
        Map<String, @Nullable Object> extra = map.get("extra_content") instanceof Map<?, ?> e
                ? ToolJson.freezeMap(e) : null;
        return new ToolCall(id == null ? "" : String.valueOf(id), name, arguments, extra);
    }

    /**
     * Converts a provider result's opaque tool calls: {@code ToolCall}s as they are, OpenAI-shaped function maps or
     * JSON nodes through {@link #fromMap}, other call types (e.g. OpenAI {@code custom}) skipped.
     *
     * @throws IllegalArgumentException {@code dispatch returned a tool call that is not OpenAI-shaped: <class>}
     */
    public static List<ToolCall> fromResult(@Nullable List<?> calls) {
        if (calls == null || calls.isEmpty()) {
            return List.of();
        }
        List<ToolCall> out = new ArrayList<>(calls.size());
        for (Object c : calls) {
            if (c instanceof ToolCall tc) {
                out.add(tc);
                continue;
            }
            Object plain = c;
            if (c instanceof JsonNode node && node.isObject()) {
                plain = ToolJson.MAPPER.convertValue(node, Map.class);
            }
            if (plain instanceof Map<?, ?> m) {
                Object type = m.get("type");
                if (type != null && !"function".equals(type)) {
                    continue;
                }
                if (m.get("function") instanceof Map<?, ?> fn && fn.get("name") instanceof String) {
                    out.add(fromMap(m));
                    continue;
                }
            }
            throw new IllegalArgumentException("dispatch returned a tool call that is not OpenAI-shaped: "
                    + (c == null ? "null" : c.getClass().getName()));
        }
        return List.copyOf(out);
    }
}
