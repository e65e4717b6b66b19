package dev.llmix.keys;

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
 * The API key pools of one pipeline, one per provider: registered explicitly, or loaded on first use by a loader
 * (the pipeline's loader reads the provider descriptor's environment variables). A pool's keys only ever go to its
 * own provider. Thread-safe; {@link #toString()} never shows a key.
 */
public final class KeyPoolRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(KeyPoolRegistry.class);

    private final ConcurrentHashMap<String, KeyPool> pools = new ConcurrentHashMap<>();
    private final Function<String, @Nullable KeyPool> loader;
    private final List<Consumer<KeyPoolEvent>> consumers = new CopyOnWriteArrayList<>();
    private final java.util.List<java.util.function.BiConsumer<String, KeyPool>> observers =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    /** A registry that loads a missing provider's pool with {@code loader} (null result: no pool). */
    public KeyPoolRegistry(Function<String, @Nullable KeyPool> loader) {
        this.loader = Objects.requireNonNull(loader, "loader");
    }

    /** A registry holding only explicitly registered pools. */
    public KeyPoolRegistry() {
        this(provider -> null);
    }

    /** Registers (or replaces) the pool for {@code provider}. */
    public void put(String provider, KeyPool pool) {
        pools.put(Objects.requireNonNull(provider, "provider"), Objects.requireNonNull(pool, "pool"));
        observe(provider, pool);
        notify(provider, pool);
    }

    /** Calls {@code observer} for every pool present now and for every pool registered or loaded later. */
    public void onPool(java.util.function.BiConsumer<String, KeyPool> observer) {
        observers.add(Objects.requireNonNull(observer, "observer"));
        pools.forEach(observer);
    }

    private void notify(String provider, KeyPool pool) {
        for (java.util.function.BiConsumer<String, KeyPool> o : observers) {
            o.accept(provider, pool);
        }
    }

    /** The registered pool, else the loaded one (remembered), else null. */
    public @Nullable KeyPool pool(String provider) {
        KeyPool p = pools.get(provider);
        if (p != null) {
            return p;
        }
        KeyPool loaded = loader.apply(provider);
        if (loaded == null) {
            return null;
        }
        KeyPool previous = pools.putIfAbsent(provider, loaded);
        if (previous != null) {
            return previous;
        }
        observe(provider, loaded);
        notify(provider, loaded);
        return loaded;
    }

    /**
     * Tells {@code consumer} about every key that dies in any pool of this registry (after a 401/403), with the key
     * masked. Consumers run on the calling thread, outside the pool's lock; one that throws is logged and skipped.
     */
    public void onKeyDead(Consumer<KeyPoolEvent> consumer) {
        consumers.add(Objects.requireNonNull(consumer, "consumer"));
    }

    private void observe(String provider, KeyPool pool) {
        pool.observeDeadKeys(key -> {
            if (consumers.isEmpty()) {
                return;
            }
            KeyPoolEvent event = new KeyPoolEvent(provider, ApiKeys.mask(key), pool.aliveCount(), pool.totalCount());
            for (Consumer<KeyPoolEvent> c : consumers) {
                try {
                    c.accept(event);
                } catch (RuntimeException e) {
                    LOG.warn("LLMix key pool: an event consumer failed ({})", e.toString());
                }
            }
        });
    }

    /** The pool registered or already loaded for {@code provider}; never loads. */
    public @Nullable KeyPool find(String provider) {
        return pools.get(provider);
    }

    /** Every pool by provider, sorted. */
    public Map<String, KeyPool> all() {
        return Collections.unmodifiableMap(new TreeMap<>(pools));
    }

    @Override
    public String toString() {
        return "KeyPoolRegistry" + pools.keySet();
    }
}
