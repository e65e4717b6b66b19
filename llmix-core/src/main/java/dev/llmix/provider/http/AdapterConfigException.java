package dev.llmix.provider.http;

import dev.llmix.LlmixLocalException;

/**
 * A local configuration error detected by an HTTP adapter before any request was sent: a missing API key, an invalid
 * base URL, an unknown provider, an unsafe gpu path or an unsupported option combination. The pipeline never retries
 * it and never counts it against a circuit breaker.
 */
public class AdapterConfigException extends LlmixLocalException {

    private static final long serialVersionUID = 1L;

    public AdapterConfigException(String message) {
        super(message);
    }
}
