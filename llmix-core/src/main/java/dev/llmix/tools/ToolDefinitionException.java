package dev.llmix.tools;

/** A tool definition, tool set or tool choice that no provider would accept; thrown before anything is sent. */
public class ToolDefinitionException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public ToolDefinitionException(String message) {
        super(message);
    }

    public ToolDefinitionException(String message, Throwable cause) {
        super(message, cause);
    }
}
