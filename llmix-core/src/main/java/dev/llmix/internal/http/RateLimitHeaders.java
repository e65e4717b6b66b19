package dev.llmix.internal.http;

import dev.llmix.limiter.AdaptiveSemaphore;
import dev.llmix.internal.EcmaScript;
import dev.llmix.internal.JsNumbers;
import dev.llmix.internal.JsUndefined;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads OpenAI-style request rate-limit headers ({@code x-ratelimit-remaining-requests},
 * {@code x-ratelimit-limit-requests}) for {@link AdaptiveSemaphore#onHeaderFeedback(double, double)}, with the
 * reference's {@code parseInt} leniency.
 */
public final class RateLimitHeaders {

    /** Header holding the requests left in the current window. */
    public static final String REMAINING_REQUESTS = "x-ratelimit-remaining-requests";

    /** Header holding the request limit of the window. */
    public static final String LIMIT_REQUESTS = "x-ratelimit-limit-requests";

    private RateLimitHeaders() {
    }

    /**
     * Parsed header values. Doubles, because {@code parseInt} may yield {@code -0}, values beyond 2^53 or Infinity.
     *
     * @param remaining requests left
     * @param limit     request limit, always {@code > 0}
     */
    public record Feedback(double remaining, double limit) {
    }

    /**
     * Parses the two headers. Names are matched exactly (lower case; callers lower-case names first). Returns
     * {@code null} unless both are present (not {@code null} or {@link JsUndefined}), both parse to numbers, and the
     * limit is greater than zero.
     */
    public static @Nullable Feedback parse(Map<String, ? extends @Nullable Object> headers) {
        Object rawRemaining = headers.get(REMAINING_REQUESTS);
        Object rawLimit = headers.get(LIMIT_REQUESTS);
        if (isAbsent(rawRemaining) || isAbsent(rawLimit)) {
            return null;
        }
        double remaining = EcmaScript.parseInt(jsString(rawRemaining));
        double limit = EcmaScript.parseInt(jsString(rawLimit));
        if (Double.isNaN(remaining) || Double.isNaN(limit) || !(limit > 0)) {
            return null;
        }
        return new Feedback(remaining, limit);
    }

    private static boolean isAbsent(@Nullable Object value) {
        return value == null || value == JsUndefined.INSTANCE;
    }

    /** {@code String(value)} as {@code parseInt} applies it to a non-string argument. */
    private static String jsString(Object value) {
        if (value instanceof CharSequence s) {
            return s.toString();
        }
        if (value instanceof Number n) {
            return JsNumbers.toString(n.doubleValue());
        }
        if (value instanceof List<?> list) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                Object item = list.get(i);
                if (!isAbsent(item)) {
                    sb.append(jsString(item));
                }
            }
            return sb.toString();
        }
        return value.toString();
    }
}
