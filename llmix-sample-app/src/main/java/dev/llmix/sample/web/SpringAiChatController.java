package dev.llmix.sample.web;

import dev.llmix.springai.LlmixChatException;
import dev.llmix.springai.LlmixChatOptions;
import dev.llmix.springai.LlmixMetadata;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/spring-ai/chat}: the same preset call as {@code POST /api/chat}, made through Spring AI's
 * {@link ChatClient} over LLMix's {@code LlmixChatModel}; it shares LLMix's cache, breaker and kill switch.
 */
@RestController
public class SpringAiChatController {

    /**
     * A Spring AI chat request.
     *
     * @param module  preset module; {@code llmix.spring-ai.default-module} when absent
     * @param preset  preset name; {@code llmix.spring-ai.default-preset} when absent
     * @param message the user message
     */
    public record SpringAiChatRequest(@Nullable String module, @Nullable String preset, String message) {

        public SpringAiChatRequest {
            if (message == null || message.isBlank()) {
                throw new IllegalArgumentException("message is required, e.g. {\"message\": \"What is LLMix?\"}");
            }
        }
    }

    private final ChatClient chatClient;

    SpringAiChatController(ChatClient.Builder chatClient) {
        this.chatClient = chatClient.build();
    }

    @PostMapping("/api/spring-ai/chat")
    ResponseEntity<Map<String, Object>> chat(@RequestBody SpringAiChatRequest request) {
        ChatResponse response;
        try {
            response = chatClient.prompt().user(request.message())
                    .options(LlmixChatOptions.builder().module(request.module()).preset(request.preset()))
                    .call().chatResponse();
        } catch (LlmixChatException e) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("error", e.getMessage()));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        var output = response.getResult().getOutput();
        body.put("content", output.getText());
        body.put("model", response.getMetadata().getModel());
        body.put("provider", response.getMetadata().get(LlmixMetadata.PROVIDER));
        body.put("cacheHit", response.getMetadata().get(LlmixMetadata.CACHE_HIT));
        Usage usage = response.getMetadata().getUsage();
        body.put("usage", Map.of("inputTokens", usage.getPromptTokens(), "outputTokens",
                usage.getCompletionTokens(), "totalTokens", usage.getTotalTokens()));
        body.put("thinkingContent", output.getMetadata().get(LlmixMetadata.THINKING_CONTENT));
        return ResponseEntity.ok(body);
    }
}
