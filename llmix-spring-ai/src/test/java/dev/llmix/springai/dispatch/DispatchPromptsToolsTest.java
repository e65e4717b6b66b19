package dev.llmix.springai.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmix.config.LlmConfig;
import dev.llmix.spi.DispatchContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;

/** How the attempt's {@code tools} reach a Spring AI delegate's options (docs/spring-ai.md, tools). */
class DispatchPromptsToolsTest {

    private static final Map<String, Object> LOOKUP = Map.of("type", "function", "function",
            Map.of("name", "lookup", "description", "Looks a word up",
                    "parameters", Map.of("type", "object", "properties", Map.of("word", Map.of("type", "string")))));

    private static DispatchContext context(@Nullable Object tools) {
        LlmConfig config = LlmConfig.builder("openai", "gpt-4o-mini").build();
        Map<String, @Nullable Object> kwargs = new java.util.LinkedHashMap<>();
        kwargs.put("model", "gpt-4o-mini");
        if (tools != null) {
            kwargs.put("tools", tools);
        }
        return new DispatchContext("openai", "gpt-4o-mini", "sk-test", List.of(Map.of("role", "user", "content", "hi")),
                kwargs, config);
    }

    @Test
    void toolsBecomeDefinitionOnlyCallbacksOnAToolCallingDelegate() {
        ChatOptions options = DispatchPrompts.options(ToolCallingChatOptions.builder().build(), context(List.of(LOOKUP)),
                "delegate", (key, bean) -> { });

        List<ToolCallback> callbacks = ((ToolCallingChatOptions) options).getToolCallbacks();
        assertThat(callbacks).hasSize(1);
        assertThat(callbacks.get(0).getToolDefinition().name()).isEqualTo("lookup");
        assertThat(callbacks.get(0).getToolDefinition().description()).isEqualTo("Looks a word up");
        assertThat(callbacks.get(0).getToolDefinition().inputSchema()).contains("\"word\"");
    }

    @Test
    void aDefinitionOnlyCallbackNeverRunsTheTool() {
        ToolCallback callback = java.util.Objects.requireNonNull(DispatchPrompts.toolCallbacks(List.of(LOOKUP))).get(0);

        assertThatThrownBy(() -> callback.call("{\"word\":\"x\"}"))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("Tool lookup is executed by the LLMix caller, not by the Spring AI delegate");
    }

    @Test
    void aDelegateWhoseOptionsCannotCarryToolsFailsLocallyWithTheBeanName() {
        List<String> dropped = new ArrayList<>();

        assertThatThrownBy(() -> DispatchPrompts.options(ChatOptions.builder().build(), context(List.of(LOOKUP)),
                "plainModel", (key, bean) -> dropped.add(key)))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("plainModel cannot accept tools");
    }

    @Test
    void noToolsSetTheDelegatesCallbacksToNull() {
        ChatOptions options = DispatchPrompts.options(ToolCallingChatOptions.builder().build(), context(null),
                "delegate", (key, bean) -> { });

        assertThat(((ToolCallingChatOptions) options).getToolCallbacks()).isNull();
    }
}
