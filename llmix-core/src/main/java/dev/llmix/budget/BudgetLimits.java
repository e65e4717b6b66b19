package dev.llmix.budget;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything a {@link RateBudgetFactory} needs to build one budget: the scope's configured limits, the bursts that
 * size each dimension's bucket, and the learning settings.
 *
 * @param limits       configured per-minute limits (0 = dimension absent)
 * @param requestBurst burst of the {@code rpm} bucket
 * @param tokenBurst   burst of the token buckets
 * @param learn        adopt lower limits reported by the provider
 * @param learnWindow  how long a learned limit lasts without being renewed
 */
public record BudgetLimits(RateLimits limits, Duration requestBurst, Duration tokenBurst, boolean learn,
        Duration learnWindow) {

    /** Default request burst: one second of the request limit. */
    public static final Duration DEFAULT_REQUEST_BURST = Duration.ofSeconds(1);
    /** Default token burst: one minute of the token limit. */
    public static final Duration DEFAULT_TOKEN_BURST = Duration.ofSeconds(60);
    /** Default learn window. */
    public static final Duration DEFAULT_LEARN_WINDOW = Duration.ofMinutes(10);

    private static final BigInteger MINUTE_NANOS = BigInteger.valueOf(60_000_000_000L);

    /** Checks that bursts and the learn window are positive. */
    public BudgetLimits {
        Objects.requireNonNull(limits, "limits");
        positive(requestBurst, "requestBurst");
        positive(tokenBurst, "tokenBurst");
        positive(learnWindow, "learnWindow");
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be > 0, got " + d);
        }
    }

    /** The limits with the default bursts and learn window, learning on. */
    public static BudgetLimits of(RateLimits limits) {
        return new BudgetLimits(limits, DEFAULT_REQUEST_BURST, DEFAULT_TOKEN_BURST, true, DEFAULT_LEARN_WINDOW);
    }

    /** The burst that sizes {@code dimension}'s bucket. */
    public Duration burst(BudgetDimension dimension) {
        return dimension.isTokens() ? tokenBurst : requestBurst;
    }

    /** Bucket capacity for a limit: {@code max(1, ceil(limit × burst / 1 min))}; 0 for an absent dimension. */
    public long capacity(BudgetDimension dimension, long limit) {
        if (limit <= 0) {
            return 0;
        }
        BigInteger num = BigInteger.valueOf(limit).multiply(BigInteger.valueOf(burst(dimension).toNanos()));
        BigInteger[] qr = num.divideAndRemainder(MINUTE_NANOS);
        BigInteger c = qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
        return Math.max(1, c.min(BigInteger.valueOf(Long.MAX_VALUE)).longValue());
    }

    /** Capacity of {@code dimension} at its configured limit. */
    public long capacity(BudgetDimension dimension) {
        return capacity(dimension, limits.limit(dimension));
    }
}
