package dev.llmix.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmix.LlmixException;
import dev.llmix.LlmixLocalException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Acceptance checks 1–14 of resilience.md §13, plus configuration and snapshot details. */
class CircuitBreakerTest {

    private static final String PROVIDER = "openai";
    private static final String BASE_URL = "https://api.openai.com/v1";

    private final FakeNanoClock clock = new FakeNanoClock(1_000_000);

    private CircuitBreaker breaker(int threshold, long cooldownMs, int permitted) {
        return new CircuitBreaker(PROVIDER, BASE_URL,
                new CircuitBreakerConfig(threshold, Duration.ofMillis(cooldownMs), permitted), clock);
    }

    private CircuitBreaker defaults() {
        return new CircuitBreaker(PROVIDER, BASE_URL, CircuitBreakerConfig.DEFAULT, clock);
    }

    private static void fail(CircuitBreaker b, int... statuses) {
        for (int status : statuses) {
            b.onFailure(status, false);
        }
    }

    private static void networkFailures(CircuitBreaker b, int count) {
        for (int i = 0; i < count; i++) {
            b.onFailure(null, true);
        }
    }

    private static void admit(CircuitBreaker b, int probes) {
        for (int i = 0; i < probes; i++) {
            b.check();
        }
    }

    /** Opens {@code b} with one retryable failure (threshold 1) and lets its current cooldown elapse. */
    private void openAndElapse(CircuitBreaker b) {
        if (b.state() == CircuitState.CLOSED) {
            fail(b, 503);
        }
        clock.advanceMs(b.snapshot().cooldownMs());
        assertThat(b.state()).isEqualTo(CircuitState.HALF_OPEN);
    }

    @Test
    void check01DefaultsOpenAfterThreeRetryableFailuresAndRejectWithMessage() {
        CircuitBreaker b = defaults();
        fail(b, 500, 502);
        assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
        fail(b, 503);
        assertThat(b.state()).isEqualTo(CircuitState.OPEN);
        assertThatThrownBy(b::check).isInstanceOf(CircuitOpenException.class)
                .hasMessageContaining("Circuit breaker OPEN")
                .hasMessage("Circuit breaker OPEN for (openai, https://api.openai.com/v1)");
    }

    @Test
    void check02AuthAndNonRetryableNeverTripButRetryableMixesDo() {
        CircuitBreaker auth = defaults();
        for (int i = 0; i < 10; i++) {
            fail(auth, 401, 403);
        }
        assertThat(auth.state()).isEqualTo(CircuitState.CLOSED);

        CircuitBreaker nonRetryable = defaults();
        fail(nonRetryable, 400, 404, 422);
        assertThat(nonRetryable.state()).isEqualTo(CircuitState.CLOSED);

        CircuitBreaker rateLimit = defaults();
        fail(rateLimit, 429, 429, 429);
        assertThat(rateLimit.state()).isEqualTo(CircuitState.OPEN);

        CircuitBreaker network = defaults();
        networkFailures(network, 3);
        assertThat(network.state()).isEqualTo(CircuitState.OPEN);

        CircuitBreaker mixed = defaults();
        fail(mixed, 429, 503);
        networkFailures(mixed, 1);
        assertThat(mixed.state()).isEqualTo(CircuitState.OPEN);

        CircuitBreaker timeout = defaults();
        fail(timeout, 503, 503, 408);
        assertThat(timeout.state()).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void check03SuccessNonRetryableAndUnclassifiedFailuresResetTheCount() {
        CircuitBreaker bySuccess = defaults();
        fail(bySuccess, 503, 503);
        bySuccess.onSuccess();
        fail(bySuccess, 503, 503);
        assertThat(bySuccess.state()).isEqualTo(CircuitState.CLOSED);

        CircuitBreaker by400 = defaults();
        fail(by400, 502, 502, 400, 502, 502);
        assertThat(by400.state()).isEqualTo(CircuitState.CLOSED);

        CircuitBreaker byNeither = defaults();
        fail(byNeither, 503, 503);
        byNeither.onFailure(null, false);
        fail(byNeither, 503, 503);
        assertThat(byNeither.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(byNeither.snapshot().consecutiveFailures()).isEqualTo(2);
    }

    @Test
    void check04CooldownBoundaryIsInclusive() {
        CircuitBreaker b = breaker(2, 100, 10);
        fail(b, 503, 503);
        clock.advanceMs(99);
        assertThat(b.state()).isEqualTo(CircuitState.OPEN);
        assertThatThrownBy(b::check).isInstanceOf(CircuitOpenException.class);
        clock.advanceMs(1);
        assertThat(b.state()).isEqualTo(CircuitState.HALF_OPEN);
        assertThatCode(b::check).doesNotThrowAnyException();
    }

    @Test
    void check05TieReopensWithDoubledCooldownAndResetsCountersOnNextEpisode() {
        CircuitBreaker b = breaker(1, 100, 2);
        fail(b, 503);
        clock.advanceMs(100);
        admit(b, 2);
        b.onSuccess();
        fail(b, 503);
        assertThat(b.state()).isEqualTo(CircuitState.OPEN);
        assertThat(b.snapshot().cooldownMs()).isEqualTo(200);
        clock.advanceMs(199);
        assertThat(b.state()).isEqualTo(CircuitState.OPEN);
        clock.advanceMs(1);
        CircuitBreakerSnapshot s = b.snapshot();
        assertThat(s.state()).isEqualTo(CircuitState.HALF_OPEN);
        assertThat(s.halfOpenActive()).isZero();
        assertThat(s.halfOpenSuccesses()).isZero();
        assertThat(s.halfOpenFailures()).isZero();
    }

    @Test
    void check06CooldownDoublesUpToTheCapAndResetsOnClose() {
        CircuitBreaker b = breaker(1, 100_000, 1);
        fail(b, 503);
        for (long expected : new long[] {200_000, 300_000, 300_000}) {
            openAndElapse(b);
            b.check();
            fail(b, 503);
            assertThat(b.state()).isEqualTo(CircuitState.OPEN);
            assertThat(b.snapshot().cooldownMs()).isEqualTo(expected);
        }
        openAndElapse(b);
        b.check();
        b.onSuccess();
        assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(b.snapshot().cooldownMs()).isEqualTo(100_000);
        fail(b, 503);
        assertThat(b.state()).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void check07StrictMajorityOfProbesDecides() {
        assertThat(episode(3, "success", "success", "failure")).isEqualTo(CircuitState.CLOSED);
        assertThat(episode(3, "success", "failure", "failure")).isEqualTo(CircuitState.OPEN);
        assertThat(episode(3, "failure", "failure", "failure")).isEqualTo(CircuitState.OPEN);

        CircuitBreaker single = breaker(1, 100, 1);
        openAndElapse(single);
        single.check();
        fail(single, 503);
        CircuitBreakerSnapshot afterFailure = single.snapshot();
        single.cancelProbe();
        assertThat(single.snapshot()).isEqualTo(afterFailure);
        assertThat(afterFailure.state()).isEqualTo(CircuitState.OPEN);
        assertThat(afterFailure.cooldownMs()).isEqualTo(200);
    }

    private CircuitState episode(int permitted, String... outcomes) {
        CircuitBreaker b = breaker(1, 100, permitted);
        openAndElapse(b);
        admit(b, permitted);
        for (String outcome : outcomes) {
            if (outcome.equals("success")) {
                b.onSuccess();
            } else {
                fail(b, 503);
            }
        }
        return b.state();
    }

    @Test
    void check08CancelProbeCountsAsFailureOnceAndOnlyForUnfinishedProbes() {
        CircuitBreaker tie = breaker(1, 100, 2);
        openAndElapse(tie);
        admit(tie, 2);
        tie.cancelProbe();
        tie.onSuccess();
        assertThat(tie.state()).isEqualTo(CircuitState.OPEN);

        CircuitBreaker b = breaker(1, 100, 2);
        openAndElapse(b);
        admit(b, 2);
        b.cancelProbe();
        assertThat(b.state()).isEqualTo(CircuitState.HALF_OPEN);
        assertThat(b.snapshot().halfOpenFailures()).isEqualTo(1);
        fail(b, 503);
        assertThat(b.state()).isEqualTo(CircuitState.OPEN);
        assertThat(b.snapshot().cooldownMs()).isEqualTo(200);
        CircuitBreakerSnapshot before = b.snapshot();
        b.cancelProbe();
        assertThat(b.snapshot()).isEqualTo(before);
    }

    @Test
    void check09InHalfOpenNetworkFlagMeansFailureAndAnAnsweredAuthErrorMeansSuccess() {
        CircuitBreaker b = breaker(1, 100, 3);
        openAndElapse(b);
        admit(b, 3);
        b.onFailure(401, true);
        assertThat(b.snapshot().halfOpenFailures()).isEqualTo(1);
        b.onFailure(403, false);
        assertThat(b.snapshot().halfOpenSuccesses()).isEqualTo(1);
        b.onSuccess();
        assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void check10DefaultsAdmitTenProbesAndSixOfTenSuccessesClose() {
        CircuitBreaker b = defaults();
        fail(b, 503, 503, 503);
        clock.advanceMs(30_000);
        admit(b, 10);
        assertThatThrownBy(b::check).isInstanceOf(CircuitOpenException.class);
        for (int i = 0; i < 6; i++) {
            b.onSuccess();
        }
        fail(b, 503, 503, 503, 503);
        assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void check11ResetFromOpenRestoresBaseCooldownAndAdmits() {
        CircuitBreaker b = breaker(1, 100, 1);
        openAndElapse(b);
        b.check();
        fail(b, 503);
        assertThat(b.snapshot().cooldownMs()).isEqualTo(200);
        b.reset();
        CircuitBreakerSnapshot s = b.snapshot();
        assertThat(s.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(s.cooldownMs()).isEqualTo(100);
        assertThat(s.consecutiveFailures()).isZero();
        assertThat(s.openedAt()).isNull();
        assertThatCode(b::check).doesNotThrowAnyException();
    }

    @Test
    void check12CancelProbeInClosedAndOpenChangesNothing() {
        CircuitBreaker b = defaults();
        fail(b, 503);
        CircuitBreakerSnapshot closed = b.snapshot();
        b.cancelProbe();
        assertThat(b.snapshot()).isEqualTo(closed);

        fail(b, 503, 503);
        CircuitBreakerSnapshot open = b.snapshot();
        assertThat(open.state()).isEqualTo(CircuitState.OPEN);
        b.cancelProbe();
        assertThat(b.snapshot()).isEqualTo(open);
    }

    @Test
    void check13PermittedZeroBehavesAsOne() {
        CircuitBreaker b = breaker(1, 100, 0);
        assertThat(b.config().permittedHalfOpenCalls()).isEqualTo(1);
        openAndElapse(b);
        b.check();
        assertThatThrownBy(b::check).isInstanceOf(CircuitOpenException.class);
        b.onSuccess();
        assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void check14StaleOutcomesAreIgnored() {
        CircuitBreaker whileOpen = breaker(2, 60_000, 1);
        fail(whileOpen, 503, 503);
        whileOpen.onSuccess();
        assertThat(whileOpen.state()).isEqualTo(CircuitState.OPEN);

        CircuitBreaker afterDecision = breaker(1, 100, 3);
        openAndElapse(afterDecision);
        admit(afterDecision, 3);
        fail(afterDecision, 503);
        afterDecision.cancelProbe();
        afterDecision.onSuccess();
        afterDecision.onSuccess();
        assertThat(afterDecision.state()).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void retryableFailureWhileOpenDoesNotProlongTheCooldown() {
        CircuitBreaker b = breaker(1, 100, 1);
        fail(b, 503);
        clock.advanceMs(60);
        fail(b, 503);
        clock.advanceMs(40);
        assertThat(b.state()).isEqualTo(CircuitState.HALF_OPEN);
    }

    @Test
    void halfOpenOutcomeWithoutAdmittedProbeIsIgnored() {
        CircuitBreaker b = breaker(1, 100, 1);
        openAndElapse(b);
        b.onSuccess();
        fail(b, 503);
        CircuitBreakerSnapshot s = b.snapshot();
        assertThat(s.state()).isEqualTo(CircuitState.HALF_OPEN);
        assertThat(s.halfOpenSuccesses() + s.halfOpenFailures()).isZero();
    }

    @Test
    void authFailureWithNetworkFlagStillResetsTheCountWhileClosed() {
        CircuitBreaker b = defaults();
        fail(b, 503, 503);
        b.onFailure(403, true);
        assertThat(b.snapshot().consecutiveFailures()).isZero();
    }

    @Test
    void zeroCooldownTurnsHalfOpenAtTheNextRead() {
        CircuitBreaker b = breaker(1, 0, 1);
        fail(b, 503);
        assertThat(b.state()).isEqualTo(CircuitState.HALF_OPEN);
    }

    @Test
    void baseCooldownAboveTheCapIsReducedToTheCapByTheFirstReopen() {
        CircuitBreaker b = breaker(1, 600_000, 1);
        openAndElapse(b);
        b.check();
        fail(b, 503);
        assertThat(b.snapshot().cooldownMs()).isEqualTo(300_000);
    }

    @Test
    void configNormalisesThresholdsBelowOneAndRejectsNegativeCooldown() {
        CircuitBreakerConfig c = new CircuitBreakerConfig(0, Duration.ZERO, -5);
        assertThat(c.failureThreshold()).isEqualTo(1);
        assertThat(c.permittedHalfOpenCalls()).isEqualTo(1);
        assertThatThrownBy(() -> new CircuitBreakerConfig(3, Duration.ofMillis(-1), 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cooldown");
        assertThat(CircuitBreakerConfig.DEFAULT)
                .isEqualTo(new CircuitBreakerConfig(3, Duration.ofSeconds(30), 10));
    }

    @Test
    void hugeCooldownNeverOverflows() {
        CircuitBreaker b = new CircuitBreaker(PROVIDER, BASE_URL,
                new CircuitBreakerConfig(1, Duration.ofSeconds(Long.MAX_VALUE), 1), clock);
        fail(b, 503);
        clock.advanceMs(Long.MAX_VALUE / 2_000_000);
        assertThat(b.state()).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void snapshotStampsOpenedAtFromTheWallClockOnlyWhileNotClosed() {
        Instant wall = Instant.parse("2026-01-01T00:00:00Z");
        CircuitBreaker b = new CircuitBreaker(PROVIDER, BASE_URL, new CircuitBreakerConfig(1,
                Duration.ofMillis(100), 1), clock, Clock.fixed(wall, ZoneOffset.UTC));
        assertThat(b.snapshot().openedAt()).isNull();
        fail(b, 503);
        CircuitBreakerSnapshot s = b.snapshot();
        assertThat(s.openedAt()).isEqualTo(wall);
        assertThat(s.provider()).isEqualTo(PROVIDER);
        assertThat(s.baseUrl()).isEqualTo(BASE_URL);
        clock.advanceMs(100);
        b.check();
        b.onSuccess();
        assertThat(b.snapshot().openedAt()).isNull();
    }

    @Test
    void circuitOpenExceptionCarriesProviderAndBaseUrlAndIsNotLocal() {
        CircuitOpenException e = new CircuitOpenException("anthropic", "https://api.anthropic.com");
        assertThat(e.provider()).isEqualTo("anthropic");
        assertThat(e.baseUrl()).isEqualTo("https://api.anthropic.com");
        assertThat(e).isInstanceOf(LlmixException.class).isNotInstanceOf(LlmixLocalException.class);
    }
}
