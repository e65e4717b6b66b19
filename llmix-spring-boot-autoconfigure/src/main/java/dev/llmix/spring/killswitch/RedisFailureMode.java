package dev.llmix.spring.killswitch;

/** What the fleet kill switch assumes while its store (Redis) cannot be read. */
public enum RedisFailureMode {
    /** Keep the last state read successfully (released if none was ever read). The default. */
    LAST_KNOWN,
    /** Treat the fleet switch as released: Redis trouble never stops traffic (the local file still does). */
    ALLOW,
    /** Treat the fleet switch as engaged: no call runs while the fleet state is unknown. */
    BLOCK
}
