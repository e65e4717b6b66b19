package dev.llmix.pipeline;

import dev.llmix.LlmixLocalException;

/**
 * The call's time budget ({@code timeout.totalTime}) ran out before the provider was contacted, e.g. while waiting for
 * a concurrency permit. Local: the provider never saw the request, so it is neither retried nor counted against the
 * circuit breaker. (A dispatch that outlives the budget is a network error instead.)
 */
public class CallTimeoutException extends LlmixLocalException {

    private static final long serialVersionUID = 1L;

    public CallTimeoutException(String message) {
        super(message);
    }
}
