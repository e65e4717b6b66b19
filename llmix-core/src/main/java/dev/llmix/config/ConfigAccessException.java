package dev.llmix.config;

import org.jspecify.annotations.Nullable;

/**
 * A preset or registry file exists but cannot be read (permission denied, not a regular file, other I/O failure).
 */
public class ConfigAccessException extends LlmConfigException {

    private static final long serialVersionUID = 1L;

    public ConfigAccessException(String message) {
        super(message);
    }

    public ConfigAccessException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
