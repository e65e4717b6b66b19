package dev.llmix.spring.examples;

import dev.llmix.client.LlmixClient;
import dev.llmix.config.LlmConfig;
import dev.llmix.pipeline.CallChunk;
import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
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
 * The Spring MVC pattern of docs/streaming.md: a {@code text/event-stream} handler returning an {@link SseEmitter}
 * fed from {@link LlmixClient#streamBlocking} on a task executor; a client that goes away closes the stream, which
 * cancels the provider request.
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
        // Longer than the preset's totalTime, so the pipeline's own timeout ends the stream first.
        SseEmitter emitter = new SseEmitter(Duration.ofMinutes(5).toMillis());
        Stream<CallChunk> chunks = client.streamBlocking(preset,
                List.of(Map.of("role", "user", "content", body.getOrDefault("message", ""))));
        emitter.onCompletion(chunks::close);
        emitter.onTimeout(chunks::close);
        emitter.onError(error -> chunks.close());
        executor.execute(() -> {
            try (chunks) {
                Iterator<CallChunk> it = chunks.iterator();
                while (it.hasNext()) {
                    CallChunk chunk = it.next();
                    if (chunk.done()) {
                        emitter.send(SseEmitter.event().name("done").data(chunk.response(),
                                MediaType.APPLICATION_JSON));
                    } else {
                        emitter.send(SseEmitter.event().name("chunk").data(delta(chunk), MediaType.APPLICATION_JSON));
                    }
                }
                emitter.complete();
            } catch (IOException clientGone) {
                // The client left: closing the stream (try-with-resources) cancelled the provider request.
            } catch (RuntimeException e) {
                emitter.completeWithError(e);
            }
        });
        return emitter;
    }

    private static Map<String, Object> delta(CallChunk chunk) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (!chunk.contentDelta().isEmpty()) {
            data.put("content", chunk.contentDelta());
        }
        if (!chunk.thinkingDelta().isEmpty()) {
            data.put("thinking", chunk.thinkingDelta());
        }
        if (!chunk.toolCallDeltas().isEmpty()) {
            data.put("toolCalls", chunk.toolCallDeltas());
        }
        return data;
    }
}
