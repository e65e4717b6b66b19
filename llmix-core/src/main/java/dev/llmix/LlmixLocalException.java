package dev.llmix;

import org.jspecify.annotations.Nullable;

/**
 * Marker supertype of <em>local</em> errors: failures that happened before the provider was contacted (missing key
 * pool, exhausted keys, invalid kwargs, closed limiter, invalid config). The pipeline never retries them and never
 * counts them against a circuit breaker.
 */
public class LlmixLocalException extends LlmixException {

    private static final long serialVersionUID = 1L;

    public LlmixLocalException(String message) {
        super(message);
    }

    public LlmixLocalException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
