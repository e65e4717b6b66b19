package dev.llmix.resilience;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The circuit breakers of one pipeline, one per provider and effective base URL, created on first use with that
 * provider's {@link CircuitBreakerConfig}: look-up, snapshot, reset, and consumers of every state transition.
 * Thread-safe.
 */
public final class CircuitBreakerRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(CircuitBreakerRegistry.class);

    private final ConcurrentHashMap<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
    private final Function<String, CircuitBreakerConfig> configFor;
    private final LongSupplier nanoTime;
    private final List<Consumer<CircuitBreakerEvent>> consumers = new CopyOnWriteArrayList<>();
    private final Consumer<CircuitBreakerEvent> fanOut = this::publish;
    private final List<Consumer<CircuitBreaker>> creations = new CopyOnWriteArrayList<>();
    private volatile @Nullable HalfOpenCoordinator coordinator;

    /** A registry giving every provider {@code config}, on the system monotonic clock. */
    public CircuitBreakerRegistry(CircuitBreakerConfig config) {
        this(provider -> config, System::nanoTime);
    }

    /**
     * A registry whose breakers take their configuration from {@code configFor} (by provider name, e.g. per-provider
     * overrides falling back to the global settings).
     */
    public CircuitBreakerRegistry(Function<String, CircuitBreakerConfig> configFor, LongSupplier nanoTime) {
        this.configFor = Objects.requireNonNull(configFor, "configFor");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /** The breaker for {@code provider} at {@code baseUrl}, created CLOSED on first use. */
    public CircuitBreaker breaker(String provider, String baseUrl) {
        CircuitBreaker b = breakers.get(key(provider, baseUrl));
        if (b != null) {
            return b;
        }
        boolean[] created = {false};
        b = breakers.computeIfAbsent(key(provider, baseUrl), k -> {
            created[0] = true;
            return create(provider, baseUrl);
        });
        if (created[0]) {
            for (Consumer<CircuitBreaker> c : creations) {
                try {
                    c.accept(b);
                } catch (RuntimeException e) {
                    observerFailed(e);
                }
            }
        }
        return b;
    }

    private CircuitBreaker create(String provider, String baseUrl) {
        CircuitBreaker b = new CircuitBreaker(provider, baseUrl, configFor.apply(provider), nanoTime);
        b.onStateTransition(fanOut);
        b.coordinate(coordinator);
        return b;
    }

    /** Adds a consumer of every breaker created from now on (called once, after creation, outside any lock). */
    public void onCreate(Consumer<CircuitBreaker> consumer) {
        creations.add(Objects.requireNonNull(consumer, "consumer"));
    }

    /**
     * Hands the HALF_OPEN episodes of every breaker, present and future, to {@code c} (shared breakers,
     * docs/fleet.md); null returns them to local decisions.
     */
    public void coordinateHalfOpen(@Nullable HalfOpenCoordinator c) {
        this.coordinator = c;
        breakers.values().forEach(b -> b.coordinate(c));
    }

    /** The breaker for exactly this provider and base URL, or null when no call created it. */
    public @Nullable CircuitBreaker find(String provider, String baseUrl) {
        return breakers.get(key(provider, baseUrl));
    }

    /** Every breaker, keyed {@code provider:baseUrl}, sorted. */
    public Map<String, CircuitBreaker> all() {
        return Collections.unmodifiableMap(new TreeMap<>(breakers));
    }

    /** A consistent snapshot of every breaker, keyed {@code provider:baseUrl} (reading may move OPEN to HALF_OPEN). */
    public Map<String, CircuitBreakerSnapshot> snapshot() {
        Map<String, CircuitBreakerSnapshot> out = new TreeMap<>();
        breakers.forEach((k, v) -> out.put(k, v.snapshot()));
        return Collections.unmodifiableMap(out);
    }

    /** Resets one breaker to CLOSED; false when it does not exist. */
    public boolean reset(String provider, String baseUrl) {
        CircuitBreaker b = breakers.get(key(provider, baseUrl));
        if (b == null) {
            return false;
        }
        b.reset();
        return true;
    }

    /** Resets every breaker to CLOSED and returns how many there were. */
    public int resetAll() {
        int n = 0;
        for (CircuitBreaker b : breakers.values()) {
            b.reset();
            n++;
        }
        return n;
    }

    /** Adds a consumer of every state transition of every breaker (present and future). */
    public void onStateTransition(Consumer<CircuitBreakerEvent> consumer) {
        consumers.add(Objects.requireNonNull(consumer, "consumer"));
    }

    private void publish(CircuitBreakerEvent event) {
        for (Consumer<CircuitBreakerEvent> c : consumers) {
            try {
                c.accept(event);
            } catch (RuntimeException e) {
                // One failing observer must not keep the others from seeing the transition.
                observerFailed(e);
            }
        }
    }

    static void observerFailed(RuntimeException e) {
        LOG.warn("LLMix circuit breaker: a state-transition consumer failed ({})", e.toString());
    }

    private static String key(String provider, String baseUrl) {
        return provider + ":" + baseUrl;
    }

    @Override
    public String toString() {
        return "CircuitBreakerRegistry" + breakers.keySet();
    }
}
