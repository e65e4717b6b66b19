package dev.llmix.springai;

import dev.llmix.pipeline.CallResponse;
import dev.llmix.spi.LlmUsage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import tools.jackson.databind.json.JsonMapper;

/** A successful LLMix {@link CallResponse} to a Spring AI {@link ChatResponse} (docs/spring-ai.md, "Mapping"). */
final class ResponseMapping {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ResponseMapping() {
    }

    static ChatResponse toChatResponse(CallResponse response, String module, String preset) {
        List<AssistantMessage.ToolCall> toolCalls = toolCalls(new java.util.ArrayList<@Nullable Object>(
                response.toolCalls().stream().map(dev.llmix.tools.ToolCall::toMap).toList()));
        Map<String, Object> properties = new LinkedHashMap<>(4);
        if (response.thinkingContent() != null) {
            properties.put(LlmixMetadata.THINKING_CONTENT, response.thinkingContent());
        }
        // Integration point (tools): llmix.toolCallExtraContent (id -> extraContent) and llmix.refusal come from the
        // typed ToolCall / CallResponse.refusal of the tools work; finish reason from CallResponse.finishReason().
        AssistantMessage message = AssistantMessage.builder()
                .content(response.content())
                .properties(properties)
                .toolCalls(toolCalls)
                .build();
        String finish = toolCalls.isEmpty() ? "STOP" : "TOOL_CALLS";
        Generation generation = new Generation(message,
                ChatGenerationMetadata.builder().finishReason(finish).build());
        ChatResponseMetadata.Builder metadata = ChatResponseMetadata.builder()
                .id("")
                .model(response.model())
                .usage(usage(response.usage()))
                .keyValue(LlmixMetadata.PROVIDER, response.provider())
                .keyValue(LlmixMetadata.MODULE, module)
                .keyValue(LlmixMetadata.PRESET, preset);
        if (response.cacheHit() != null) {
            metadata.keyValue(LlmixMetadata.CACHE_HIT, response.cacheHit().wireName());
        }
        return new ChatResponse(List.of(generation), metadata.build());
    }

    static DefaultUsage usage(LlmUsage usage) {
        return new DefaultUsage(saturate(usage.inputTokens()), saturate(usage.outputTokens()),
                saturate(usage.totalTokens()), usage, usage.cachedInputTokens(), null);
    }

    private static int saturate(long v) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
    }

    /** OpenAI-shaped provider tool calls ({@code id}, {@code function.name}, {@code function.arguments}). */
    private static List<AssistantMessage.ToolCall> toolCalls(@Nullable List<@Nullable Object> calls) {
        if (calls == null || calls.isEmpty()) {
            return List.of();
        }
        List<AssistantMessage.ToolCall> out = new ArrayList<>(calls.size());
        for (Object call : calls) {
            if (!(call instanceof Map<?, ?> map)) {
                continue;
            }
            Object function = map.get("function");
            Map<?, ?> fn = function instanceof Map<?, ?> f ? f : Map.of();
            Object arguments = fn.get("arguments");
            String argumentsText = arguments == null ? "{}"
                    : arguments instanceof String s ? s : JSON.writeValueAsString(arguments);
            out.add(new AssistantMessage.ToolCall(string(map.get("id")), "function", string(fn.get("name")),
                    argumentsText));
        }
        return out;
    }

    private static String string(@Nullable Object v) {
        return v == null ? "" : v.toString();
    }
}
