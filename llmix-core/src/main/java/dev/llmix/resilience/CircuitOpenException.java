package dev.llmix.resilience;

import dev.llmix.LlmixException;

/**
 * Thrown by {@link CircuitBreaker#check()} when the breaker for a {@code (provider, baseUrl)} pair rejects a call.
 * Not a local error: it reflects the provider's recent failures.
 */
public class CircuitOpenException extends LlmixException {

    private static final long serialVersionUID = 1L;

    private final String provider;
    private final String baseUrl;

    /** The rejection for the breaker of {@code (provider, baseUrl)}. */
    public CircuitOpenException(String provider, String baseUrl) {
        super("Circuit breaker OPEN for (" + provider + ", " + baseUrl + ")");
        this.provider = provider;
        this.baseUrl = baseUrl;
    }

    /** The provider whose breaker is open. */
    public String provider() {
        return provider;
    }

    /** The base URL whose breaker is open. */
    public String baseUrl() {
        return baseUrl;
    }
}
