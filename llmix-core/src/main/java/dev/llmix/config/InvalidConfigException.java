package dev.llmix.config;

import org.jspecify.annotations.Nullable;

/**
 * A preset or registry file is malformed or breaks a validation rule: wrong extension, bad name format, invalid JSON or YAML, a value out of range, a digest mismatch.
 */
public class InvalidConfigException extends LlmConfigException {

    private static final long serialVersionUID = 1L;

    public InvalidConfigException(String message) {
        super(message);
    }

    public InvalidConfigException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
