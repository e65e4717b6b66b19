package dev.llmix.structured;

import dev.llmix.pipeline.CallResponse;
import org.jspecify.annotations.Nullable;

/**
 * {@code callForObject} could not produce a value: the call failed, the model refused or was cut off, or its answer is
 * empty, not JSON, or does not bind to the requested type. The message never contains the raw answer; read it from
 * {@link #rawContent()}.
 */
public class StructuredOutputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why structured output failed. */
    public enum Reason {
        /** The pipeline call failed ({@code success = false}). */
        CALL_FAILED,
        /** The model refused; the raw content is the refusal text. */
        REFUSAL,
        /** The answer was cut off ({@code finishReason length}). */
        TRUNCATED,
        /** There was nothing to parse. */
        EMPTY,
        /** The answer is not one JSON value. */
        INVALID_JSON,
        /** The JSON does not bind to the requested type. */
        SCHEMA_MISMATCH
    }

    private final Reason reason;
    private final String rawContent;
    private final transient CallResponse response;
    private final int attempts;

    public StructuredOutputException(Class<?> type, Reason reason, String detail, String rawContent,
            CallResponse response, int attempts, @Nullable Throwable cause) {
        super("structured output for " + type.getSimpleName() + " failed (" + reason + "): " + detail, cause);
        this.reason = reason;
        this.rawContent = rawContent;
        this.response = response;
        this.attempts = attempts;
    }

    public Reason reason() {
        return reason;
    }

    /** The answer as received (never null). */
    public String rawContent() {
        return rawContent;
    }

    /** The pipeline response of the last attempt. */
    public CallResponse response() {
        return response;
    }

    /** The number of pipeline calls made (2 after a failed repair). */
    public int attempts() {
        return attempts;
    }
}
