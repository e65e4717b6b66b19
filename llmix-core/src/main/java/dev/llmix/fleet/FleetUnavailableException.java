package dev.llmix.fleet;

/**
 * Raised to a fleet feature (never to an LLM call) when Redis is unhealthy and no command was sent; the feature then
 * falls back to its local behaviour.
 */
public final class FleetUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** An exception with a message naming why the command was not sent. */
    public FleetUnavailableException(String message) {
        super(message, null, false, false);
    }
}
