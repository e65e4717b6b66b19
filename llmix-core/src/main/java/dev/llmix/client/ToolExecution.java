package dev.llmix.client;

import dev.llmix.tools.ToolCall;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * One tool call run by the tool loop: the step, the call, the result content sent back, whether it was an error
 * result, the handler's exception if any, and how long the handler ran.
 *
 * @param step      the 1-based model step whose call this was
 * @param call      the model's call
 * @param content   the tool message content sent back
 * @param isError   whether the result was an error result
 * @param exception the handler's exception, or {@code null}
 * @param duration  the handler's run time ({@link Duration#ZERO} when no handler ran)
 */
public record ToolExecution(int step, ToolCall call, String content, boolean isError, @Nullable Exception exception,
        Duration duration) {
}
