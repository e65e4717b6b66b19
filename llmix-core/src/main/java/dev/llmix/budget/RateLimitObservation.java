package dev.llmix.budget;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Per-minute limits a provider reported in its response headers, per dimension; 0 means not reported (or rejected as
 * invalid). Read with {@link #fromHeaders(Map)} following the learning rule of docs/rate-limits.md.
 *
 * @param rpm  reported request limit
 * @param tpm  reported total-token limit
 * @param itpm reported input-token limit
 * @param otpm reported output-token limit
 */
public record RateLimitObservation(long rpm, long tpm, long itpm, long otpm) {

    /** Nothing reported. */
    public static final RateLimitObservation NONE = new RateLimitObservation(0, 0, 0, 0);

    private static final long MINUTE_MS = 60_000;

    /** Rejects negative values. */
    public RateLimitObservation {
        if (rpm < 0 || tpm < 0 || itpm < 0 || otpm < 0) {
            throw new IllegalArgumentException("reported limits must be >= 0");
        }
    }

    /** The reported limit of {@code dimension}, 0 when absent. */
    public long limit(BudgetDimension dimension) {
        return dimension.of(rpm, tpm, itpm, otpm);
    }

    /** {@code true} when no dimension was reported. */
    public boolean isEmpty() {
        return rpm == 0 && tpm == 0 && itpm == 0 && otpm == 0;
    }

    /**
     * Reads the limits from response headers (names ignoring case). OpenAI-style
     * {@code x-ratelimit-limit-requests}/{@code -tokens} count only when the matching {@code x-ratelimit-reset-*} is
     * a valid duration of at most 60 s (longer windows are daily limits); Anthropic's
     * {@code anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-limit} always count. A value is valid
     * when, trimmed, it is ASCII digits only and greater than 0.
     */
    public static RateLimitObservation fromHeaders(@Nullable Map<String, String> headers) {
        if (headers == null || headers.isEmpty()) {
            return NONE;
        }
        String oaReq = null;
        String oaReqReset = null;
        String oaTok = null;
        String oaTokReset = null;
        String anReq = null;
        String anTok = null;
        String anIn = null;
        String anOut = null;
        for (Map.Entry<String, String> e : headers.entrySet()) {
            String name = e.getKey();
            if (name == null || e.getValue() == null) {
                continue;
            }
            char c = name.isEmpty() ? ' ' : Character.toLowerCase(name.charAt(0));
            if (c != 'x' && c != 'a') {
                continue;
            }
            switch (name.toLowerCase(Locale.ROOT)) {
                case "x-ratelimit-limit-requests":
                    oaReq = e.getValue();
                    break;
                case "x-ratelimit-reset-requests":
                    oaReqReset = e.getValue();
                    break;
                case "x-ratelimit-limit-tokens":
                    oaTok = e.getValue();
                    break;
                case "x-ratelimit-reset-tokens":
                    oaTokReset = e.getValue();
                    break;
                case "anthropic-ratelimit-requests-limit":
                    anReq = e.getValue();
                    break;
                case "anthropic-ratelimit-tokens-limit":
                    anTok = e.getValue();
                    break;
                case "anthropic-ratelimit-input-tokens-limit":
                    anIn = e.getValue();
                    break;
                case "anthropic-ratelimit-output-tokens-limit":
                    anOut = e.getValue();
                    break;
                default:
                    break;
            }
        }
        long rpm = minPositive(openAi(oaReq, oaReqReset), parseLimit(anReq));
        long tpm = minPositive(openAi(oaTok, oaTokReset), parseLimit(anTok));
        long itpm = parseLimit(anIn);
        long otpm = parseLimit(anOut);
        if (rpm == 0 && tpm == 0 && itpm == 0 && otpm == 0) {
            return NONE;
        }
        return new RateLimitObservation(rpm, tpm, itpm, otpm);
    }

    private static long openAi(@Nullable String limit, @Nullable String reset) {
        long l = parseLimit(limit);
        if (l == 0 || reset == null) {
            return 0;
        }
        long ms = parseDurationMillis(reset);
        return ms >= 0 && ms <= MINUTE_MS ? l : 0;
    }

    private static long minPositive(long a, long b) {
        if (a == 0) {
            return b;
        }
        return b == 0 ? a : Math.min(a, b);
    }

    /**
     * A limit header value: ASCII digits only after trimming and greater than 0, else 0 ({@code -1}, {@code 0},
     * {@code 1.5}, {@code +5}, {@code abc} are all invalid). Values beyond {@code long} are invalid too.
     */
    public static long parseLimit(@Nullable String value) {
        if (value == null) {
            return 0;
        }
        String v = value.trim();
        if (v.isEmpty() || v.length() > 18) {
            return 0;
        }
        long n = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return 0;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /**
     * An OpenAI reset duration: one or more {@code <decimal><unit>} with units {@code h m s ms us µs ns}
     * ({@code 6m0s}, {@code 4m12.172s}, {@code 12ms}), in whole milliseconds (rounded down); -1 when invalid.
     */
    public static long parseDurationMillis(@Nullable String value) {
        if (value == null) {
            return -1;
        }
        String v = value.trim();
        if (v.isEmpty()) {
            return -1;
        }
        BigDecimal nanos = BigDecimal.ZERO;
        int i = 0;
        int n = v.length();
        while (i < n) {
            int start = i;
            boolean dot = false;
            int digits = 0;
            while (i < n) {
                char c = v.charAt(i);
                if (c >= '0' && c <= '9') {
                    digits++;
                    i++;
                } else if (c == '.' && !dot) {
                    dot = true;
                    i++;
                } else {
                    break;
                }
            }
            if (digits == 0 || i - start > 30) {
                return -1;
            }
            BigDecimal number = new BigDecimal(v.substring(start, i));
            long unitNanos;
            if (v.startsWith("ms", i)) {
                unitNanos = 1_000_000L;
                i += 2;
            } else if (v.startsWith("us", i) || v.startsWith("\u00b5s", i)) {
                unitNanos = 1_000L;
                i += 2;
            } else if (v.startsWith("ns", i)) {
                unitNanos = 1L;
                i += 2;
            } else if (v.startsWith("h", i)) {
                unitNanos = 3_600_000_000_000L;
                i += 1;
            } else if (v.startsWith("m", i)) {
                unitNanos = 60_000_000_000L;
                i += 1;
            } else if (v.startsWith("s", i)) {
                unitNanos = 1_000_000_000L;
                i += 1;
            } else {
                return -1;
            }
            nanos = nanos.add(number.multiply(BigDecimal.valueOf(unitNanos)));
        }
        BigDecimal ms = nanos.divideToIntegralValue(BigDecimal.valueOf(1_000_000L));
        return ms.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0 ? -1 : ms.longValueExact();
    }
}
