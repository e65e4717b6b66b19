package dev.llmix.internal.tools;

import dev.llmix.tools.ToolCall;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Consistency rules for a history with tool calls and tool results (neutral message maps). No provider accepts a call
 * without its result, or a result for a call it has not seen, so a broken history fails here before anything is sent.
 */
public final class ToolMessages {

    private ToolMessages() {
    }

    /** Whether any message is a {@code tool} message or an assistant message with {@code tool_calls}. */
    public static boolean hasToolContent(List<?> messages) {
        for (Object m : messages) {
            if (m instanceof Map<?, ?> msg && ("tool".equals(msg.get("role")) || msg.get("tool_calls") != null)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Checks that every {@code tool} message directly follows (through other tool messages) the assistant message
     * whose call it answers, that call ids do not repeat within one assistant message, and that every call is answered.
     *
     * @throws IllegalArgumentException naming the offending index and id
     */
    public static void validate(List<?> messages) {
        int i = 0;
        int n = messages.size();
        while (i < n) {
            Map<?, ?> msg = messages.get(i) instanceof Map<?, ?> m ? m : Map.of();
            if ("tool".equals(msg.get("role"))) {
                throw new IllegalArgumentException("tool message at index " + i + " answers unknown tool call id \""
                        + msg.get("tool_call_id") + "\"");
            }
            if (!(msg.get("tool_calls") instanceof List<?> calls) || calls.isEmpty()) {
                i++;
                continue;
            }
            Map<String, String> pending = new LinkedHashMap<>();
            Map<String, Boolean> seen = new HashMap<>();
            for (Object c : calls) {
                Map<?, ?> call = c instanceof Map<?, ?> cm ? cm : c instanceof ToolCall tc ? tc.toMap() : Map.of();
                String id = call.get("id") == null ? "" : String.valueOf(call.get("id"));
                String name = call.get("function") instanceof Map<?, ?> fn ? String.valueOf(fn.get("name")) : "?";
                if (seen.put(id, Boolean.TRUE) != null) {
                    throw new IllegalArgumentException("tool call id \"" + id + "\" repeats in the assistant message "
                            + "at index " + i);
                }
                pending.put(id, name);
            }
            int assistantIndex = i;
            i++;
            while (i < n && messages.get(i) instanceof Map<?, ?> t && "tool".equals(t.get("role"))) {
                Object id = t.get("tool_call_id");
                if (!(id instanceof String s) || s.isBlank() || !seen.containsKey(s)) {
                    throw new IllegalArgumentException("tool message at index " + i
                            + " answers unknown tool call id \"" + id + "\"");
                }
                pending.remove(s);
                i++;
            }
            if (!pending.isEmpty()) {
                Map.Entry<String, String> first = pending.entrySet().iterator().next();
                throw new IllegalArgumentException("tool call \"" + first.getKey() + "\" (" + first.getValue()
                        + ") at index " + assistantIndex + " has no tool result");
            }
        }
    }
}
