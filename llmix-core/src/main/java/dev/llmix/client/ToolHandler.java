package dev.llmix.client;

import dev.llmix.tools.ToolCall;
import org.jspecify.annotations.Nullable;

/**
 * Runs one tool call in {@link LlmixClient#callWithTools}. The return value becomes the tool result: a
 * {@code String} as is, a {@link dev.llmix.tools.ToolResult} with its error flag, {@code null} as {@code ""}, any other
 * object serialised to JSON. An exception becomes an error result {@code Error: <message>} that the model sees.
 */
@FunctionalInterface
public interface ToolHandler {

    /** Handles {@code call}; may throw to report a failure to the model. */
    @Nullable Object handle(ToolCall call) throws Exception;
}
