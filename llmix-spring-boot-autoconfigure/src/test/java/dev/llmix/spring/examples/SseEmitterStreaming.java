package dev.llmix.spring.examples;

import dev.llmix.client.LlmixClient;
import dev.llmix.config.LlmConfig;
import dev.llmix.pipeline.CallChunk;
import dev.llmix.spring.mvc.LlmixSseEmitters;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.stream.Stream;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The Spring MVC snippet of docs/streaming.md: a {@code text/event-stream} handler returning the {@link SseEmitter}
 * of {@link LlmixSseEmitters#stream} fed from {@link LlmixClient#streamBlocking} on a task executor; a client that
 * goes away closes the stream, which cancels the provider request.
 */
@RestController
class SseEmitterStreaming {

    private final LlmixClient client;
    private final LlmConfig preset;
    private final Executor executor;

    SseEmitterStreaming(LlmixClient client, LlmConfig preset, Executor executor) {
        this.client = client;
        this.preset = preset;
        this.executor = executor;
    }

    @PostMapping(path = "/chat/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter stream(@RequestBody Map<String, String> body) {
        Stream<CallChunk> chunks = client.streamBlocking(preset,
                List.of(Map.of("role", "user", "content", body.getOrDefault("message", ""))));
        // Longer than the preset's totalTime, so the pipeline's own timeout ends the stream first.
        return LlmixSseEmitters.stream(chunks, executor, Duration.ofMinutes(5));
    }
}
