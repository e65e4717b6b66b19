package dev.llmix.spi;

import org.jspecify.annotations.Nullable;

/**
 * A dispatch that did not answer within its time: a network error (no status) to the retry loop and circuit breaker,
 * reported to the application as a {@code TIMEOUT} failure.
 */
public class ProviderTimeoutException extends ProviderException {

    private static final long serialVersionUID = 1L;

    public ProviderTimeoutException(String message, @Nullable Throwable cause) {
        super(message, null, null, cause);
    }
}
