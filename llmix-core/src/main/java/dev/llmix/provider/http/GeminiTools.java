package dev.llmix.provider.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Gemini's side of tool calling: model turns with {@code functionCall} parts (thought signatures replayed),
 * {@code functionResponse} parts for tool results, the function-name rule, and calls read from a response with ids
 * kept or synthesised (docs/tools.md).
 */
final class GeminiTools {

    private static final Pattern NAME_START = Pattern.compile("^[a-zA-Z_].*");

    private GeminiTools() {
    }

    /** Gemini function names must also start with a letter or an underscore. */
    static void checkName(@Nullable Object name) {
        if (!(name instanceof String s) || !NAME_START.matcher(s).matches()) {
            throw new AdapterConfigException(
                    "gemini function names must start with a letter or an underscore: \"" + name + "\"");
        }
    }

    /** An assistant message with calls as a {@code model} content: text first, then one part per call. */
    static Map<String, @Nullable Object> modelTurn(Map<?, ?> msg, List<?> calls) {
        List<@Nullable Object> parts = new ArrayList<>();
        String text = AdapterSupport.text(msg.get("content"), "");
        if (text != null && !text.isEmpty()) {
            parts.add(Map.of("text", text));
        }
        for (Object c : calls) {
            if (!(c instanceof Map<?, ?> call) || !(call.get("function") instanceof Map<?, ?> fn)) {
                continue;
            }
            Map<String, @Nullable Object> functionCall = new LinkedHashMap<>();
            functionCall.put("name", fn.get("name"));
            functionCall.put("args", AnthropicAdapter.parseArguments(fn.get("name"), fn.get("arguments")));
            if (call.get("id") instanceof String id && !id.isEmpty() && !id.startsWith(ToolWire.SYNTHETIC_ID_PREFIX)) {
                functionCall.put("id", id);
            }
            Map<String, @Nullable Object> part = new LinkedHashMap<>();
            part.put("functionCall", functionCall);
            if (call.get("extra_content") instanceof Map<?, ?> extra && extra.get("google") instanceof Map<?, ?> g
                    && g.get("thought_signature") instanceof String sig) {
                part.put("thoughtSignature", sig);
            }
            parts.add(part);
        }
        Map<String, @Nullable Object> content = new LinkedHashMap<>();
        content.put("role", "model");
        content.put("parts", parts);
        return content;
    }

    /**
     * A tool message as a {@code functionResponse} part: the name from the message or from the answered call,
     * {@code response} {@code {"output": v}} or {@code {"error": v}} with the content parsed as JSON when it is JSON.
     */
    static Map<String, @Nullable Object> functionResponse(Map<?, ?> msg, List<?> messages, int index) {
        Object id = msg.get("tool_call_id");
        Object name = msg.get("name");
        if (!(name instanceof String s) || s.isEmpty()) {
            name = callName(messages, index, id);
        }
        Object content = msg.get("content");
        Object value = content;
        if (content instanceof String text) {
            try {
                JsonNode node = Json.MAPPER.readTree(text);
                value = node == null || node.isMissingNode() ? text : Json.toPlain(node);
            } catch (RuntimeException notJson) {
                value = text;
            }
        } else if (content instanceof List<?> parts) {
            value = AdapterSupport.text(parts, "");
        }
        Map<String, @Nullable Object> fr = new LinkedHashMap<>();
        fr.put("name", name);
        fr.put("response", Map.of(Boolean.TRUE.equals(msg.get("is_error")) ? "error" : "output",
                value == null ? "" : value));
        if (id instanceof String s && !s.isEmpty() && !s.startsWith(ToolWire.SYNTHETIC_ID_PREFIX)) {
            fr.put("id", s);
        }
        return Map.of("functionResponse", fr);
    }

    private static String callName(List<?> messages, int index, @Nullable Object id) {
        for (int i = index - 1; i >= 0; i--) {
            if (messages.get(i) instanceof Map<?, ?> m && m.get("tool_calls") instanceof List<?> calls) {
                for (Object c : calls) {
                    if (c instanceof Map<?, ?> call && id != null && id.equals(call.get("id"))
                            && call.get("function") instanceof Map<?, ?> fn && fn.get("name") instanceof String n) {
                        return n;
                    }
                }
                break;
            }
        }
        throw new AdapterConfigException("tool message at index " + index + " has no name and answers no known "
                + "tool call (id \"" + id + "\"); gemini needs the function name");
    }

    /** A response {@code functionCall} as an OpenAI-shaped call with its id and thought signature. */
    static Map<String, @Nullable Object> toolCall(JsonNode call, @Nullable String thoughtSignature, String responseId,
            int messageCount, int index) {
        String name = Json.string(call.get("name"));
        JsonNode args = call.get("args");
        String id = Json.string(call.get("id"));
        if (id == null || id.isEmpty()) {
            id = ToolWire.syntheticId(responseId, messageCount, index, name == null ? "" : name,
                    args == null || args.isNull() ? Map.of() : Json.toPlain(args));
        }
        Map<String, @Nullable Object> out = AnthropicAdapter.toolCall(id, name, args);
        if (thoughtSignature != null && !thoughtSignature.isEmpty()) {
            out.put("extra_content", Map.of("google", Map.of("thought_signature", thoughtSignature)));
        }
        return out;
    }
}
