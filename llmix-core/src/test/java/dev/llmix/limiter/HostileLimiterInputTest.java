package dev.llmix.limiter;

import dev.llmix.internal.http.RateLimitHeaders;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hostile-input items 10 and 11 of docs/reliability.md: limiter arithmetic and header parsing stay bounded. */
class HostileLimiterInputTest {

    @Test
    void anInitialWindowBeyondTheBoundIsRejectedAtConfiguration() {
        assertThatThrownBy(() -> new AdaptiveSemaphore(Integer.MAX_VALUE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("initial must be <= " + AdaptiveSemaphore.MAX_INITIAL);
    }

    @Test
    void theLargestAcceptedWindowStaysPutAfterSuccessAndHealthyHeaders() {
        AdaptiveSemaphore semaphore = new AdaptiveSemaphore(AdaptiveSemaphore.MAX_INITIAL);
        semaphore.onSuccess();
        assertThat(semaphore.window()).isEqualTo(AdaptiveSemaphore.MAX_INITIAL);
        semaphore.onHeaderFeedback(500, 500);
        assertThat(semaphore.window()).isEqualTo(AdaptiveSemaphore.MAX_INITIAL);
    }

    @Test
    void aSelfContainingHeaderListReadsLikeJavaScriptJoin() {
        List<Object> remaining = new ArrayList<>();
        remaining.add("7");
        remaining.add(remaining);
        // String([7, <self>]) is "7," in JavaScript: the cycle contributes the empty string.
        RateLimitHeaders.Feedback feedback = RateLimitHeaders.parse(Map.of(
                RateLimitHeaders.REMAINING_REQUESTS, remaining,
                RateLimitHeaders.LIMIT_REQUESTS, "10"));
        assertThat(feedback).isEqualTo(new RateLimitHeaders.Feedback(7, 10));
    }

    @Test
    void aHeaderListNestedTooDeeplyIsUnreadableNotAStackOverflow() {
        Object nested = "5";
        for (int i = 0; i < 100_000; i++) {
            nested = List.of(nested);
        }
        assertThat(RateLimitHeaders.parse(Map.of(
                RateLimitHeaders.REMAINING_REQUESTS, nested,
                RateLimitHeaders.LIMIT_REQUESTS, "10"))).isNull();
    }
}
