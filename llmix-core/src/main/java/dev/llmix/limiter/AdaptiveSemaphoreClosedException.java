package dev.llmix.limiter;

import dev.llmix.LlmixLocalException;

/**
 * Thrown (or used to fail a pending acquisition) once an {@link AdaptiveSemaphore} has been closed. A local error:
 * the provider was never contacted.
 */
public class AdaptiveSemaphoreClosedException extends LlmixLocalException {

    private static final long serialVersionUID = 1L;

    public AdaptiveSemaphoreClosedException() {
        super("AdaptiveSemaphore is closed");
    }
}
