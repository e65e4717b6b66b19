package dev.llmix.sample.web;

import dev.llmix.client.LlmixClient;
import dev.llmix.pipeline.CallChunk;
import dev.llmix.spi.ToolCallDelta;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        SseEmitter emitter = new SseEmitter(Duration.ofMinutes(20).toMillis());
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
                // Closing the stream (try-with-resources) cancelled the provider request.
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
            List<Map<String, Object>> calls = new ArrayList<>();
            for (ToolCallDelta d : chunk.toolCallDeltas()) {
                Map<String, Object> call = new LinkedHashMap<>();
                call.put("index", d.index());
                if (d.id() != null) {
                    call.put("id", d.id());
                }
                if (d.name() != null) {
                    call.put("name", d.name());
                }
                call.put("arguments", d.argumentsDelta());
                calls.add(call);
            }
            data.put("toolCalls", calls);
        }
        return data;
    }
}
