package dev.llmix.sample.web;

import dev.llmix.client.LlmixClient;
import dev.llmix.pipeline.CallResponse;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/chat}: one call of a preset through {@link LlmixClient}; the answer is the pipeline's
 * {@link CallResponse} as JSON, failures included ({@code success: false} with {@code error}).
 */
@RestController
public class ChatController {

    /**
     * A chat request.
     *
     * @param module   preset module, e.g. {@code demo}
     * @param preset   preset name, e.g. {@code chat}
     * @param messages chat messages such as {@code {"role": "user", "content": "hi"}}
     */
    public record ChatRequest(String module, String preset, List<Map<String, Object>> messages) {

        public ChatRequest {
            if (module == null || module.isBlank() || preset == null || preset.isBlank()) {
                throw new IllegalArgumentException("module and preset are required, e.g. {\"module\": \"demo\", "
                        + "\"preset\": \"chat\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}");
            }
            if (messages == null || messages.isEmpty()) {
                throw new IllegalArgumentException("messages must hold at least one message");
            }
        }
    }

    private final LlmixClient llmix;

    ChatController(LlmixClient llmix) {
        this.llmix = llmix;
    }

    @PostMapping("/api/chat")
    CallResponse chat(@RequestBody ChatRequest request) {
        return llmix.call(request.module(), request.preset(), request.messages());
    }
}
