package dev.llmix.pipeline;

import dev.llmix.spi.ToolCallDelta;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One element of a streamed call: visible text, reasoning text or tool-call fragments added since the previous chunk,
 * or, on the last chunk ({@code done}), the assembled {@link CallResponse} (also for failures). A non-{@code done}
 * chunk always carries at least one non-empty delta; the {@code done} chunk carries none.
 *
 * @param contentDelta   visible text added, thinking removed; {@code ""} when none
 * @param thinkingDelta  reasoning text added (tag-stripped or native); {@code ""} when none
 * @param toolCallDeltas tool-call fragments; empty when none
 * @param done           true only for the last chunk
 * @param response       the assembled or failed response on the {@code done} chunk, else {@code null}
 */
public record CallChunk(String contentDelta, String thinkingDelta, List<ToolCallDelta> toolCallDeltas, boolean done,
        @Nullable CallResponse response) {

    public CallChunk {
        Objects.requireNonNull(contentDelta, "contentDelta");
        Objects.requireNonNull(thinkingDelta, "thinkingDelta");
        toolCallDeltas = List.copyOf(toolCallDeltas);
        if (done != (response != null)) {
            throw new IllegalArgumentException("a chunk has a response exactly when it is done");
        }
    }

    /** A text chunk (content and/or thinking). */
    public static CallChunk text(String contentDelta, String thinkingDelta) {
        return new CallChunk(contentDelta, thinkingDelta, List.of(), false, null);
    }

    /** A chunk with one tool-call fragment. */
    public static CallChunk toolCall(ToolCallDelta delta) {
        return new CallChunk("", "", List.of(delta), false, null);
    }

    /** The last chunk of a stream. */
    public static CallChunk done(CallResponse response) {
        return new CallChunk("", "", List.of(), true, Objects.requireNonNull(response, "response"));
    }

    /** True for a {@code done} chunk whose response failed. */
    public boolean isFailure() {
        return done && response != null && !response.success();
    }
}
