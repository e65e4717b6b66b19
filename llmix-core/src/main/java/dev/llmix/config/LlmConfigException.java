package dev.llmix.config;

import dev.llmix.LlmixLocalException;
import org.jspecify.annotations.Nullable;

/**
 * Base of every preset and registry error: a preset or registry that could not be found, read, parsed, validated or trusted. Catch it to handle any configuration failure.
 */
public class LlmConfigException extends LlmixLocalException {

    private static final long serialVersionUID = 1L;

    public LlmConfigException(String message) {
        super(message);
    }

    public LlmConfigException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
