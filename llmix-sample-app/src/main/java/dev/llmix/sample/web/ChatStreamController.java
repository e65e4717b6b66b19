package dev.llmix.sample.web;

import dev.llmix.client.LlmixClient;
import dev.llmix.pipeline.CallChunk;
import dev.llmix.spring.mvc.LlmixSseEmitters;
import java.time.Duration;
import java.util.stream.Stream;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code POST /api/chat/stream}: the {@code /api/chat} body, answered as {@code text/event-stream} with {@code chunk}
 * events ({@code content}, {@code thinking}, {@code toolCalls}, non-empty ones only) and one {@code done} event
 * carrying the {@code CallResponse} as {@code /api/chat} returns it (docs/streaming.md, "Spring MVC"). A client that
 * disconnects cancels the provider request.
 */
@RestController
public class ChatStreamController {

    private final LlmixClient llmix;
    private final SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("chat-stream-");

    ChatStreamController(LlmixClient llmix) {
        this.llmix = llmix;
    }

    @PostMapping(path = "/api/chat/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter stream(@RequestBody ChatController.ChatRequest request) {
        // Invalid input throws here, before any event, and gets the plain 400 JSON error.
        Stream<CallChunk> chunks = llmix.streamBlocking(request.module(), request.preset(), request.messages());
        return LlmixSseEmitters.stream(chunks, executor, Duration.ofMinutes(20));
    }
}
