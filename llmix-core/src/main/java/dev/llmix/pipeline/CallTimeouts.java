package dev.llmix.pipeline;

import dev.llmix.config.TimeoutConfig;
import dev.llmix.internal.JsNumbers;
import java.time.Duration;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The two time limits of a call (docs/pipeline.md, "Timeouts"): the whole-call deadline (the preset's
 * {@code timeout.totalTime}, else {@link PipelineConfig#defaultCallTimeout()}) and the per-attempt timeout
 * ({@link PipelineConfig#attemptTimeout()}), which is always cut to what is left of the deadline.
 */
final class CallTimeouts {

    private CallTimeouts() {
    }

    /** The whole-call budget of one call: its length and the seconds as error messages print them. */
    record Budget(long nanos, String seconds) {
    }

    /** The deadline's length for a preset: {@code timeout.totalTime} when finite and positive, else the default. */
    static Budget budget(@Nullable TimeoutConfig timeout, PipelineConfig config) {
        Number total = timeout == null ? null : timeout.totalTime();
        if (total != null && Double.isFinite(total.doubleValue()) && total.doubleValue() > 0) {
            return new Budget((long) Math.min(Long.MAX_VALUE / 4d, total.doubleValue() * 1e9),
                    JsNumbers.toString(total.doubleValue()));
        }
        long nanos = config.defaultCallTimeout().toNanos();
        return new Budget(nanos, JsNumbers.toString(nanos / 1e9));
    }

    /**
     * How long an attempt that starts with {@code remainingNanos} of the deadline left may run: the attempt timeout
     * when it ends first, else the rest of the deadline.
     */
    static long attemptNanos(PipelineConfig config, long remainingNanos) {
        Duration attempt = config.attemptTimeout();
        long left = Math.max(0, remainingNanos);
        return attempt == null ? left : Math.min(left, attempt.toNanos());
    }

    /** The failure text of an attempt cut by the attempt timeout (a retryable network error, not the deadline). */
    static String attemptTimedOut(PipelineConfig config) {
        Duration attempt = config.attemptTimeout();
        double seconds = attempt == null ? 0 : attempt.toNanos() / 1e9;
        return "LLM call timed out after " + JsNumbers.toString(seconds) + " s (attempt timeout)";
    }

    /**
     * {@value PipelineConfig#CALL_TIMEOUT_ENV} (whole milliseconds) when set, else {@code fallback}; a value that is
     * not a positive whole number is a configuration error, not something to ignore.
     */
    static Duration defaultFromEnv(Function<String, @Nullable String> env, Duration fallback) {
        String raw = env.apply(PipelineConfig.CALL_TIMEOUT_ENV);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        long millis;
        try {
            millis = Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            millis = -1;
        }
        if (millis <= 0) {
            throw new IllegalArgumentException(PipelineConfig.CALL_TIMEOUT_ENV
                    + " must be a positive whole number of milliseconds, got '" + raw + "'");
        }
        return Duration.ofMillis(millis);
    }
}
