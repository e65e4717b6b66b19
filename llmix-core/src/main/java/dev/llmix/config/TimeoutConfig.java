package dev.llmix.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A preset's {@code timeout} block, in seconds as written in the preset.
 *
 * @param totalTime            the whole-call deadline in seconds (absent: {@code PipelineConfig.defaultCallTimeout()});
 *                             also the HTTP request timeout of each exchange of the built-in adapters
 * @param streamFirstChunkTime the budget for the first streamed chunk in seconds, where streaming exists
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TimeoutConfig(@Nullable Number totalTime, @Nullable Number streamFirstChunkTime) {

    /** {@code totalTime} as a duration, or {@code null} when absent. */
    public @Nullable Duration totalTimeDuration() {
        return toDuration(totalTime);
    }

    /** {@code streamFirstChunkTime} as a duration, or {@code null} when absent. */
    public @Nullable Duration streamFirstChunkDuration() {
        return toDuration(streamFirstChunkTime);
    }

    private static @Nullable Duration toDuration(@Nullable Number seconds) {
        if (seconds == null) {
            return null;
        }
        return Duration.ofNanos(Math.round(seconds.doubleValue() * 1_000_000_000d));
    }
}
