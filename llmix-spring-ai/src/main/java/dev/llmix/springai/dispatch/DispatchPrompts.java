package dev.llmix.springai.dispatch;

import dev.llmix.LlmixLocalException;
import dev.llmix.spi.DispatchContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.model.tool.StructuredOutputChatOptions;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;
import tools.jackson.databind.json.JsonMapper;

/** An attempt's {@link DispatchContext} as a Spring AI prompt: messages and options (docs/spring-ai.md). */
final class DispatchPrompts {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Kwargs the option mapping consumes; every other kwarg is dropped with one WARN per provider and name. */
    static final Set<String> MAPPED = Set.of("temperature", "top_p", "top_k", "presence_penalty", "frequency_penalty",
            "max_tokens", "max_completion_tokens", "stop", "response_format", "tools");

    private DispatchPrompts() {
    }

    static List<Message> messages(List<?> messages) {
        List<Message> out = new ArrayList<>(messages.size());
        List<ToolResponseMessage.ToolResponse> pendingTools = new ArrayList<>();
        Map<String, String> toolNames = new HashMap<>();
        for (Object o : messages) {
            if (!(o instanceof Map<?, ?> m)) {
                throw new LlmixLocalException("Spring AI dispatch needs messages as JSON objects, got "
                        + (o == null ? "null" : o.getClass().getSimpleName()));
            }
            String role = String.valueOf(m.get("role"));
            if (!role.equals("tool") && !pendingTools.isEmpty()) {
                out.add(ToolResponseMessage.builder().responses(new ArrayList<>(pendingTools)).build());
                pendingTools.clear();
            }
            switch (role) {
                case "system" -> out.add(new SystemMessage(text(m.get("content"), role)));
                case "user" -> out.add(new UserMessage(text(m.get("content"), role)));
                case "assistant" -> out.add(assistant(m, toolNames));
                case "tool" -> {
                    String id = string(first(m, "tool_call_id", "toolCallId"));
                    Object name = m.get("name");
                    pendingTools.add(new ToolResponseMessage.ToolResponse(id,
                            name != null ? name.toString() : toolNames.getOrDefault(id, ""),
                            text(m.get("content"), role)));
                }
                default -> throw new LlmixLocalException("Spring AI dispatch does not support message role \""
                        + role + "\"");
            }
        }
        if (!pendingTools.isEmpty()) {
            out.add(ToolResponseMessage.builder().responses(pendingTools).build());
        }
        return out;
    }

    private static AssistantMessage assistant(Map<?, ?> m, Map<String, String> toolNames) {
        List<AssistantMessage.ToolCall> calls = new ArrayList<>();
        if (first(m, "tool_calls", "toolCalls") instanceof List<?> list) {
            for (Object c : list) {
                if (c instanceof Map<?, ?> call) {
                    Map<?, ?> fn = call.get("function") instanceof Map<?, ?> f ? f : call;
                    String id = string(call.get("id"));
                    String name = string(fn.get("name"));
                    Object args = fn.get("arguments");
                    toolNames.put(id, name);
                    calls.add(new AssistantMessage.ToolCall(id, "function", name,
                            args == null ? "{}" : args instanceof String s ? s : JSON.writeValueAsString(args)));
                }
            }
        }
        Object content = m.get("content");
        return AssistantMessage.builder().content(content == null ? "" : text(content, "assistant"))
                .toolCalls(calls).build();
    }

    private static @Nullable Object first(Map<?, ?> m, String a, String b) {
        Object v = m.get(a);
        return v != null ? v : m.get(b);
    }

    private static String string(@Nullable Object v) {
        return v == null ? "" : v.toString();
    }

    /** A string, or the text parts of a content list joined with newlines; other parts fail locally. */
    private static String text(@Nullable Object content, String role) {
        if (content == null) {
            return "";
        }
        if (content instanceof String s) {
            return s;
        }
        if (content instanceof List<?> parts) {
            StringBuilder b = new StringBuilder();
            for (Object p : parts) {
                if (p instanceof Map<?, ?> part && "text".equals(part.get("type")) && part.get("text") != null) {
                    if (!b.isEmpty()) {
                        b.append('\n');
                    }
                    b.append(part.get("text"));
                } else {
                    throw new LlmixLocalException("Spring AI dispatch supports only text content parts in "
                            + role + " messages");
                }
            }
            return b.toString();
        }
        throw new LlmixLocalException("Spring AI dispatch cannot send " + role + " content of type "
                + content.getClass().getSimpleName());
    }

    /**
     * The delegate's own options ({@code getOptions().mutate()}, keeping its defaults and builder type) with the
     * attempt's model and kwargs applied. {@code dropped} receives every kwarg that has no Spring AI equivalent.
     */
    static ChatOptions options(ChatOptions delegateOptions, DispatchContext ctx, String delegateName,
            BiConsumer<String, String> dropped) {
        ChatOptions.Builder<?> b = delegateOptions.mutate();
        b.model(ctx.model());
        Map<String, @Nullable Object> kw = ctx.kwargs();
        if (kw.containsKey("temperature")) b.temperature(dbl(kw, "temperature"));
        if (kw.containsKey("top_p")) b.topP(dbl(kw, "top_p"));
        if (kw.containsKey("top_k")) b.topK(integer(kw, "top_k"));
        if (kw.containsKey("presence_penalty")) b.presencePenalty(dbl(kw, "presence_penalty"));
        if (kw.containsKey("frequency_penalty")) b.frequencyPenalty(dbl(kw, "frequency_penalty"));
        if (kw.containsKey("max_tokens")) {
            b.maxTokens(integer(kw, "max_tokens"));
        } else if (kw.containsKey("max_completion_tokens")) {
            b.maxTokens(integer(kw, "max_completion_tokens"));
        }
        Object stop = kw.get("stop");
        if (stop instanceof String s) {
            b.stopSequences(List.of(s));
        } else if (stop instanceof List<?> list) {
            List<String> seqs = new ArrayList<>(list.size());
            list.forEach(v -> seqs.add(String.valueOf(v)));
            b.stopSequences(seqs);
        }
        Object format = kw.get("response_format");
        if (format != null) {
            Object schema = format instanceof Map<?, ?> f && "json_schema".equals(f.get("type"))
                    && f.get("json_schema") instanceof Map<?, ?> js ? js.get("schema") : null;
            if (schema != null && b instanceof StructuredOutputChatOptions.Builder<?> structured) {
                structured.outputSchema(JSON.writeValueAsString(schema));
            } else {
                dropped.accept("response_format", delegateName);
            }
        }
        List<ToolCallback> callbacks = toolCallbacks(kw.get("tools"));
        if (b instanceof ToolCallingChatOptions.Builder<?> tools) {
            tools.toolCallbacks(callbacks);
        } else if (callbacks != null) {
            // A local failure (the pipeline never retries it or counts it against the breaker); nothing is sent.
            throw new UnsupportedOperationException(delegateName + " cannot accept tools");
        }
        for (String key : kw.keySet()) {
            if (!MAPPED.contains(key)) {
                dropped.accept(key, delegateName);
            }
        }
        return b.build();
    }

    /**
     * The attempt's {@code tools} kwarg (each tool's OpenAI wire form, docs/tools.md) as definition-only callbacks:
     * the delegate sends them to its model and returns the model's tool calls, which LLMix hands back to its caller.
     * Nothing runs them here; the caller executes tools. {@code null} when there are none.
     */
    static @Nullable List<ToolCallback> toolCallbacks(@Nullable Object tools) {
        if (tools == null) {
            return null;
        }
        if (!(tools instanceof List<?> list)) {
            throw new LlmixLocalException("Spring AI dispatch: tools must be a list of function tools");
        }
        if (list.isEmpty()) {
            return null;
        }
        List<ToolCallback> out = new ArrayList<>(list.size());
        for (Object t : list) {
            if (!(t instanceof Map<?, ?> tool) || !(tool.get("function") instanceof Map<?, ?> fn)
                    || !(fn.get("name") instanceof String name) || name.isBlank()) {
                throw new LlmixLocalException("Spring AI dispatch supports only function tools with a name");
            }
            String description = fn.get("description") instanceof String d && !d.isBlank() ? d : name;
            Object parameters = fn.get("parameters");
            String schema = parameters == null ? "{\"type\":\"object\",\"properties\":{}}"
                    : JSON.writeValueAsString(parameters);
            out.add(new DefinitionOnlyCallback(ToolDefinition.builder().name(name).description(description)
                    .inputSchema(schema).build()));
        }
        return out;
    }

    /** A tool the delegate may offer to its model but never runs: LLMix's caller executes tool calls. */
    static final class DefinitionOnlyCallback implements ToolCallback {
        private final ToolDefinition definition;

        DefinitionOnlyCallback(ToolDefinition definition) {
            this.definition = definition;
        }

        @Override
        public ToolDefinition getToolDefinition() {
            return definition;
        }

        @Override
        public String call(String toolInput) {
            throw new UnsupportedOperationException("Tool " + definition.name() + " is executed by the LLMix caller, "
                    + "not by the Spring AI delegate");
        }

        @Override
        public String toString() {
            return "DefinitionOnlyCallback[" + definition.name() + "]";
        }
    }

    private static @Nullable Double dbl(Map<String, @Nullable Object> kw, String key) {
        Object v = kw.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new LlmixLocalException("Spring AI dispatch: " + key + " must be a number");
    }

    private static @Nullable Integer integer(Map<String, @Nullable Object> kw, String key) {
        Object v = kw.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            if (d == Math.rint(d) && d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE) {
                return (int) d;
            }
        }
        throw new LlmixLocalException("Spring AI dispatch: " + key + " must be a whole number");
    }

    /** Remembers which (provider, kwarg) pairs were already warned about. */
    static final class DroppedKwargs {
        private final Map<String, Boolean> seen = new ConcurrentHashMap<>();

        boolean firstTime(String provider, String kwarg) {
            return seen.putIfAbsent(provider + '\u0000' + kwarg, Boolean.TRUE) == null;
        }
    }
}
