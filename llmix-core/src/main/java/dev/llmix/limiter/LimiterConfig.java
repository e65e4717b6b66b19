package dev.llmix.limiter;

/**
 * The AIMD limiter's window bounds: it starts at (and never exceeds) {@code initial} and never shrinks below
 * {@code min} (Spring: {@code llmix.pipeline.limiter.initial} / {@code .min}).
 *
 * @param initial the starting window and ceiling, at least 1
 * @param min     the floor, between 1 and {@code initial}
 */
public record LimiterConfig(int initial, int min) {

    /** The defaults: 32 and 4. */
    public static final LimiterConfig DEFAULTS = new LimiterConfig(AdaptiveSemaphore.DEFAULT_INITIAL,
            AdaptiveSemaphore.DEFAULT_MIN_CONCURRENCY);

    public LimiterConfig {
        if (initial < 1) {
            throw new IllegalArgumentException("initial must be >= 1");
        }
        if (min < 1) {
            throw new IllegalArgumentException("minConcurrency must be >= 1");
        }
        if (min > initial) {
            throw new IllegalArgumentException("minConcurrency must be <= initial");
        }
    }
}
