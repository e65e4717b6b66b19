package dev.llmix.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Acceptance checks 19–24 of resilience.md §13, plus the Java decisions on dates and on {@code execute}. */
class RetryPolicyTest {

    private static final long NOW = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    private static final double MAX = 60_000;


    private static RetryPolicy policy(Consumer<RetryPolicy.Builder> options) {
        RetryPolicy.Builder b = RetryPolicy.builder();
        options.accept(b);
        return b.build();
    }

    @Test
    void check19IsRetryableExactlyFor408And429And5xx() {
        for (int s = 500; s <= 599; s++) {
            assertThat(RetryPolicy.isRetryable(s)).as("%s", s).isTrue();
        }
        assertThat(RetryPolicy.isRetryable(408)).isTrue();
        assertThat(RetryPolicy.isRetryable(429)).isTrue();
        for (int s = 100; s <= 499; s++) {
            if (s != 408 && s != 429) {
                assertThat(RetryPolicy.isRetryable(s)).as("%s", s).isFalse();
            }
        }
        for (int s : new int[] {600, 0, -1, Integer.MIN_VALUE}) {
            assertThat(RetryPolicy.isRetryable(s)).as("%s", s).isFalse();
        }
    }

    @Test
    void check20CalculateDelay() {
        int[] attempts = {0, 1, 2, 3, 10};
        double[] expected = {1000, 2000, 4000, 8000, 30_000};
        for (int i = 0; i < attempts.length; i++) {
            assertThat(RetryPolicy.calculateDelay(attempts[i], 1000, 30_000, 0, 0)).isEqualTo(expected[i]);
        }
        assertThat(RetryPolicy.calculateDelay(2, 1000, 30_000, 1000, 0.5)).isEqualTo(4500);
        assertThat(RetryPolicy.calculateDelay(1, 1000, 30_000, 1000, 0.9999999999999999)).isEqualTo(3000);
        for (int attempt : new int[] {30, 63, 64, 1024}) {
            assertThat(RetryPolicy.calculateDelay(attempt, 1000, 30_000, 1000, 0.25)).isEqualTo(30_250);
        }
        assertThat(RetryPolicy.calculateDelay(-1, 1000, 30_000, 0, 0)).isEqualTo(500);
        assertThat(RetryPolicy.calculateDelay(2, 100, 250, 0, 0)).isEqualTo(250);
        assertThat(RetryPolicy.calculateDelay(5, 0, 30_000, 10, 0.55)).isEqualTo(6);
    }

    @Test
    void calculateDelayWithZeroBaseIsNeverNaN() {
        assertThat(RetryPolicy.calculateDelay(1100, 0, 30_000, 0, 0)).isEqualTo(0);
    }

    @Test
    void check21ParseRetryAfter() {
        assertThat(RetryPolicy.parseRetryAfter("5", MAX, NOW)).isEqualTo(5000);
        assertThat(RetryPolicy.parseRetryAfter("0", MAX, NOW)).isEqualTo(0);
        assertThat(RetryPolicy.parseRetryAfter("120", MAX, NOW)).isEqualTo(60_000);
        assertThat(RetryPolicy.parseRetryAfter("3600", 7_200_000, NOW)).isEqualTo(3_600_000);
        assertThat(RetryPolicy.parseRetryAfter("1", 500, NOW)).isEqualTo(500);
        assertThat(RetryPolicy.parseRetryAfter(" 7 ", MAX, NOW)).isEqualTo(7000);
        assertThat(RetryPolicy.parseRetryAfter("\t3\n", MAX, NOW)).isEqualTo(3000);
        for (String invalid : new String[] {null, "", "abc", "-1", "-5", "1.5", "1e3", "5s", "\u180E5"}) {
            assertThat(RetryPolicy.parseRetryAfter(invalid, MAX, NOW)).as("%s", invalid).isNull();
        }
        assertThat(RetryPolicy.parseRetryAfter("Thu, 01 Jan 2026 00:00:30 GMT", MAX, NOW)).isEqualTo(30_000);
        assertThat(RetryPolicy.parseRetryAfter("Thu, 01 Jan 2026 00:00:00 GMT", MAX, NOW)).isNull();
        assertThat(RetryPolicy.parseRetryAfter("Thursday, 01-Jan-26 00:00:30 GMT", MAX, NOW)).isEqualTo(30_000);
        assertThat(RetryPolicy.parseRetryAfter("  Thu, 01 Jan 2026 00:00:30 GMT  ", MAX, NOW)).isEqualTo(30_000);
        assertThat(RetryPolicy.parseRetryAfter("Thu, 01 Jan 2026 00:00:45 GMT", 30_000, NOW)).isEqualTo(30_000);
        assertThat(RetryPolicy.parseRetryAfter("Thu, 01 Jan 2026 00:00:30 GMT", MAX, NOW + 250)).isEqualTo(29_750);
        assertThat(RetryPolicy.parseRetryAfter("Fri, 31 Dec 9999 23:59:59 GMT", MAX, NOW)).isEqualTo(60_000);
        assertThat(RetryPolicy.parseRetryAfter("Thu, 32 Jan 2026 00:00:30 GMT", MAX, NOW)).isNull();
        assertThat(RetryPolicy.parseRetryAfter("Sun Nov  6 08:49:37 1994", MAX, NOW)).isNull();
    }

    @Test
    void retryAfterAcceptsAsctimeInTheFutureAndMapsTwoDigitYears() {
        assertThat(RetryPolicy.parseRetryAfter("Thu Jan  1 00:00:10 2026", MAX, NOW)).isEqualTo(10_000);
        assertThat(RetryPolicy.parseRetryAfter("Thu Jan 01 00:00:10 2026", MAX, NOW)).isEqualTo(10_000);
        // 50-99 are 19xx: in the past.
        assertThat(RetryPolicy.parseRetryAfter("Friday, 01-Jan-99 00:00:30 GMT", MAX, NOW)).isNull();
        assertThat(RetryPolicy.parseRetryAfter("Friday, 01-Jan-49 00:00:30 GMT", MAX, NOW)).isEqualTo(MAX);
    }

    @Test
    void retryAfterRejectsLenientDateForms() {
        for (String lenient : new String[] {"thu, 01 jan 2026 00:00:30 gmt", "Thu, 01 Jan 2026 01:00:30 +0100",
                "2026-01-01T00:00:30Z", "Thu, 01 Jan 2026 00:00:30", "Thu, 01 Jan 2026 00:00:30 PST", "2026-01-02",
                "01 Jan 2026 00:00:30 GMT", "Thu, 1 Jan 2026 00:00:30 GMT", "Thu, 01 Jan 2026 24:00:30 GMT",
                "Thu, 29 Feb 2026 00:00:30 GMT"}) {
            assertThat(RetryPolicy.parseRetryAfter(lenient, MAX, NOW)).as("%s", lenient).isNull();
        }
    }

    @Test
    void check22OptionsResolveAndValidateInOrder() {
        RetryPolicy defaults = RetryPolicy.builder().build();
        assertThat(List.of(defaults.maxRetries(), defaults.baseMs(), defaults.maxDelayMs(), defaults.jitterMs(),
                defaults.maxRetryAfterMs())).containsExactly(3, 1000.0, 30_000.0, 1000.0, 60_000.0);

        RetryPolicy nulls = policy(b -> b.maxRetries((Number) null).baseMs((Number) null).jitterMs((Number) null));
        assertThat(nulls.maxRetries()).isEqualTo(3);
        assertThat(nulls.baseMs()).isEqualTo(1000);
        assertThat(nulls.jitterMs()).isEqualTo(1000);

        assertThatThrownBy(() -> policy(b -> b.maxRetries(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxRetries must be a non-negative integer, got -1");
        assertThatThrownBy(() -> policy(b -> b.baseMs(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("baseMs must be a non-negative finite number, got -1");
        assertThatThrownBy(() -> policy(b -> b.maxRetryAfterMs(-5))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxRetryAfterMs must be a non-negative finite number, got -5");
        assertThatThrownBy(() -> policy(b -> b.maxRetries(-1).baseMs(-1)))
                .hasMessage("maxRetries must be a non-negative integer, got -1");

        RetryPolicy zeros = policy(b -> b.maxRetries(0).baseMs(0).maxDelayMs(0).jitterMs(0).maxRetryAfterMs(0));
        assertThat(List.of(zeros.maxRetries(), zeros.baseMs(), zeros.maxDelayMs(), zeros.jitterMs(),
                zeros.maxRetryAfterMs())).containsExactly(0, 0.0, 0.0, 0.0, 0.0);
    }

    @Test
    void nonFiniteAndFractionalOptionsPrintLikeJavaScript() {
        assertThatThrownBy(() -> policy(b -> b.maxDelayMs(Double.POSITIVE_INFINITY)))
                .hasMessage("maxDelayMs must be a non-negative finite number, got Infinity");
        assertThatThrownBy(() -> policy(b -> b.jitterMs(Double.NaN)))
                .hasMessage("jitterMs must be a non-negative finite number, got NaN");
        assertThatThrownBy(() -> policy(b -> b.maxRetries(1.5)))
                .hasMessage("maxRetries must be a non-negative integer, got 1.5");
        assertThat(policy(b -> b.maxRetries(1e20)).maxRetries()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void maxDelayBelowBaseIsAllowedAndCapsEveryDelay() {
        RetryPolicy p = policy(b -> b.baseMs(1000).maxDelayMs(10).jitterMs(0));
        assertThat(p.getDelayMs(0, null)).isEqualTo(10);
    }

    @Test
    void check23GetDelayMs() {
        assertThat(policy(b -> b.random(() -> 0.9)).getDelayMs(3, "2")).isEqualTo(2000);
        assertThat(policy(b -> b.random(() -> 0.5)).getDelayMs(1, "soon")).isEqualTo(2500);
        assertThat(policy(b -> b.random(() -> 0.1)).getDelayMs(2, null)).isEqualTo(4100);
        assertThat(policy(b -> b.jitterMs(0).random(() -> 0)).getDelayMs(0, "Wed, 21 Oct 2015 07:28:00 GMT"))
                .isEqualTo(1000);
    }

    @Test
    void retryAfterOverridesTheBackoffCap() {
        assertThat(policy(b -> b.random(() -> 0)).getDelayMs(0, "45")).isEqualTo(45_000);
        assertThat(policy(b -> b.clock(() -> NOW)).getDelayMs(0, "Thu, 01 Jan 2026 00:00:10 GMT"))
                .isEqualTo(10_000);
    }

    @Test
    void systemSleeperIgnoresNonPositiveDurations() throws InterruptedException {
        Sleeper.SYSTEM.sleep(0);
        Sleeper.SYSTEM.sleep(-5);
    }
}
