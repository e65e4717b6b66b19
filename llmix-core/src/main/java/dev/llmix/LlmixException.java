package dev.llmix;

import org.jspecify.annotations.Nullable;

/**
 * Root of every exception LLMix defines. Unchecked, because LLMix failures are reported as failed
 * {@code CallResponse}s on the call path and as start-up errors elsewhere.
 */
public class LlmixException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LlmixException(String message) {
        super(message);
    }

    public LlmixException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
