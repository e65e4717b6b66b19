package dev.llmix.client;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.tools.ToolCall;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A chat message in the neutral OpenAI-shaped model, serialised as {@code {"role":…,"content":…}} plus, for tool
 * conversations, {@code tool_calls} (assistant) or {@code tool_call_id}, {@code name} and {@code is_error} (tool).
 * {@link LlmixClient} turns messages into plain maps before the call, so they take part in the cache key exactly like
 * hand-built maps.
 *
 * @param role       {@code system}, {@code user}, {@code assistant}, {@code tool} or any role the provider accepts
 * @param content    the message text; {@code null} only for an assistant turn that consists of tool calls
 * @param toolCalls  the calls of an assistant turn, or {@code null}
 * @param toolCallId the answered call's id on a {@code tool} message, or {@code null}
 * @param name       the answered call's function name on a {@code tool} message, or {@code null}
 * @param error      whether a {@code tool} message reports a failure
 */
@JsonPropertyOrder({"role", "content"})
public record Message(String role, @Nullable String content, @Nullable List<ToolCall> toolCalls,
        @Nullable String toolCallId, @Nullable String name, boolean error) {

    public Message {
        Objects.requireNonNull(role, "role");
        if (toolCalls != null) {
            if (!"assistant".equals(role)) {
                throw new IllegalArgumentException("only assistant messages carry tool calls");
            }
            toolCalls = toolCalls.isEmpty() ? null : List.copyOf(toolCalls);
        }
        if ("tool".equals(role)) {
            if (toolCallId == null || toolCallId.isBlank()) {
                throw new IllegalArgumentException("a tool message needs a non-blank toolCallId");
            }
            Objects.requireNonNull(content, "content");
        } else if (toolCalls == null) {
            Objects.requireNonNull(content, "content");
        }
    }

    /** A message with a role and text content. */
    public Message(String role, String content) {
        this(role, Objects.requireNonNull(content, "content"), null, null, null, false);
    }

    /** A {@code system} message. */
    public static Message system(String content) {
        return new Message("system", content);
    }

    /** A {@code user} message. */
    public static Message user(String content) {
        return new Message("user", content);
    }

    /** An {@code assistant} message. */
    public static Message assistant(String content) {
        return new Message("assistant", content);
    }

    /** An assistant turn with tool calls; {@code content} may be null or empty when the turn has no text. */
    public static Message assistant(@Nullable String content, List<ToolCall> calls) {
        Objects.requireNonNull(calls, "calls");
        if (calls.isEmpty()) {
            return new Message("assistant", content == null ? "" : content);
        }
        return new Message("assistant", content == null || content.isEmpty() ? null : content, calls, null, null,
                false);
    }

    /** The assistant turn of a response: its content and tool calls (with their continuation data). */
    public static Message assistant(CallResponse response) {
        return assistant(response.content(), response.toolCalls());
    }

    /** The result of tool call {@code toolCallId} of function {@code name}. */
    public static Message toolResult(String toolCallId, @Nullable String name, String content) {
        return new Message("tool", content, null, toolCallId, name, false);
    }

    /** An error result of tool call {@code toolCallId} of function {@code name}. */
    public static Message toolError(String toolCallId, @Nullable String name, String content) {
        return new Message("tool", content, null, toolCallId, name, true);
    }

    /** The result of {@code call}. */
    public static Message toolResult(ToolCall call, String content) {
        return toolResult(call.id(), call.name(), content);
    }

    /** An error result of {@code call}. */
    public static Message toolError(ToolCall call, String content) {
        return toolError(call.id(), call.name(), content);
    }

    /** Whether this is an assistant message with tool calls. */
    @JsonIgnore
    public boolean hasToolCalls() {
        return toolCalls != null;
    }

    /**
     * This message as an unmodifiable JSON object with {@code role} first, the form the pipeline and cache key use:
     * {@code role}, {@code content}, then {@code tool_calls}, or {@code tool_call_id}, {@code name},
     * {@code is_error} (only when true).
     */
    @JsonValue
    public Map<String, @Nullable Object> toMap() {
        Map<String, @Nullable Object> map = new LinkedHashMap<>(8);
        map.put("role", role);
        map.put("content", content);
        if (toolCalls != null) {
            List<Object> calls = new ArrayList<>(toolCalls.size());
            for (ToolCall c : toolCalls) {
                calls.add(c.toMap());
            }
            map.put("tool_calls", java.util.Collections.unmodifiableList(calls));
        }
        if (toolCallId != null) {
            map.put("tool_call_id", toolCallId);
        }
        if (name != null) {
            map.put("name", name);
        }
        if (error) {
            map.put("is_error", true);
        }
        return java.util.Collections.unmodifiableMap(map);
    }
}
