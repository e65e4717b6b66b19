package dev.llmix.keys;

import dev.llmix.internal.EcmaScript;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A provider's API keys with round-robin rotation on 429 and permanent removal of keys that got 401/403.
 * Keys are trimmed with the ECMAScript whitespace set, empty ones dropped and later duplicates removed. All
 * operations are atomic; {@link #toString()}, snapshots and error messages show keys only masked.
 */
public final class KeyPool {

    private final Object lock = new Object();
    private final List<String> keys;
    private final Map<String, Integer> positions;
    private final boolean[] dead;
    private int deadCount;
    private int idx;
    /** Told about each key that dies; set by the registry holding the pool (docs/architecture.md, "Registries"). */
    private volatile java.util.function.@org.jspecify.annotations.Nullable Consumer<String> deadObserver;

    /**
     * Builds a pool from raw keys.
     *
     * @throws IllegalArgumentException {@code KeyPool requires at least one non-empty key} when nothing is left after
     *                                  trimming, or when an element is {@code null}
     */
    public KeyPool(List<String> keys) {
        Objects.requireNonNull(keys, "keys");
        Set<String> cleaned = new LinkedHashSet<>();
        for (String raw : keys) {
            if (raw == null) {
                throw new IllegalArgumentException("KeyPool keys must not contain null");
            }
            String key = EcmaScript.trim(raw);
            if (!key.isEmpty()) {
                cleaned.add(key);
            }
        }
        if (cleaned.isEmpty()) {
            throw new IllegalArgumentException("KeyPool requires at least one non-empty key");
        }
        this.keys = List.copyOf(cleaned);
        this.positions = new HashMap<>();
        for (int i = 0; i < this.keys.size(); i++) {
            positions.put(this.keys.get(i), i);
        }
        this.dead = new boolean[this.keys.size()];
    }

    /**
     * Returns the current key: the first live key at or after the cursor (wrapping), which becomes the cursor.
     * Repeated calls return the same key until {@link #rotate()} or {@link #markDead(String)} intervenes.
     *
     * @throws KeyPoolExhaustedException when every key is dead
     */
    public String select() {
        synchronized (lock) {
            int n = keys.size();
            if (deadCount >= n) {
                throw new KeyPoolExhaustedException(n);
            }
            for (int i = 0; i < n; i++) {
                int j = (idx + i) % n;
                if (!dead[j]) {
                    idx = j;
                    return keys.get(j);
                }
            }
            throw new IllegalStateException("unreachable: live key count inconsistent");
        }
    }

    /**
     * The first live key at or after the cursor (wrapping) that {@code accept} takes, without moving the cursor; used
     * with per-key rate budgets, where {@code accept} tries the key's budget (docs/rate-limits.md). {@code accept}
     * runs under the pool's lock and must not block. Returns {@code null} when no live key is accepted.
     *
     * @throws KeyPoolExhaustedException when every key is dead
     */
    public @Nullable String selectMatching(Predicate<String> accept) {
        synchronized (lock) {
            int n = keys.size();
            if (deadCount >= n) {
                throw new KeyPoolExhaustedException(n);
            }
            for (int i = 0; i < n; i++) {
                int j = (idx + i) % n;
                if (!dead[j] && accept.test(keys.get(j))) {
                    return keys.get(j);
                }
            }
            return null;
        }
    }

    /** Whether {@code key} is one of the pool's keys and not marked dead. */
    public boolean isAlive(String key) {
        Integer position = positions.get(key);
        if (position == null) {
            return false;
        }
        synchronized (lock) {
            return !dead[position];
        }
    }

    /**
     * Moves the cursor to the next live key strictly after the current position (wrapping; with one live key it stays
     * on it). Does nothing when the pool is exhausted.
     */
    public void rotate() {
        synchronized (lock) {
            int n = keys.size();
            if (deadCount >= n) {
                return;
            }
            for (int i = 1; i <= n; i++) {
                int j = (idx + i) % n;
                if (!dead[j]) {
                    idx = j;
                    return;
                }
            }
        }
    }

    /**
     * Marks {@code key} dead for the lifetime of the pool. Idempotent; the cursor does not move; a key that is not one
     * of the pool's (trimmed) keys is ignored, as in the reference.
     */
    public void markDead(String key) {
        Integer position = positions.get(key);
        if (position == null) {
            return;
        }
        boolean died = false;
        synchronized (lock) {
            if (!dead[position]) {
                dead[position] = true;
                deadCount++;
                died = true;
            }
        }
        java.util.function.Consumer<String> observer = deadObserver;
        if (died && observer != null) {
            observer.accept(key);
        }
    }

    /** Sets who is told (outside the pool's lock) about each key that dies; {@code null} for nobody. */
    void observeDeadKeys(java.util.function.@org.jspecify.annotations.Nullable Consumer<String> observer) {
        this.deadObserver = observer;
    }

    /** True when every key is dead. */
    public boolean isExhausted() {
        synchronized (lock) {
            return deadCount >= keys.size();
        }
    }

    /** Number of keys not marked dead. */
    public int aliveCount() {
        synchronized (lock) {
            return keys.size() - deadCount;
        }
    }

    /** Number of distinct keys. */
    public int totalCount() {
        return keys.size();
    }

    /** A consistent view of the pool with masked live keys. */
    public KeyPoolSnapshot snapshot() {
        synchronized (lock) {
            List<String> masked = new ArrayList<>(keys.size() - deadCount);
            for (int i = 0; i < keys.size(); i++) {
                if (!dead[i]) {
                    masked.add(ApiKeys.mask(keys.get(i)));
                }
            }
            return new KeyPoolSnapshot(keys.size() - deadCount, keys.size(), masked);
        }
    }

    /** The cleaned keys in internal order; for tests in this package only (keys must not leak through public API). */
    List<String> keys() {
        return keys;
    }

    /** The cursor position; for tests in this package only. */
    int cursor() {
        synchronized (lock) {
            return idx;
        }
    }

    @Override
    public String toString() {
        KeyPoolSnapshot s = snapshot();
        return "KeyPool[alive=" + s.alive() + ", total=" + s.total() + ", keys=" + s.maskedAliveKeys() + "]";
    }
}
