package dev.llmix.internal.http;

import dev.llmix.limiter.AdaptiveSemaphore;
import dev.llmix.internal.EcmaScript;
import dev.llmix.internal.JsNumbers;
import dev.llmix.internal.JsUndefined;
import java.util.ArrayList;
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

    /** Deepest list nesting read from a header value; real headers are a string or a flat list. */
    private static final int MAX_LIST_DEPTH = 64;

    private RateLimitHeaders() {
    }

    /** Signals a header value nested beyond {@link #MAX_LIST_DEPTH}; carries no stack trace. */
    private static final class TooDeep extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooDeep() {
            super(null, null, false, false);
        }
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
        String remainingText;
        String limitText;
        try {
            remainingText = jsString(rawRemaining, new ArrayList<>());
            limitText = jsString(rawLimit, new ArrayList<>());
        } catch (TooDeep e) {
            return null;
        }
        double remaining = EcmaScript.parseInt(remainingText);
        double limit = EcmaScript.parseInt(limitText);
        if (Double.isNaN(remaining) || Double.isNaN(limit) || !(limit > 0)) {
            return null;
        }
        return new Feedback(remaining, limit);
    }

    private static boolean isAbsent(@Nullable Object value) {
        return value == null || value == JsUndefined.INSTANCE;
    }

    /**
     * {@code String(value)} as {@code parseInt} applies it to a non-string argument. {@code open} holds the lists being
     * joined: like {@code Array.prototype.join}, a list that contains itself contributes the empty string, and nesting
     * deeper than {@link #MAX_LIST_DEPTH} makes the header unreadable instead of exhausting the stack.
     */
    private static String jsString(Object value, List<Object> open) {
        if (value instanceof CharSequence s) {
            return s.toString();
        }
        if (value instanceof Number n) {
            return JsNumbers.toString(n.doubleValue());
        }
        if (value instanceof List<?> list) {
            for (Object o : open) {
                if (o == list) {
                    return "";
                }
            }
            if (open.size() >= MAX_LIST_DEPTH) {
                throw new TooDeep();
            }
            open.add(list);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                Object item = list.get(i);
                if (!isAbsent(item)) {
                    sb.append(jsString(item, open));
                }
            }
            open.remove(open.size() - 1);
            return sb.toString();
        }
        return value.toString();
    }
}
