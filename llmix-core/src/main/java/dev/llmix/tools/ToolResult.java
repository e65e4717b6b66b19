package dev.llmix.tools;

import java.util.Objects;

/**
 * What a tool handler reports back to the model: text content and whether it describes a failure (sent as an error
 * result, {@code is_error} in the neutral message model).
 *
 * @param content the result text
 * @param isError whether the content reports a failure
 */
public record ToolResult(String content, boolean isError) {

    public ToolResult {
        Objects.requireNonNull(content, "content");
    }

    /** A successful result. */
    public static ToolResult ok(String content) {
        return new ToolResult(content, false);
    }

    /** An error result. */
    public static ToolResult error(String content) {
        return new ToolResult(content, true);
    }
}
