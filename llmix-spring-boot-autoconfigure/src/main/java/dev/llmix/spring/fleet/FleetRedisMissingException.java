package dev.llmix.spring.fleet;

/**
 * Start-up failure when a fleet feature is enabled but no Redis is available to share it through (docs/fleet.md):
 * never a silent fallback to local behaviour.
 */
public final class FleetRedisMissingException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** The message every such start-up failure carries. */
    public static final String MESSAGE =
            "llmix.fleet.* needs Spring Data Redis and a configured connection (spring.data.redis.*)";

    /** The exception with {@link #MESSAGE}, plus what was found missing. */
    public FleetRedisMissingException(String detail) {
        super(MESSAGE + ": " + detail);
    }
}
