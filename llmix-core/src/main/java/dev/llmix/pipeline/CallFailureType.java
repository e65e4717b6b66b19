package dev.llmix.pipeline;

/**
 * Why a call failed, in terms an application can act on (map to an HTTP status, decide whether to retry later). Each
 * type carries a default end-user message that names no file, key or URL.
 */
public enum CallFailureType {
    /** The kill switch (file or fleet) refused the call; nothing was sent to a provider. */
    KILL_SWITCH("The AI service is temporarily disabled."),
    /** The circuit breaker of the provider and base URL is open after repeated failures. */
    CIRCUIT_OPEN("The AI provider is failing; requests are paused for a short while."),
    /** The provider answered 429, or every API key is cooling down after one. */
    RATE_LIMITED("The AI provider is rate-limiting requests; try again shortly."),
    /** An attempt or the whole call ran out of time (including HTTP 408 and 504 from the provider). */
    TIMEOUT("The AI provider did not answer in time."),
    /** The provider rejected the credentials (HTTP 401 or 403). */
    AUTHENTICATION("The AI provider rejected the service's credentials."),
    /** The provider failed (HTTP 5xx) or sent an unusable answer. */
    PROVIDER_ERROR("The AI provider failed to answer."),
    /** The request was refused as invalid, by the provider (other HTTP 4xx) or locally before sending it. */
    INVALID_REQUEST("The AI provider could not process the request."),
    /** The provider could not be reached (connection refused or reset, DNS, TLS). */
    NETWORK("The AI provider could not be reached."),
    /** The client or pipeline is shut down (or the waiting thread was interrupted). */
    SHUT_DOWN("The AI service is shutting down."),
    /** Local configuration is missing or wrong: no API key for the provider, an invalid preset or adapter setting. */
    CONFIGURATION("The AI service is not configured correctly.");

    private final String defaultMessage;

    CallFailureType(String defaultMessage) {
        this.defaultMessage = defaultMessage;
    }

    /** A sentence safe to show to an end user. */
    public String defaultMessage() {
        return defaultMessage;
    }
}
