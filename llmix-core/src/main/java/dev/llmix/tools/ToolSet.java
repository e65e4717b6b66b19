package dev.llmix.tools;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The tools of one call with the optional tool choice and parallel-calls flag, validated together: at least one tool,
 * unique names, a named choice that names one of the tools. The kwargs keys it adds ({@link #putKwargs}) are
 * {@code tools}, {@code tool_choice} and {@code parallel_tool_calls}.
 *
 * @param tools             the tools, at least one
 * @param choice            the tool choice, or {@code null} for the provider default
 * @param parallelToolCalls whether several calls per turn are allowed, or {@code null} for the provider default
 */
public record ToolSet(List<Tool> tools, @Nullable ToolChoice choice, @Nullable Boolean parallelToolCalls) {

    public ToolSet {
        tools = List.copyOf(Objects.requireNonNull(tools, "tools"));
        if (tools.isEmpty()) {
            throw new ToolDefinitionException("toolChoice/parallelToolCalls require at least one tool");
        }
        Set<String> names = new HashSet<>();
        for (Tool t : tools) {
            if (!names.add(t.name())) {
                throw new ToolDefinitionException("duplicate tool name \"" + t.name() + "\"");
            }
        }
        if (choice != null && choice.kind() == ToolChoice.Kind.FUNCTION && !names.contains(choice.functionName())) {
            throw new ToolDefinitionException("tool_choice names unknown tool \"" + choice.functionName()
                    + "\"; tools are " + toolNames(tools));
        }
    }

    /** The tool names in order, e.g. {@code [a, b]}. */
    public List<String> names() {
        return toolNames(tools);
    }

    /** The tool called {@code name}, or {@code null}. */
    public @Nullable Tool tool(String name) {
        for (Tool t : tools) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** This set with another choice (used by the tool loop to reset a forced choice). */
    public ToolSet withChoice(@Nullable ToolChoice newChoice) {
        return Objects.equals(newChoice, choice) ? this : new ToolSet(tools, newChoice, parallelToolCalls);
    }

    /** Adds {@code tools}, then {@code tool_choice} and {@code parallel_tool_calls} when set, to {@code kwargs}. */
    public void putKwargs(Map<String, @Nullable Object> kwargs) {
        List<Object> wire = new ArrayList<>(tools.size());
        for (Tool t : tools) {
            wire.add(t.toWire());
        }
        kwargs.put("tools", wire);
        if (choice != null) {
            kwargs.put("tool_choice", choice.toWire());
        }
        if (parallelToolCalls != null) {
            kwargs.put("parallel_tool_calls", parallelToolCalls);
        }
    }

    /** The kwargs members of this set as one object (the input of the singleflight tool digest). */
    public Map<String, @Nullable Object> kwargsView() {
        Map<String, @Nullable Object> m = new LinkedHashMap<>(4);
        putKwargs(m);
        return m;
    }

    private static List<String> toolNames(List<Tool> tools) {
        List<String> names = new ArrayList<>(tools.size());
        for (Tool t : tools) {
            names.add(t.name());
        }
        return names;
    }
}
