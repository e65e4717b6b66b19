package dev.llmix.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.testsupport.ParitySummary;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * {@code ratelimit-headers.json}: every vector. Header values may be {@code null} or {@code JsUndefined} (absent);
 * numbers compare as binary64 bit patterns so {@code -0}, {@code 1e23} and Infinity count exactly.
 */
class RateLimitHeadersParityTest {

    private static final String FILE = "ratelimit-headers.json";
    private static final int EXPECTED_VECTORS = 29;

    @Test
    @SuppressWarnings("unchecked")
    void everyRateLimitHeaderVectorMatchesTheReference() {
        ParitySummary.compareEach(FILE, EXPECTED_VECTORS, (input, expected) -> {
            Map<String, @Nullable Object> headers = (Map<String, @Nullable Object>) input.get("headers");
            RateLimitHeaders.Feedback actual = RateLimitHeaders.parse(headers);
            Map<String, Object> want = (Map<String, Object>) expected.get("result");
            return matches(actual, want) ? null : "expected " + want + " but was " + actual;
        });
    }

    private static boolean matches(RateLimitHeaders.@Nullable Feedback actual, @Nullable Map<String, Object> want) {
        if (actual == null || want == null) {
            return actual == null && want == null;
        }
        return sameDouble(actual.remaining(), (Double) want.get("remaining"))
                && sameDouble(actual.limit(), (Double) want.get("limit"));
    }

    private static boolean sameDouble(double a, Double b) {
        return Double.doubleToRawLongBits(a) == Double.doubleToRawLongBits(b);
    }
}
