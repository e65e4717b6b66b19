package dev.llmix.springai;

import dev.llmix.client.CallOptions;
import dev.llmix.client.Message;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.model.tool.StructuredOutputChatOptions;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** Spring AI prompt messages and options to LLMix messages and {@link CallOptions} (docs/spring-ai.md, "Mapping"). */
final class PromptMapping {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Where tool support plugs in; see the integration notes in docs/spring-ai.md. */
    static final String TOOLS_PENDING = "LlmixChatModel cannot send tool definitions or tool-call history yet: "
            + "LLMix tool calling (CallOptions tools, Message.assistant(content, toolCalls), Message.toolResult) is "
            + "not available in this build";

    private PromptMapping() {
    }

    /** One LLMix message per Spring AI message, in order. */
    static List<Message> messages(List<org.springframework.ai.chat.messages.Message> instructions) {
        if (instructions.isEmpty()) {
            throw new IllegalArgumentException("LlmixChatModel needs at least one message; the prompt is empty");
        }
        List<Message> out = new ArrayList<>(instructions.size());
        for (org.springframework.ai.chat.messages.Message m : instructions) {
            if (m instanceof UserMessage user) {
                if (!user.getMedia().isEmpty()) {
                    throw new IllegalArgumentException("LlmixChatModel does not support media in prompts");
                }
                out.add(Message.user(text(user.getText())));
            } else if (m instanceof SystemMessage system) {
                out.add(Message.system(text(system.getText())));
            } else if (m instanceof AssistantMessage assistant) {
                if (assistant.hasToolCalls()) {
                    // Integration point (tools): Message.assistant(text, toolCalls) with each ToolCall's extraContent
                    // restored from the TOOL_CALL_EXTRA_CONTENT metadata.
                    throw new UnsupportedOperationException(TOOLS_PENDING);
                }
                out.add(Message.assistant(text(assistant.getText())));
            } else if (m instanceof ToolResponseMessage) {
                // Integration point (tools): one Message.toolResult(id, name, responseData) per ToolResponse.
                throw new UnsupportedOperationException(TOOLS_PENDING);
            } else {
                throw new IllegalArgumentException("LlmixChatModel does not support " + m.getMessageType()
                        + " messages");
            }
        }
        return out;
    }

    private static String text(@Nullable String text) {
        return text == null ? "" : text;
    }

    /** The per-call overrides of {@code options}: every non-null value wins over the preset's. */
    static CallOptions callOptions(ChatOptions options) {
        CallOptions.Builder b = CallOptions.builder()
                .model(options.getModel())
                .temperature(options.getTemperature())
                .maxOutputTokens(options.getMaxTokens())
                .topP(options.getTopP())
                .topK(options.getTopK())
                .presencePenalty(options.getPresencePenalty())
                .frequencyPenalty(options.getFrequencyPenalty())
                .stopSequences(options.getStopSequences());
        if (options instanceof ToolCallingChatOptions tools && tools.getToolCallbacks() != null
                && !tools.getToolCallbacks().isEmpty()) {
            // Integration point (tools): one Tool.function(name, description, inputSchema) per ToolDefinition.
            throw new UnsupportedOperationException(TOOLS_PENDING);
        }
        if (options instanceof LlmixChatOptions llmix) {
            if (llmix.getToolChoice() != null || llmix.getParallelToolCalls() != null) {
                // Integration point (tools): ToolChoice.auto()/none()/required()/function(name), parallelToolCalls.
                throw new UnsupportedOperationException(TOOLS_PENDING);
            }
            b.seed(llmix.getSeed())
                    .enableThinking(llmix.getEnableThinking())
                    .keepThinkingOutput(llmix.getKeepThinkingOutput())
                    .caching(llmix.getCaching())
                    .singleflightKey(llmix.getSingleflightKey())
                    .providerOptions(llmix.getProviderOptions())
                    .responseFormat(llmix.getResponseFormat());
        }
        if (options instanceof StructuredOutputChatOptions structured && structured.getOutputSchema() != null) {
            b.responseFormat(jsonSchemaFormat(structured.getOutputSchema()));
        }
        return b.build();
    }

    /** The {@code json_schema} response format Spring AI's OpenAI model sends for an output schema. */
    static Map<String, Object> jsonSchemaFormat(String schemaText) {
        Object schema;
        try {
            schema = JSON.readValue(schemaText, Object.class);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("The output schema is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (!(schema instanceof Map)) {
            throw new IllegalArgumentException("The output schema must be a JSON object");
        }
        Map<String, Object> jsonSchema = new LinkedHashMap<>();
        jsonSchema.put("name", "json_schema");
        jsonSchema.put("strict", true);
        jsonSchema.put("schema", schema);
        Map<String, Object> format = new LinkedHashMap<>();
        format.put("type", "json_schema");
        format.put("json_schema", jsonSchema);
        return format;
    }
}
