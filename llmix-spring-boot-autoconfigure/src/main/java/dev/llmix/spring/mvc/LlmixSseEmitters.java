package dev.llmix.spring.mvc;

import dev.llmix.pipeline.CallChunk;
import dev.llmix.spi.ToolCallDelta;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.stream.Stream;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Turns a blocking LLMix stream ({@code LlmixClient.streamBlocking}) into a Spring MVC {@link SseEmitter}: a
 * {@code chunk} event per delta, one {@code done} event with the {@code CallResponse}, and a client that disconnects
 * cancels the provider request (docs/streaming.md, "Spring MVC").
 */
public final class LlmixSseEmitters {

    private LlmixSseEmitters() {
    }

    /**
     * An emitter fed from {@code chunks} on {@code executor}: each chunk is sent as a named event ({@code chunk}, or
     * {@code done} last) with a JSON payload, then the emitter completes. The emitter's completion, timeout and error
     * callbacks close the stream, so a client that goes away cancels the provider request.
     *
     * @param chunks   the blocking stream; this method owns it and closes it
     * @param executor runs the loop that blocks on the stream (the application task executor, or virtual threads)
     * @param timeout  the emitter's timeout: longer than the preset's {@code totalTime}, so the pipeline's own timeout
     *                 ends the stream first
     * @return the emitter to return from a {@code text/event-stream} handler
     */
    public static SseEmitter stream(Stream<CallChunk> chunks, Executor executor, Duration timeout) {
        Objects.requireNonNull(chunks, "chunks");
        Objects.requireNonNull(executor, "executor");
        SseEmitter emitter = new SseEmitter(timeout.toMillis());
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
                        emitter.send(SseEmitter.event().name("chunk").data(chunkData(chunk),
                                MediaType.APPLICATION_JSON));
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

    /**
     * The JSON object of a {@code chunk} event: the non-empty ones among {@code content}, {@code thinking} and
     * {@code toolCalls} (each {@code {index, id, name, arguments}}, id and name only where known).
     *
     * @param chunk a non-{@code done} chunk
     * @return the event's data, in a stable field order
     */
    public static Map<String, Object> chunkData(CallChunk chunk) {
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
