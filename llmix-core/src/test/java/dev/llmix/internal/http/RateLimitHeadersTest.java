package dev.llmix.internal.http;

import dev.llmix.internal.http.RateLimitHeaders;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.internal.JsUndefined;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Acceptance check 39 of resilience.md §13: {@code parseOpenAIRatelimitHeaders}. */
class RateLimitHeadersTest {

    private static RateLimitHeaders.@Nullable Feedback parse(@Nullable Object remaining, @Nullable Object limit) {
        Map<String, @Nullable Object> headers = new HashMap<>();
        headers.put("x-ratelimit-remaining-requests", remaining);
        headers.put("x-ratelimit-limit-requests", limit);
        return RateLimitHeaders.parse(headers);
    }

    private static RateLimitHeaders.Feedback feedback(double remaining, double limit) {
        return new RateLimitHeaders.Feedback(remaining, limit);
    }

    @Test
    void validHeadersParse() {
        assertThat(parse("450", "500")).isEqualTo(feedback(450, 500));
    }

    @Test
    void missingHeadersGiveNull() {
        assertThat(RateLimitHeaders.parse(Map.of())).isNull();
        assertThat(RateLimitHeaders.parse(Map.of("x-ratelimit-remaining-requests", "450"))).isNull();
        assertThat(parse("5", null)).isNull();
        assertThat(parse(JsUndefined.INSTANCE, "60")).isNull();
    }

    @Test
    void zeroLimitGivesNull() {
        assertThat(parse("0", "0")).isNull();
        assertThat(parse("0", "100")).isEqualTo(feedback(0, 100));
    }

    @Test
    void nonNumericValueGivesNull() {
        assertThat(parse("abc", "500")).isNull();
    }

    @Test
    void namesAreMatchedExactly() {
        assertThat(RateLimitHeaders.parse(Map.of("X-RateLimit-Remaining-Requests", "5",
                "X-RateLimit-Limit-Requests", "60"))).isNull();
    }

    @Test
    void valuesParseLikeJavaScriptParseInt() {
        assertThat(parse("00042", "0100")).isEqualTo(feedback(42, 100));
        assertThat(parse("1.9", "10")).isEqualTo(feedback(1, 10));
        assertThat(parse("12abc", "60 requests")).isEqualTo(feedback(12, 60));
        assertThat(parse("-3", "60")).isEqualTo(feedback(-3, 60));
        assertThat(parse("+5", "+50")).isEqualTo(feedback(5, 50));
        assertThat(parse(" 42 ", "\t100\n")).isEqualTo(feedback(42, 100));
    }

    @Test
    void hexPrefixStopsTheDigitRun() {
        assertThat(parse("0x10", "0x20")).isNull();
    }

    @Test
    void negativeZeroIsKept() {
        RateLimitHeaders.Feedback f = parse("-0", "10");
        assertThat(f).isNotNull();
        assertThat(Double.doubleToRawLongBits(f.remaining())).isEqualTo(Double.doubleToRawLongBits(-0.0));
    }

    @Test
    void nonStringValuesAreConvertedAsJavaScriptWould() {
        assertThat(parse(7, 60.0)).isEqualTo(feedback(7, 60));
        assertThat(parse(List.of("5", "6"), List.of("60"))).isEqualTo(feedback(5, 60));
    }
}
