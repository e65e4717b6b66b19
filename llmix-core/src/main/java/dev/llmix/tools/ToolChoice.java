package dev.llmix.tools;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Whether and which tool the model must call: {@code auto} (the provider default with tools), {@code none},
 * {@code required} (at least one call) or one named function.
 *
 * @param kind         the kind of choice
 * @param functionName the forced function for {@link Kind#FUNCTION}, else {@code null}
 */
public record ToolChoice(Kind kind, @Nullable String functionName) {

    /** The four kinds of tool choice. */
    public enum Kind { AUTO, NONE, REQUIRED, FUNCTION }

    private static final ToolChoice AUTO = new ToolChoice(Kind.AUTO, null);
    private static final ToolChoice NONE = new ToolChoice(Kind.NONE, null);
    private static final ToolChoice REQUIRED = new ToolChoice(Kind.REQUIRED, null);

    public ToolChoice {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.FUNCTION) {
            Tool.checkName(functionName);
        } else if (functionName != null) {
            throw new IllegalArgumentException("only a FUNCTION tool choice names a function");
        }
    }

    public static ToolChoice auto() {
        return AUTO;
    }

    public static ToolChoice none() {
        return NONE;
    }

    public static ToolChoice required() {
        return REQUIRED;
    }

    /** Forces a call of the function {@code name}. */
    public static ToolChoice function(String name) {
        return new ToolChoice(Kind.FUNCTION, name);
    }

    /** Whether this choice forces a call ({@code required} or a named function). */
    public boolean forcesCall() {
        return kind == Kind.REQUIRED || kind == Kind.FUNCTION;
    }

    /** {@code "auto"}, {@code "none"}, {@code "required"} or {@code {"type":"function","function":{"name":…}}}. */
    public Object toWire() {
        return switch (kind) {
            case AUTO -> "auto";
            case NONE -> "none";
            case REQUIRED -> "required";
            case FUNCTION -> {
                Map<String, Object> wire = new java.util.LinkedHashMap<>(4);
                wire.put("type", "function");
                wire.put("function", Map.of("name", Objects.requireNonNull(functionName)));
                yield java.util.Collections.unmodifiableMap(wire);
            }
        };
    }
}
