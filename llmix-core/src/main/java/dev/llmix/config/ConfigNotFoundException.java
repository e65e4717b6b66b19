package dev.llmix.config;

import org.jspecify.annotations.Nullable;

/**
 * A preset file or a registry file does not exist, or a preset id is not in the active registry revision.
 */
public class ConfigNotFoundException extends LlmConfigException {

    private static final long serialVersionUID = 1L;

    public ConfigNotFoundException(String message) {
        super(message);
    }

    public ConfigNotFoundException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
