package dev.llmix.limiter;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The AIMD limiters of one pipeline, one per provider, created on first use with that provider's
 * {@link LimiterConfig}; look-up, snapshot and close. Thread-safe.
 */
public final class LimiterRegistry {

    private final ConcurrentHashMap<String, AdaptiveSemaphore> limiters = new ConcurrentHashMap<>();
    private final Function<String, LimiterConfig> configFor;
    private volatile boolean closed;

    /** A registry whose limiters take their bounds from {@code configFor} (by provider name). */
    public LimiterRegistry(Function<String, LimiterConfig> configFor) {
        this.configFor = Objects.requireNonNull(configFor, "configFor");
    }

    /** The provider's limiter, created on first use; one created while the registry closes is closed at once. */
    public AdaptiveSemaphore limiter(String provider) {
        AdaptiveSemaphore s = limiters.get(provider);
        if (s == null) {
            s = limiters.computeIfAbsent(provider, p -> {
                LimiterConfig c = configFor.apply(p);
                return new AdaptiveSemaphore(c.initial(), c.min());
            });
        }
        if (closed) {
            s.close();
        }
        return s;
    }

    /** The provider's limiter, or null before its first attempt. */
    public @Nullable AdaptiveSemaphore find(String provider) {
        return limiters.get(provider);
    }

    /** Every limiter by provider, sorted. */
    public Map<String, AdaptiveSemaphore> all() {
        return Collections.unmodifiableMap(new TreeMap<>(limiters));
    }

    /** Closes every limiter (queued acquirers fail) and every one created later. Idempotent. */
    public void close() {
        closed = true;
        limiters.values().forEach(AdaptiveSemaphore::close);
    }

    @Override
    public String toString() {
        return "LimiterRegistry" + limiters.keySet();
    }
}
