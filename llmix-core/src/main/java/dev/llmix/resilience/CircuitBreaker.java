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
    /** Set by the registry when HALF_OPEN episodes are decided fleet-wide; null decides locally. */
    private volatile @Nullable HalfOpenCoordinator coordinator;

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
        boolean probe = false;
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
                        probe = true;
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
        if (probe) {
            HalfOpenCoordinator c = coordinator;
            if (c == null || c.admit(this)) {
                return;
            }
            withdrawProbe();
        }
        throw new CircuitOpenException(provider, baseUrl);
    }

    /** Reports a successful call. */
    public void onSuccess() {
        @Nullable Boolean reported = null;
        lock.lock();
        CircuitState before = state;
        try {
            switch (currentState()) {
                case CLOSED -> consecutiveFailures = 0;
                case HALF_OPEN -> {
                    if (hasUnfinishedProbe()) {
                        halfOpenSuccesses++;
                        reported = Boolean.TRUE;
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
        report(reported);
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
        @Nullable Boolean reported = null;
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
                        reported = !retryable;
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
        report(reported);
    }

    /**
     * Counts an admitted HALF_OPEN probe that will never report (local error, crash, cancellation) as a failed probe.
     * Does nothing when no admitted probe is unfinished, so calling it after the probe already reported is harmless.
     */
    public void cancelProbe() {
        @Nullable Boolean reported = null;
        lock.lock();
        CircuitState before = state;
        try {
            if (currentState() == CircuitState.HALF_OPEN && hasUnfinishedProbe()) {
                halfOpenFailures++;
                reported = Boolean.FALSE;
                evaluateHalfOpen();
            }
        } finally {
            CircuitState after = state;
            lock.unlock();
            if (after != before) {
                transitioned(before, after);
            }
        }
        report(reported);
    }

    /**
     * Undoes one unfinished HALF_OPEN admission without an outcome (a coordinated admission the fleet refused). Does
     * nothing when no admitted probe is unfinished.
     */
    public void withdrawProbe() {
        lock.lock();
        try {
            if (state == CircuitState.HALF_OPEN && hasUnfinishedProbe()) {
                halfOpenActive--;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adopts an OPEN state decided elsewhere: OPEN for {@code remainingNanos} more with {@code cooldownNanos} as the
     * current cooldown (doubling continues from it); {@code remainingNanos <= 0} enters HALF_OPEN with reset counters.
     */
    public void forceOpen(long remainingNanos, long cooldownNanos) {
        lock.lock();
        CircuitState before = state;
        try {
            long cooldown = Math.max(1, cooldownNanos);
            long remaining = Math.min(Math.max(0, remainingNanos), cooldown);
            state = CircuitState.OPEN;
            consecutiveFailures = 0;
            this.cooldownNanos = cooldown;
            // Opened so that the cooldown ends exactly after the remaining time.
            openedAtNanos = nanoTime.getAsLong() - (cooldown - remaining);
            openedAtWall = wallClock.instant();
            halfOpenActive = 0;
            halfOpenSuccesses = 0;
            halfOpenFailures = 0;
            currentState();
        } finally {
            CircuitState after = state;
            lock.unlock();
            if (after != before) {
                transitioned(before, after);
            }
        }
    }

    /** Adopts a CLOSED state decided elsewhere: as {@link #reset()}. */
    public void forceClose() {
        reset();
    }

    /** Nanoseconds left in the current OPEN cooldown; 0 when not OPEN. */
    public long remainingOpenNanos() {
        lock.lock();
        try {
            if (currentState() != CircuitState.OPEN) {
                return 0;
            }
            return cooldownNanos - (nanoTime.getAsLong() - openedAtNanos);
        } finally {
            lock.unlock();
        }
    }

    /** The current cooldown in nanoseconds (doubled by failed episodes, base after a close). */
    public long cooldownNanos() {
        lock.lock();
        try {
            return cooldownNanos;
        } finally {
            lock.unlock();
        }
    }

    /** The configured (base) cooldown in nanoseconds. */
    public long baseCooldownNanos() {
        return baseCooldownNanos;
    }

    /** Hands HALF_OPEN decisions to {@code c} (null: decide locally); set by the registry. */
    void coordinate(@Nullable HalfOpenCoordinator c) {
        this.coordinator = c;
    }

    private void report(@Nullable Boolean ok) {
        HalfOpenCoordinator c = coordinator;
        if (ok != null && c != null) {
            c.report(this, ok);
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
        HalfOpenCoordinator c = coordinator;
        if (c != null && c.delegating(this)) {
            // The coordinator decides the episode; its decision arrives through forceOpen / forceClose.
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
