package dev.llmix.internal.http;

import dev.llmix.internal.http.RateLimitHeaders;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.testsupport.ParitySummary;
import dev.llmix.testsupport.Vectors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

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
        ParitySummary summary = new ParitySummary(FILE);
        List<String> mismatches = new ArrayList<>();
        for (JsonNode vector : Vectors.vectors(FILE)) {
            String name = vector.get("name").asString();
            Map<String, Object> input = Vectors.object(vector, "input");
            Map<String, Object> expected = Vectors.object(vector, "expected");
            Map<String, @Nullable Object> headers = (Map<String, @Nullable Object>) input.get("headers");
            RateLimitHeaders.Feedback actual = RateLimitHeaders.parse(headers);
            Map<String, Object> want = (Map<String, Object>) expected.get("result");
            if (!matches(actual, want)) {
                mismatches.add(name + ": expected " + want + " but was " + actual);
            }
            summary.ran();
        }
        summary.print();
        assertThat(mismatches).isEmpty();
        summary.assertAccountedFor(Vectors.vectors(FILE).size(), EXPECTED_VECTORS);
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
