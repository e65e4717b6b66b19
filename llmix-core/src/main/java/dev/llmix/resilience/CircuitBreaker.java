package dev.llmix.resilience;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Circuit breaker for one {@code (provider, baseUrl)} pair: opens after consecutive retryable
 * failures, rejects calls while OPEN, and after the cooldown admits a bounded set of probes whose strict majority
 * decides between CLOSED and re-OPEN with a doubled cooldown.
 *
 * <p>Our own state machine rather than Resilience4j's: the contract needs state-dependent thresholds and error
 * classification, cancel-as-failure, an inclusive cooldown boundary observed by state reads, and stale outcomes ignored.
 * Outcomes are ignored while OPEN and, in HALF_OPEN, once every admitted probe has
 * reported, so late answers of calls admitted earlier cannot decide an episode. All operations hold one lock.
 */
public final class CircuitBreaker {

    private static final Logger LOG = LoggerFactory.getLogger(CircuitBreaker.class);
    private static final long NANOS_PER_MS = 1_000_000L;
    private static final long COOLDOWN_CAP_NANOS = 300_000L * NANOS_PER_MS;

    private final String provider;
    private final String baseUrl;
    private final CircuitBreakerConfig config;
    private final LongSupplier nanoTime;
    private final Clock wallClock;
    private final long baseCooldownNanos;
    private final ReentrantLock lock = new ReentrantLock();

    // Guarded by lock.
    private CircuitState state = CircuitState.CLOSED;
    private int consecutiveFailures;
    private long openedAtNanos;
    private @Nullable Instant openedAtWall;
    private long cooldownNanos;
    private int halfOpenActive;
    private int halfOpenSuccesses;
    private int halfOpenFailures;
    /** Set once by the owning registry; called after the lock is released, so a consumer may read the breaker. */
    private volatile @Nullable Consumer<CircuitBreakerEvent> transitions;

    /** A breaker on the system monotonic clock. */
    public CircuitBreaker(String provider, String baseUrl, CircuitBreakerConfig config) {
        this(provider, baseUrl, config, System::nanoTime);
    }

    /** A breaker on the given monotonic clock (nanoseconds, as {@link System#nanoTime()}). */
    public CircuitBreaker(String provider, String baseUrl, CircuitBreakerConfig config, LongSupplier nanoTime) {
        this(provider, baseUrl, config, nanoTime, Clock.systemUTC());
    }

    /**
     * A breaker on the given monotonic clock; {@code wallClock} only stamps {@link CircuitBreakerSnapshot#openedAt()}
     * and never influences state decisions.
     */
    public CircuitBreaker(String provider, String baseUrl, CircuitBreakerConfig config, LongSupplier nanoTime,
            Clock wallClock) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        this.config = Objects.requireNonNull(config, "config");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
        this.baseCooldownNanos = saturatedNanos(config);
        this.cooldownNanos = baseCooldownNanos;
    }

    /** The provider this breaker guards. */
    public String provider() {
        return provider;
    }

    /** The base URL this breaker guards. */
    public String baseUrl() {
        return baseUrl;
    }

    /** The (normalised) configuration. */
    public CircuitBreakerConfig config() {
        return config;
    }

    /** The current state; reading it moves OPEN to HALF_OPEN once the cooldown has elapsed (boundary inclusive). */
    public CircuitState state() {
        lock.lock();
        CircuitState before = state;
        try {
            return currentState();
        } finally {
            CircuitState after = state;
            lock.unlock();
            if (after != before) {
                transitioned(before, after);
            }
        }
    }

    /**
     * Admits a call or throws: CLOSED admits, OPEN rejects, HALF_OPEN admits until {@code permittedHalfOpenCalls}
     * probes of the episode have been admitted. An admitted HALF_OPEN probe must later report exactly one of
     * {@link #onSuccess()}, {@link #onFailure(Integer, boolean)} or {@link #cancelProbe()}.
     *
     * @throws CircuitOpenException when the call is rejected
     */
    public void check() {
        lock.lock();
        CircuitState before = state;
        try {
            switch (currentState()) {
                case CLOSED -> {
                    return;
                }
                case HALF_OPEN -> {
                    if (halfOpenActive < config.permittedHalfOpenCalls()) {
                        halfOpenActive++;
                        return;
                    }
                }
                case OPEN -> {
                    // rejected below
                }
            }
        } finally {
            CircuitState after = state;
            lock.unlock();
            if (after != before) {
                transitioned(before, after);
            }
        }
        throw new CircuitOpenException(provider, baseUrl);
    }

    /** Reports a successful call. */
    public void onSuccess() {
        lock.lock();
        CircuitState before = state;
        try {
            switch (currentState()) {
                case CLOSED -> consecutiveFailures = 0;
                case HALF_OPEN -> {
                    if (hasUnfinishedProbe()) {
                        halfOpenSuccesses++;
                        evaluateHalfOpen();
                    }
                }
                case OPEN -> {
                    // stale outcome: ignored
                }
            }
        } finally {
            CircuitState after = state;
            lock.unlock();
            if (after != before) {
                transitioned(before, after);
            }
        }
    }

    /**
     * Reports a failed call. Retryable ({@code networkError}, 408, 429, 5xx) failures count towards opening and as
     * failed probes; any other answer means the server responded, so it resets the count in CLOSED and counts as a
     * successful probe in HALF_OPEN. In CLOSED a 401/403 always resets, even with the network flag (auth is the key
     * pool's business); in HALF_OPEN the network flag makes it a failed probe.
     *
     * @param statusCode the HTTP status, or {@code null} when there was none
     * @param networkError true when the provider was not reached or did not answer
     */
    public void onFailure(@Nullable Integer statusCode, boolean networkError) {
        boolean retryable = networkError || (statusCode != null && RetryPolicy.isRetryable(statusCode));
        lock.lock();
        CircuitState before = state;
        try {
            switch (currentState()) {
                case CLOSED -> {
                    // Auth answers reset even with the network flag: keys are the key pool's business.
                    if (isAuthStatus(statusCode) || !retryable) {
                        consecutiveFailures = 0;
                    } else if (++consecutiveFailures >= config.failureThreshold()) {
                        open();
                    }
                }
                case HALF_OPEN -> {
                    if (hasUnfinishedProbe()) {
                        if (retryable) {
                            halfOpenFailures++;
                        } else {
                            halfOpenSuccesses++;
                        }
                        evaluateHalfOpen();
                    }
                }
                case OPEN -> {
                    // stale outcome: ignored
                }
            }
        } finally {
            CircuitState after = state;
            lock.unlock();
            if (after != before) {
                transitioned(before, after);
            }
        }
    }

    /**
     * Counts an admitted HALF_OPEN probe that will never report (local error, crash, cancellation) as a failed probe.
     * Does nothing when no admitted probe is unfinished, so calling it after the probe already reported is harmless.
     */
    public void cancelProbe() {
        lock.lock();
        CircuitState before = state;
        try {
            if (currentState() == CircuitState.HALF_OPEN && hasUnfinishedProbe()) {
                halfOpenFailures++;
                evaluateHalfOpen();
            }
        } finally {
            CircuitState after = state;
            lock.unlock();
            if (after != before) {
                transitioned(before, after);
            }
        }
    }

    /** Forces the breaker CLOSED with all counters cleared and the base cooldown. */
    public void reset() {
        lock.lock();
        CircuitState before = state;
        try {
            state = CircuitState.CLOSED;
            consecutiveFailures = 0;
            openedAtNanos = 0;
            openedAtWall = null;
            cooldownNanos = baseCooldownNanos;
            halfOpenActive = 0;
            halfOpenSuccesses = 0;
            halfOpenFailures = 0;
        } finally {
            CircuitState after = state;
            lock.unlock();
            if (after != before) {
                transitioned(before, after);
            }
        }
    }

    /** A consistent copy of state and counters (reading the state may move OPEN to HALF_OPEN). */
    public CircuitBreakerSnapshot snapshot() {
        lock.lock();
        CircuitState before = state;
        try {
            CircuitState s = currentState();
            return new CircuitBreakerSnapshot(provider, baseUrl, s, consecutiveFailures, cooldownNanos / NANOS_PER_MS,
                    s == CircuitState.CLOSED ? null : openedAtWall, halfOpenActive, halfOpenSuccesses,
                    halfOpenFailures);
        } finally {
            CircuitState after = state;
            lock.unlock();
            if (after != before) {
                transitioned(before, after);
            }
        }
    }

    @Override
    public String toString() {
        return "CircuitBreaker[" + provider + ", " + baseUrl + ", " + state() + "]";
    }

    /** Sends this breaker's state transitions to {@code consumer} (the registry's event fan-out). */
    void onStateTransition(@Nullable Consumer<CircuitBreakerEvent> consumer) {
        this.transitions = consumer;
    }

    private void transitioned(CircuitState from, CircuitState to) {
        Consumer<CircuitBreakerEvent> c = transitions;
        if (c != null) {
            try {
                c.accept(new CircuitBreakerEvent(provider, baseUrl, from, to, wallClock.instant()));
            } catch (RuntimeException e) {
                // An observer must never change the outcome of the call that moved the breaker; it is reported.
                CircuitBreakerRegistry.observerFailed(e);
            }
        }
    }

    // --- transitions; callers hold the lock -------------------------------------------------------------------

    private CircuitState currentState() {
        // Subtraction, not comparison of absolute values: nanoTime may be negative or wrap.
        if (state == CircuitState.OPEN && nanoTime.getAsLong() - openedAtNanos >= cooldownNanos) {
            state = CircuitState.HALF_OPEN;
            halfOpenActive = 0;
            halfOpenSuccesses = 0;
            halfOpenFailures = 0;
        }
        return state;
    }

    private static boolean isAuthStatus(@Nullable Integer statusCode) {
        return statusCode != null && (statusCode == 401 || statusCode == 403);
    }

    private boolean hasUnfinishedProbe() {
        return halfOpenSuccesses + halfOpenFailures < halfOpenActive;
    }

    private void evaluateHalfOpen() {
        if (halfOpenSuccesses + halfOpenFailures < config.permittedHalfOpenCalls()) {
            return;
        }
        if (halfOpenSuccesses > halfOpenFailures) {
            state = CircuitState.CLOSED;
            consecutiveFailures = 0;
            cooldownNanos = baseCooldownNanos;
            openedAtWall = null;
            // Transitions are rare, so logging them costs nothing on the call path; the host only, never user info.
            LOG.info("LLMix circuit breaker for {} at {} closed: {} of {} probes succeeded", provider,
                    BreakerLogs.host(baseUrl), halfOpenSuccesses, halfOpenSuccesses + halfOpenFailures);
        } else {
            // Shared cap quirk: a base above the cap is reduced to the cap by the first re-open.
            cooldownNanos = cooldownNanos > COOLDOWN_CAP_NANOS / 2 ? COOLDOWN_CAP_NANOS : cooldownNanos * 2;
            open();
        }
    }

    private void open() {
        state = CircuitState.OPEN;
        openedAtNanos = nanoTime.getAsLong();
        openedAtWall = wallClock.instant();
        LOG.warn("LLMix circuit breaker for {} at {} opened: calls fail fast for {} ms", provider,
                BreakerLogs.host(baseUrl), cooldownNanos / NANOS_PER_MS);
    }

    private static long saturatedNanos(CircuitBreakerConfig config) {
        try {
            return config.cooldown().toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
