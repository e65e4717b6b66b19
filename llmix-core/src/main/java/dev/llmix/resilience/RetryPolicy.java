package dev.llmix.resilience;

import dev.llmix.internal.EcmaScript;
import dev.llmix.internal.JsNumbers;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Retry policy of the call pipeline: how many retries, the exponential backoff with uniform
 * integer jitter, and the {@code Retry-After} header that overrides it. The delay functions are pure (randomness and
 * the wall clock are injected) so the shared vectors pin them down.
 *
 * <p>Resilience4j's {@code Retry} is deliberately not used: the interval must come from each error's own
 * {@code Retry-After} header with injected jitter, and every attempt in the pipeline re-acquires the AIMD permit and
 * the key-pool state, so the pipeline drives its own async loop from {@link #getDelayMs(int, String)}.
 */
public final class RetryPolicy {

    private static final int DEFAULT_MAX_RETRIES = 3;
    private static final double DEFAULT_BASE_MS = 1000;
    private static final double DEFAULT_MAX_DELAY_MS = 30_000;
    private static final double DEFAULT_JITTER_MS = 1000;
    private static final double DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

    private final int maxRetries;
    private final double baseMs;
    private final double maxDelayMs;
    private final double jitterMs;
    private final double maxRetryAfterMs;
    private final DoubleSupplier random;
    private final LongSupplier clock;

    private RetryPolicy(Builder b, int maxRetries, double baseMs, double maxDelayMs, double jitterMs,
            double maxRetryAfterMs) {
        this.maxRetries = maxRetries;
        this.baseMs = baseMs;
        this.maxDelayMs = maxDelayMs;
        this.jitterMs = jitterMs;
        this.maxRetryAfterMs = maxRetryAfterMs;
        this.random = b.random;
        this.clock = b.clock;
    }

    /** A builder with the defaults 3 / 1000 / 30 000 / 1000 / 60 000, {@code Math.random}-like jitter, system clock. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The {@code Retry-After} delay in ms (capped at {@link #maxRetryAfterMs()}), or null when the header is absent or
     * does not parse: a 429 then rotates keys only, with no cool-down (docs/fleet.md, shared key health).
     */
    public @Nullable Double retryAfterMs(@Nullable String retryAfterHeader) {
        return parseRetryAfter(retryAfterHeader, maxRetryAfterMs, clock.getAsLong());
    }

    /** Retries after the first attempt; total attempts are {@code maxRetries() + 1}. */
    public int maxRetries() {
        return maxRetries;
    }

    /** Base delay of the exponential backoff, in ms. */
    public double baseMs() {
        return baseMs;
    }

    /** Cap of the exponential part, applied before jitter, in ms. */
    public double maxDelayMs() {
        return maxDelayMs;
    }

    /** Upper bound of the uniform integer jitter, in ms. */
    public double jitterMs() {
        return jitterMs;
    }

    /** Cap of a {@code Retry-After} delay, in ms. */
    public double maxRetryAfterMs() {
        return maxRetryAfterMs;
    }

    /**
     * The delay before retry number {@code attempt + 1} (the first retry sleeps {@code getDelayMs(0, …)}): the
     * {@code Retry-After} delay when the header parses (it may exceed {@code maxDelayMs}), else the jittered backoff;
     * floored to whole milliseconds.
     */
    public long getDelayMs(int attempt, @Nullable String retryAfterHeader) {
        Double retryAfter = parseRetryAfter(retryAfterHeader, maxRetryAfterMs, clock.getAsLong());
        double delay = retryAfter != null ? retryAfter
                : calculateDelay(attempt, baseMs, maxDelayMs, jitterMs, random.getAsDouble());
        return (long) Math.floor(delay);
    }

    @Override
    public String toString() {
        return "RetryPolicy[maxRetries=" + maxRetries + ", baseMs=" + JsNumbers.toString(baseMs) + ", maxDelayMs="
                + JsNumbers.toString(maxDelayMs) + ", jitterMs=" + JsNumbers.toString(jitterMs)
                + ", maxRetryAfterMs=" + JsNumbers.toString(maxRetryAfterMs) + "]";
    }

    /** True exactly for 408, 429 and 500–599. */
    public static boolean isRetryable(int status) {
        return status == 408 || status == 429 || (status >= 500 && status <= 599);
    }

    /**
     * {@code min(2^attempt × baseMs, maxDelayMs) + floor(random × (jitterMs + 1))} in binary64, with {@code random}
     * in [0, 1). Large attempts saturate at the cap; {@code baseMs = 0} gives an exponential part of 0 for every
     * attempt (the reference's {@code 0 × Infinity = NaN} is not copied).
     */
    public static double calculateDelay(double attempt, double baseMs, double maxDelayMs, double jitterMs,
            double random) {
        double exponential = baseMs == 0 ? 0 : Math.pow(2, attempt) * baseMs;
        return Math.min(exponential, maxDelayMs) + Math.floor(random * (jitterMs + 1));
    }

    /**
     * The delay a {@code Retry-After} value asks for, in ms, or {@code null}. After ECMAScript trimming, ASCII digits
     * mean seconds ({@code min(seconds × 1000, maxMs)}); otherwise only an RFC 9110 HTTP-date (IMF-fixdate, RFC 850,
     * asctime; case-sensitive, GMT) strictly after {@code nowEpochMs} counts, as {@code min(date − now, maxMs)}.
     */
    public static @Nullable Double parseRetryAfter(@Nullable String value, double maxMs, long nowEpochMs) {
        if (value == null) {
            return null;
        }
        String text = EcmaScript.trim(value);
        if (text.isEmpty()) {
            return null;
        }
        if (isAsciiDigits(text)) {
            // parseDouble rounds long digit strings correctly, as JS Number() does; huge values saturate at maxMs.
            return Math.min(Double.parseDouble(text) * 1000, maxMs);
        }
        Long dateMs = HttpDates.parseEpochMillis(text);
        if (dateMs == null || dateMs <= nowEpochMs) {
            return null;
        }
        return Math.min((double) (dateMs - nowEpochMs), maxMs);
    }

    private static boolean isAsciiDigits(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * Builds a {@link RetryPolicy}. A {@code null} number means "use the default"; {@link #build()} validates the
     * options in the order maxRetries, baseMs, maxDelayMs, jitterMs, maxRetryAfterMs and reports the first violation.
     */
    public static final class Builder {

        private @Nullable Number maxRetries;
        private @Nullable Number baseMs;
        private @Nullable Number maxDelayMs;
        private @Nullable Number jitterMs;
        private @Nullable Number maxRetryAfterMs;
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
        private LongSupplier clock = System::currentTimeMillis;

        private Builder() {
        }

        /** Retries after the first attempt (default 3); must be non-negative. */
        public Builder maxRetries(int maxRetries) {
            this.maxRetries = maxRetries;
            return this;
        }

        /**
         * Retries from a dynamically typed source such as a config file ({@code null} = default); must be a
         * non-negative integer, values above {@link Integer#MAX_VALUE} saturate.
         */
        public Builder maxRetries(@Nullable Number maxRetries) {
            this.maxRetries = maxRetries;
            return this;
        }

        /** Base delay in ms (default 1000); non-negative and finite. */
        public Builder baseMs(double baseMs) {
            this.baseMs = baseMs;
            return this;
        }

        /** Base delay in ms, {@code null} = default. */
        public Builder baseMs(@Nullable Number baseMs) {
            this.baseMs = baseMs;
            return this;
        }

        /** Cap of the exponential part in ms (default 30 000); non-negative and finite; may be below the base. */
        public Builder maxDelayMs(double maxDelayMs) {
            this.maxDelayMs = maxDelayMs;
            return this;
        }

        /** Cap of the exponential part in ms, {@code null} = default. */
        public Builder maxDelayMs(@Nullable Number maxDelayMs) {
            this.maxDelayMs = maxDelayMs;
            return this;
        }

        /** Jitter upper bound in ms (default 1000); non-negative and finite. */
        public Builder jitterMs(double jitterMs) {
            this.jitterMs = jitterMs;
            return this;
        }

        /** Jitter upper bound in ms, {@code null} = default. */
        public Builder jitterMs(@Nullable Number jitterMs) {
            this.jitterMs = jitterMs;
            return this;
        }

        /** Cap of a {@code Retry-After} delay in ms (default 60 000); non-negative and finite. */
        public Builder maxRetryAfterMs(double maxRetryAfterMs) {
            this.maxRetryAfterMs = maxRetryAfterMs;
            return this;
        }

        /** Cap of a {@code Retry-After} delay in ms, {@code null} = default. */
        public Builder maxRetryAfterMs(@Nullable Number maxRetryAfterMs) {
            this.maxRetryAfterMs = maxRetryAfterMs;
            return this;
        }

        /** Source of uniform values in [0, 1) for the jitter. */
        public Builder random(DoubleSupplier random) {
            this.random = java.util.Objects.requireNonNull(random, "random");
            return this;
        }

        /** Wall clock in epoch milliseconds, for {@code Retry-After} dates. */
        public Builder clock(LongSupplier epochMillis) {
            this.clock = java.util.Objects.requireNonNull(epochMillis, "epochMillis");
            return this;
        }

        /**
         * The policy.
         *
         * @throws IllegalArgumentException naming the first invalid option, e.g.
         *         {@code baseMs must be a non-negative finite number, got -1}
         */
        public RetryPolicy build() {
            double retries = maxRetries == null ? DEFAULT_MAX_RETRIES : maxRetries.doubleValue();
            if (!(retries >= 0) || Double.isInfinite(retries) || retries != Math.floor(retries)) {
                throw new IllegalArgumentException(
                        "maxRetries must be a non-negative integer, got " + JsNumbers.toString(retries));
            }
            double base = nonNegativeFinite("baseMs", baseMs, DEFAULT_BASE_MS);
            double maxDelay = nonNegativeFinite("maxDelayMs", maxDelayMs, DEFAULT_MAX_DELAY_MS);
            double jitter = nonNegativeFinite("jitterMs", jitterMs, DEFAULT_JITTER_MS);
            double maxRetryAfter = nonNegativeFinite("maxRetryAfterMs", maxRetryAfterMs, DEFAULT_MAX_RETRY_AFTER_MS);
            return new RetryPolicy(this, (int) Math.min(retries, Integer.MAX_VALUE), base, maxDelay, jitter,
                    maxRetryAfter);
        }

        private static double nonNegativeFinite(String name, @Nullable Number value, double fallback) {
            double v = value == null ? fallback : value.doubleValue();
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException(
                        name + " must be a non-negative finite number, got " + JsNumbers.toString(v));
            }
            return v;
        }
    }
}
