package dev.llmix.springai;

import dev.llmix.client.CallOptions;
import dev.llmix.client.Message;
import dev.llmix.tools.Tool;
import dev.llmix.tools.ToolCall;
import dev.llmix.tools.ToolChoice;
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
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** Spring AI prompt messages and options to LLMix messages and {@link CallOptions} (docs/spring-ai.md, "Mapping"). */
final class PromptMapping {

    private static final JsonMapper JSON = JsonMapper.builder().build();

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
                    out.add(Message.assistant(text(assistant.getText()), toolCalls(assistant)));
                } else {
                    out.add(Message.assistant(text(assistant.getText())));
                }
            } else if (m instanceof ToolResponseMessage toolResponses) {
                for (ToolResponseMessage.ToolResponse r : toolResponses.getResponses()) {
                    out.add(Message.toolResult(r.id(), r.name(), text(r.responseData())));
                }
            } else {
                throw new IllegalArgumentException("LlmixChatModel does not support " + m.getMessageType()
                        + " messages");
            }
        }
        return out;
    }

    /**
     * The assistant turn's calls as LLMix tool calls, each with the continuation data the bridge stored in the
     * message's {@value LlmixMetadata#TOOL_CALL_EXTRA_CONTENT} metadata when the model asked for it (Spring AI's tool
     * loop replays that message, so Gemini thought signatures and Anthropic thinking blocks survive the turn).
     */
    private static List<ToolCall> toolCalls(AssistantMessage assistant) {
        Map<?, ?> extra = assistant.getMetadata().get(LlmixMetadata.TOOL_CALL_EXTRA_CONTENT) instanceof Map<?, ?> e
                ? e : Map.of();
        List<ToolCall> calls = new ArrayList<>(assistant.getToolCalls().size());
        for (AssistantMessage.ToolCall c : assistant.getToolCalls()) {
            Object data = extra.get(c.id());
            @SuppressWarnings("unchecked")
            Map<String, @Nullable Object> extraContent = data instanceof Map<?, ?> d
                    ? (Map<String, @Nullable Object>) d : null;
            String arguments = c.arguments() == null || c.arguments().isBlank() ? "{}" : c.arguments();
            calls.add(new ToolCall(text(c.id()), c.name(), arguments, extraContent));
        }
        return calls;
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
            b.tools(tools(tools.getToolCallbacks()));
        }
        if (options instanceof LlmixChatOptions llmix) {
            b.toolChoice(toolChoice(llmix.getToolChoice()))
                    .parallelToolCalls(llmix.getParallelToolCalls());
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

    /**
     * One LLMix function tool per callback definition. The callbacks themselves stay with Spring AI: the model only
     * sees the definitions, and {@code ToolCallingManager} runs them (docs/spring-ai.md, "Tools").
     */
    private static List<Tool> tools(List<ToolCallback> callbacks) {
        List<Tool> out = new ArrayList<>(callbacks.size());
        for (ToolCallback callback : callbacks) {
            ToolDefinition definition = callback.getToolDefinition();
            String description = definition.description() == null || definition.description().isBlank() ? null
                    : definition.description();
            String schema = definition.inputSchema();
            // ToolDefinitionException is an IllegalArgumentException: bad names and schemas fail before sending.
            out.add(schema == null || schema.isBlank() ? Tool.function(definition.name(), description)
                    : Tool.function(definition.name(), description, schema));
        }
        return out;
    }

    /** {@code auto}, {@code none}, {@code required}, else the name of the function the model must call. */
    private static @Nullable ToolChoice toolChoice(@Nullable String choice) {
        if (choice == null || choice.isBlank()) {
            return null;
        }
        switch (choice) {
            case "auto":
                return ToolChoice.auto();
            case "none":
                return ToolChoice.none();
            case "required":
                return ToolChoice.required();
            default:
                return ToolChoice.function(choice);
        }
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
