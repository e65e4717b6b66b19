package dev.llmix.limiter;

import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

    private static final Logger LOG = LoggerFactory.getLogger(LimiterRegistry.class);

    private final ConcurrentHashMap<String, AdaptiveSemaphore> limiters = new ConcurrentHashMap<>();
    private final Function<String, LimiterConfig> configFor;
    private volatile boolean closed;
    private final List<Consumer<LimiterEvent>> consumers = new CopyOnWriteArrayList<>();

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
                AdaptiveSemaphore created = new AdaptiveSemaphore(c.initial(), c.min());
                created.observeWindow((from, to) -> publish(new LimiterEvent(p, from, to, c.min(), c.initial())));
                return created;
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

    /**
     * Tells {@code consumer} about every window change of every limiter of this registry (a shrink after a 429 or low
     * rate-limit headers, each step of growth back). Consumers run on the thread that gave the feedback, outside the
     * limiter's lock; keep them short. One that throws is logged and skipped.
     */
    public void onWindowChange(Consumer<LimiterEvent> consumer) {
        consumers.add(Objects.requireNonNull(consumer, "consumer"));
    }

    private void publish(LimiterEvent event) {
        for (Consumer<LimiterEvent> c : consumers) {
            try {
                c.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("LLMix limiter: a window-change consumer failed ({})", e.toString());
            }
        }
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
