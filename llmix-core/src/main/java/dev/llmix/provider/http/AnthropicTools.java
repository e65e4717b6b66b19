package dev.llmix.provider.http;

import dev.llmix.config.LlmConfig;
import dev.llmix.spi.ProviderResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Tool calling and structured output for the Anthropic Messages API: tools and tool choice, the history of calls and
 * results (one user message per run of results), thinking blocks replayed before calls, the {@code jsonTool} and
 * {@code outputFormat} structured-output modes, and the response mapping (docs/tools.md).
 */
final class AnthropicTools {

    /** Body member recording the forced structured-output tool; removed before sending. */
    private static final String STRUCTURED_MARKER = "__llmix_structured_tool";
    private static final String DEFAULT_JSON_TOOL_DESCRIPTION =
            "Respond with a JSON object that matches the input schema.";

    private AnthropicTools() {
    }

    /** The structured-output tool name recorded by {@link #applyTools}, removing the marker from the body. */
    static @Nullable String structuredToolName(Map<String, @Nullable Object> body) {
        Object name = body.remove(STRUCTURED_MARKER);
        return name instanceof String s ? s : null;
    }

    static boolean thinkingEnabled(LlmConfig config) {
        Map<String, @Nullable Object> opts = AdapterSupport.providerOptions(config, "anthropic");
        Map<String, @Nullable Object> thinking = opts == null ? null : Json.object(opts.get("thinking"));
        return thinking != null && "enabled".equals(thinking.get("type"));
    }

    // ---- request ---------------------------------------------------------------------------------------------------

    /** {@code tools}/{@code tool_choice}/{@code parallel_tool_calls} and a {@code json_schema} response format. */
    static void applyTools(Map<String, @Nullable Object> body, Map<String, @Nullable Object> kw, LlmConfig config) {
        boolean thinking = thinkingEnabled(config);
        Map<String, @Nullable Object> opts = AdapterSupport.providerOptions(config, "anthropic");
        boolean hasTools = kw.get("tools") instanceof List<?> t && !t.isEmpty();
        if (hasTools) {
            userTools(body, kw, opts, thinking);
        }
        if (kw.get("response_format") instanceof Map<?, ?> rf && "json_schema".equals(rf.get("type"))
                && rf.get("json_schema") instanceof Map<?, ?> spec) {
            Object mode = opts == null ? null : opts.get("structuredOutputMode");
            boolean jsonTool;
            if (mode == null || "auto".equals(mode)) {
                jsonTool = !thinking;
            } else if ("jsonTool".equals(mode)) {
                if (thinking) {
                    throw new AdapterConfigException("structuredOutputMode \"jsonTool\" is not supported with "
                            + "Anthropic extended thinking; use outputFormat");
                }
                jsonTool = true;
            } else {
                jsonTool = false;
            }
            Object schema = spec.get("schema") instanceof Map<?, ?> sch ? sch : Map.of("type", "object");
            if (jsonTool) {
                if (hasTools) {
                    throw new AdapterConfigException("structuredOutputMode \"jsonTool\" cannot be combined with "
                            + "tools; use outputFormat");
                }
                String name = spec.get("name") instanceof String n ? n : "output";
                Map<String, @Nullable Object> tool = new LinkedHashMap<>();
                tool.put("name", name);
                tool.put("description", spec.get("description") instanceof String d ? d
                        : DEFAULT_JSON_TOOL_DESCRIPTION);
                tool.put("input_schema", schema);
                body.put("tools", List.of(tool));
                Map<String, @Nullable Object> choice = new LinkedHashMap<>();
                choice.put("type", "tool");
                choice.put("name", name);
                body.put("tool_choice", choice);
                body.put(STRUCTURED_MARKER, name);
            } else {
                if (schema instanceof Map<?, ?> m && ToolWire.isRecursive(m)) {
                    throw new AdapterConfigException("Anthropic output_config cannot use a recursive schema; use "
                            + "structuredOutputMode \"jsonTool\" or a non-recursive type");
                }
                Map<String, @Nullable Object> format = new LinkedHashMap<>();
                format.put("type", "json_schema");
                format.put("schema", schema);
                body.put("output_config", Map.of("format", format));
            }
        }
    }

    private static void userTools(Map<String, @Nullable Object> body, Map<String, @Nullable Object> kw,
            @Nullable Map<String, @Nullable Object> opts, boolean thinking) {
        List<?> tools = (List<?>) kw.get("tools");
        List<@Nullable Object> converted = new ArrayList<>();
        for (Object t : tools) {
            if (t instanceof Map<?, ?> tool && tool.get("function") instanceof Map<?, ?> fn) {
                Map<String, @Nullable Object> c = new LinkedHashMap<>();
                c.put("name", fn.get("name"));
                if (fn.get("description") != null) {
                    c.put("description", fn.get("description"));
                }
                c.put("input_schema", fn.get("parameters") instanceof Map<?, ?> p ? p
                        : Map.of("type", "object", "properties", Map.of()));
                converted.add(c);
            } else {
                converted.add(t); // already Anthropic-shaped
            }
        }
        body.put("tools", converted);
        Object choice = kw.get("tool_choice");
        Map<String, @Nullable Object> tc = null;
        boolean none = "none".equals(choice);
        if ("auto".equals(choice)) {
            tc = typed("auto");
        } else if (none) {
            tc = typed("none");
        } else if ("required".equals(choice)) {
            if (thinking) {
                throw new AdapterConfigException(
                        "tool_choice \"required\" is not supported with Anthropic extended thinking; use auto");
            }
            tc = typed("any");
        } else if (choice instanceof Map<?, ?> c && c.get("function") instanceof Map<?, ?> fn) {
            if (thinking) {
                throw new AdapterConfigException("tool_choice \"" + fn.get("name")
                        + "\" is not supported with Anthropic extended thinking; use auto");
            }
            tc = typed("tool");
            tc.put("name", fn.get("name"));
        }
        boolean disableParallel = kw.containsKey("parallel_tool_calls")
                ? Boolean.FALSE.equals(kw.get("parallel_tool_calls"))
                : opts != null && Boolean.TRUE.equals(opts.get("disableParallelToolUse"));
        if (disableParallel && !none) {
            if (tc == null) {
                tc = typed("auto");
            }
            tc.put("disable_parallel_tool_use", true);
        }
        if (tc != null) {
            body.put("tool_choice", tc);
        }
    }

    private static Map<String, @Nullable Object> typed(String type) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("type", type);
        return m;
    }

    /**
     * Neutral messages (system already removed) to Anthropic messages: an assistant turn with calls becomes thinking
     * blocks, text and {@code tool_use} blocks; a run of tool results becomes one user message, followed by the text
     * of a user message that comes right after the run.
     */
    static List<@Nullable Object> convertMessages(List<@Nullable Object> messages) {
        List<@Nullable Object> out = new ArrayList<>(messages.size());
        int i = 0;
        int n = messages.size();
        while (i < n) {
            Object m = messages.get(i);
            if (!(m instanceof Map<?, ?> msg)) {
                out.add(m);
                i++;
                continue;
            }
            Object role = msg.get("role");
            if ("tool".equals(role)) {
                List<@Nullable Object> blocks = new ArrayList<>();
                while (i < n && messages.get(i) instanceof Map<?, ?> t && "tool".equals(t.get("role"))) {
                    blocks.add(toolResult(t));
                    i++;
                }
                if (i < n && messages.get(i) instanceof Map<?, ?> u && "user".equals(u.get("role"))) {
                    blocks.addAll(contentBlocks(u.get("content")));
                    i++;
                }
                out.add(AnthropicAdapter.message("user", blocks));
                continue;
            }
            if ("assistant".equals(role) && msg.get("tool_calls") instanceof List<?> calls && !calls.isEmpty()) {
                out.add(AnthropicAdapter.message("assistant", assistantBlocks(msg, calls)));
            } else {
                Map<String, @Nullable Object> copy = new LinkedHashMap<>();
                copy.put("role", role);
                copy.put("content", msg.get("content") == null ? "" : msg.get("content"));
                out.add(copy);
            }
            i++;
        }
        return out;
    }

    private static List<@Nullable Object> assistantBlocks(Map<?, ?> msg, List<?> calls) {
        List<@Nullable Object> blocks = new ArrayList<>();
        if (calls.get(0) instanceof Map<?, ?> first && first.get("extra_content") instanceof Map<?, ?> extra
                && extra.get("anthropic") instanceof Map<?, ?> anthropic
                && anthropic.get("thinking_blocks") instanceof List<?> thinking) {
            blocks.addAll(thinking);
        }
        String text = AdapterSupport.text(msg.get("content"), "");
        if (text != null && !text.isEmpty()) {
            Map<String, @Nullable Object> t = typed("text");
            t.put("text", text);
            blocks.add(t);
        }
        for (Object c : calls) {
            if (c instanceof Map<?, ?> call && call.get("function") instanceof Map<?, ?> fn) {
                Map<String, @Nullable Object> use = typed("tool_use");
                use.put("id", call.get("id"));
                use.put("name", fn.get("name"));
                use.put("input", AnthropicAdapter.parseArguments(fn.get("name"), fn.get("arguments")));
                blocks.add(use);
            }
        }
        return blocks;
    }

    private static Map<String, @Nullable Object> toolResult(Map<?, ?> msg) {
        Map<String, @Nullable Object> result = typed("tool_result");
        result.put("tool_use_id", msg.get("tool_call_id"));
        Object content = msg.get("content");
        result.put("content", content instanceof List<?> parts ? contentBlocks(parts) : content == null ? ""
                : content);
        if (Boolean.TRUE.equals(msg.get("is_error"))) {
            result.put("is_error", true);
        }
        return result;
    }

    private static List<@Nullable Object> contentBlocks(@Nullable Object content) {
        List<@Nullable Object> blocks = new ArrayList<>();
        if (content instanceof String s) {
            if (!s.isEmpty()) {
                Map<String, @Nullable Object> t = typed("text");
                t.put("text", s);
                blocks.add(t);
            }
        } else if (content instanceof List<?> parts) {
            for (Object p : parts) {
                if (p instanceof String s) {
                    Map<String, @Nullable Object> t = typed("text");
                    t.put("text", s);
                    blocks.add(t);
                } else {
                    blocks.add(p);
                }
            }
        }
        return blocks;
    }

    // ---- response --------------------------------------------------------------------------------------------------

    static ProviderResult parse(JsonNode body, Map<String, String> headers, String requestModel,
            @Nullable String structuredTool) {
        StringBuilder text = new StringBuilder();
        List<@Nullable Object> toolCalls = new ArrayList<>();
        List<@Nullable Object> thinkingBlocks = new ArrayList<>();
        String structured = null;
        JsonNode content = body.get("content");
        if (content != null && content.isArray()) {
            for (JsonNode block : content) {
                String type = Json.string(block.get("type"));
                if ("text".equals(type)) {
                    String t = Json.string(block.get("text"));
                    if (t != null) {
                        text.append(t);
                    }
                } else if (("thinking".equals(type) || "redacted_thinking".equals(type)) && toolCalls.isEmpty()) {
                    thinkingBlocks.add(Json.toPlain(block));
                } else if ("tool_use".equals(type)) {
                    String name = Json.string(block.get("name"));
                    if (structuredTool != null && structuredTool.equals(name)) {
                        JsonNode input = block.get("input");
                        structured = input == null || input.isNull() ? "{}" : Json.MAPPER.writeValueAsString(input);
                        continue;
                    }
                    Map<String, @Nullable Object> call = AnthropicAdapter.toolCall(Json.string(block.get("id")), name,
                            block.get("input"));
                    if (toolCalls.isEmpty() && !thinkingBlocks.isEmpty()) {
                        call.put("extra_content", Map.of("anthropic", Map.of("thinking_blocks",
                                List.copyOf(thinkingBlocks))));
                    }
                    toolCalls.add(call);
                }
            }
        }
        String stopReason = Json.string(body.get("stop_reason"));
        String finishReason = ToolWire.anthropicFinishReason(stopReason);
        String answer = text.toString();
        if (structuredTool != null) {
            answer = structured != null ? structured : "";
            if ("tool_calls".equals(finishReason)) {
                finishReason = "stop";
            }
        }
        String refusal = null;
        if ("refusal".equals(stopReason)) {
            refusal = text.isEmpty() ? "refusal" : text.toString();
        }
        String model = Json.string(body.get("model"));
        return new ProviderResult(answer, model == null || model.isEmpty() ? requestModel : model,
                AnthropicAdapter.usage(body.get("usage")), headers, toolCalls.isEmpty() ? null : toolCalls,
                finishReason, refusal);
    }
}
