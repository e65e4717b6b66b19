package dev.llmix.config;

import org.jspecify.annotations.Nullable;

/**
 * A name or path tries to leave its base directory, or a registry fails a trust check (tampering, signature, freshness). Named so as not to clash with {@code java.lang.SecurityException}.
 */
public class ConfigSecurityException extends LlmConfigException {

    private static final long serialVersionUID = 1L;

    public ConfigSecurityException(String message) {
        super(message);
    }

    public ConfigSecurityException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
