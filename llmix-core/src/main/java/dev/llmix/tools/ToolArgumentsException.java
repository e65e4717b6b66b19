package dev.llmix.tools;

/** The arguments of a model-written tool call are not a JSON object (or do not bind to the requested type). */
public class ToolArgumentsException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String toolName;
    private final String toolCallId;
    private final String rawArguments;

    public ToolArgumentsException(String message, String toolName, String toolCallId, String rawArguments,
            Throwable cause) {
        super(message, cause);
        this.toolName = toolName;
        this.toolCallId = toolCallId;
        this.rawArguments = rawArguments;
    }

    /** The function name of the call. */
    public String toolName() {
        return toolName;
    }

    /** The id of the call. */
    public String toolCallId() {
        return toolCallId;
    }

    /** The arguments exactly as the model wrote them. */
    public String rawArguments() {
        return rawArguments;
    }
}
