package dev.llmix.springai;

import dev.llmix.pipeline.CallResponse;
import dev.llmix.spi.LlmUsage;
import dev.llmix.tools.ToolCall;
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

/** A successful LLMix {@link CallResponse} to a Spring AI {@link ChatResponse} (docs/spring-ai.md, "Mapping"). */
final class ResponseMapping {

    private ResponseMapping() {
    }

    static ChatResponse toChatResponse(CallResponse response, String module, String preset) {
        return toChatResponse(response, module, preset, response.content());
    }

    /**
     * {@code response} as one generation with {@code text} as its text: the whole content for {@code call}, {@code ""}
     * for the last element of a stream, whose text was already emitted as deltas.
     */
    static ChatResponse toChatResponse(CallResponse response, String module, String preset, String text) {
        List<AssistantMessage.ToolCall> toolCalls = new ArrayList<>(response.toolCalls().size());
        Map<String, Object> extraContent = new LinkedHashMap<>(2);
        for (ToolCall call : response.toolCalls()) {
            toolCalls.add(new AssistantMessage.ToolCall(call.id(), "function", call.name(), call.arguments()));
            if (call.extraContent() != null) {
                extraContent.put(call.id(), call.extraContent());
            }
        }
        Map<String, Object> properties = new LinkedHashMap<>(4);
        if (response.thinkingContent() != null) {
            properties.put(LlmixMetadata.THINKING_CONTENT, response.thinkingContent());
        }
        if (response.refusal() != null) {
            properties.put(LlmixMetadata.REFUSAL, response.refusal());
        }
        if (!extraContent.isEmpty()) {
            properties.put(LlmixMetadata.TOOL_CALL_EXTRA_CONTENT, extraContent);
        }
        AssistantMessage message = AssistantMessage.builder()
                .content(text)
                .properties(properties)
                .toolCalls(toolCalls)
                .build();
        Generation generation = new Generation(message,
                ChatGenerationMetadata.builder().finishReason(finishReason(response.finishReason(), toolCalls))
                        .build());
        return new ChatResponse(List.of(generation), metadata(response, module, preset).build());
    }

    /** Response metadata: model, usage and the LLMix keys; id {@code ""}, no rate limit. */
    static ChatResponseMetadata.Builder metadata(CallResponse response, String module, String preset) {
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
        return metadata;
    }

    /** LLMix's portable finish reason in Spring AI's upper-case spelling; hits report none, so it is inferred. */
    static String finishReason(@Nullable String finishReason, List<AssistantMessage.ToolCall> toolCalls) {
        if (finishReason == null) {
            return toolCalls.isEmpty() ? "STOP" : "TOOL_CALLS";
        }
        switch (finishReason) {
            case "stop":
                return "STOP";
            case "length":
                return "LENGTH";
            case "tool_calls":
                return "TOOL_CALLS";
            case "content_filter":
                return "CONTENT_FILTER";
            default:
                return "OTHER";
        }
    }

    static DefaultUsage usage(LlmUsage usage) {
        return new DefaultUsage(saturate(usage.inputTokens()), saturate(usage.outputTokens()),
                saturate(usage.totalTokens()), usage, usage.cachedInputTokens(), null);
    }

    private static int saturate(long v) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
    }

}
