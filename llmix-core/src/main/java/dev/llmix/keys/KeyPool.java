package dev.llmix.keys;

import dev.llmix.internal.EcmaScript;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
 * A provider's API keys with round-robin rotation on 429, cool-downs for a 429's {@code Retry-After}, and removal of
 * keys that got 401/403.
 * Keys are trimmed with the ECMAScript whitespace set, empty ones dropped and later duplicates removed. All
 * operations are atomic; {@link #toString()}, snapshots and error messages show keys only masked.
 */
public final class KeyPool {

    private final Object lock = new Object();
    private final List<String> keys;
    private final Map<String, Integer> positions;
    private final boolean[] dead;
    /** Per key: when a dead mark ends ({@link System#nanoTime()} scale); {@link #PERMANENT} for the pool's lifetime. */
    private final long[] deadUntil;
    private final String[] fingerprints;
    private int deadCount;
    private int idx;
    /** Told about each key that dies; set by the registry holding the pool (docs/architecture.md, "Registries"). */
    private volatile java.util.function.@org.jspecify.annotations.Nullable Consumer<String> deadObserver;
    private static final long PERMANENT = Long.MAX_VALUE;
    /** Set when key health is shared (docs/fleet.md); then a dead mark lasts {@code sharedDeadTtlNanos}. */
    private volatile @Nullable DeadKeyListener listener;
    private volatile long sharedDeadTtlNanos;
    /** Per key: cooling until ({@link System#nanoTime()} scale) when {@code cooling[i]}; guarded by the lock. */
    private final boolean[] cooling;
    private final long[] coolUntil;
    private int coolingCount;
    private volatile @Nullable CoolDownListener coolListener;

    /** Told when the pipeline cools a key down after a 429 with {@code Retry-After}, by fingerprint only. */
    @FunctionalInterface
    public interface CoolDownListener {
        /** Key {@code fingerprint} cools until {@code untilNanos} ({@link System#nanoTime()} scale). */
        void cooling(String fingerprint, long untilNanos);
    }

    /** Told when the pipeline marks a key dead, by fingerprint only (shared key health, docs/fleet.md). */
    @FunctionalInterface
    public interface DeadKeyListener {
        /** Key {@code fingerprint} is dead until {@code untilNanos} ({@link System#nanoTime()} scale). */
        void dead(String fingerprint, long untilNanos);
    }

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
        this.deadUntil = new long[this.keys.size()];
        this.fingerprints = new String[this.keys.size()];
        this.cooling = new boolean[this.keys.size()];
        this.coolUntil = new long[this.keys.size()];
        for (int i = 0; i < this.keys.size(); i++) {
            fingerprints[i] = fingerprint(this.keys.get(i));
        }
    }

    /**
     * The fingerprint that logs, events, metrics and the Actuator use instead of a key: the first 16 lower-case hex
     * digits of the SHA-256 of the trimmed key ({@code sk-test} → {@code f3abf2a6cc4f0098}).
     */
    public static String fingerprint(String key) {
        Objects.requireNonNull(key, "key");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(EcmaScript.trim(key).getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder(16);
            for (int i = 0; i < 8; i++) {
                hex.append(Character.forDigit((digest[i] >> 4) & 0xf, 16)).append(Character.forDigit(digest[i] & 0xf, 16));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** The fingerprint of one of this pool's keys (precomputed), or of any other key (computed). */
    public String fingerprintOf(String key) {
        Integer position = positions.get(key);
        return position != null ? fingerprints[position] : fingerprint(key);
    }

    /** The fingerprint of the current key (the one {@link #select()} would return), or null when exhausted. */
    public @org.jspecify.annotations.Nullable String currentFingerprint() {
        synchronized (lock) {
            expireDead();
            int n = keys.size();
            if (deadCount >= n) {
                return null;
            }
            int j = firstSelectable();
            return j < 0 ? null : fingerprints[j];
        }
    }

    /**
     * The position {@link #select()} takes (callers hold the lock, dead marks expired, at least one live key): the
     * first live key from the cursor that is not cooling, or, when every live key cools, the one whose cool-down ends
     * first (docs/fleet.md, shared key health).
     */
    private int firstSelectable() {
        int n = keys.size();
        if (coolingCount > 0) {
            expireCooling();
        }
        int earliest = -1;
        for (int i = 0; i < n; i++) {
            int j = (idx + i) % n;
            if (dead[j]) {
                continue;
            }
            if (coolingCount == 0 || !cooling[j]) {
                return j;
            }
            if (earliest < 0 || coolUntil[j] - coolUntil[earliest] < 0) {
                earliest = j;
            }
        }
        return earliest;
    }

    // Callers hold the lock.
    private void expireCooling() {
        long now = System.nanoTime();
        for (int i = 0; i < cooling.length; i++) {
            if (cooling[i] && now - coolUntil[i] >= 0) {
                cooling[i] = false;
                coolingCount--;
            }
        }
    }

    /**
     * Shares this pool's cool-downs: from now on each {@link #coolDown(String, long)} is reported to {@code l}; null
     * stops reporting.
     */
    public void shareCoolDowns(@Nullable CoolDownListener l) {
        this.coolListener = l;
    }

    /**
     * Cools {@code key} down until {@code untilNanos} ({@link System#nanoTime()} scale; a later existing end wins):
     * {@link #select()} skips it meanwhile unless every live key cools. Reported to the cool-down listener, if any.
     * A key that is not one of the pool's is ignored.
     */
    public void coolDown(String key, long untilNanos) {
        Integer position = positions.get(key);
        if (position == null) {
            return;
        }
        synchronized (lock) {
            cool(position, untilNanos);
        }
        CoolDownListener l = coolListener;
        if (l != null) {
            l.cooling(fingerprints[position], untilNanos);
        }
    }

    /**
     * Cools the key with {@code fingerprint} down until {@code untilNanos}; false when no key of the pool has that
     * fingerprint. Does not notify the listener (the cool-down came from elsewhere).
     */
    public boolean coolDownByFingerprint(String fingerprint, long untilNanos) {
        synchronized (lock) {
            for (int i = 0; i < fingerprints.length; i++) {
                if (fingerprints[i].equals(fingerprint)) {
                    cool(i, untilNanos);
                    return true;
                }
            }
            return false;
        }
    }

    // Callers hold the lock.
    private void cool(int i, long untilNanos) {
        if (untilNanos - System.nanoTime() <= 0) {
            return;
        }
        if (!cooling[i]) {
            cooling[i] = true;
            coolingCount++;
            coolUntil[i] = untilNanos;
        } else if (untilNanos - coolUntil[i] > 0) {
            coolUntil[i] = untilNanos;
        }
    }

    /** Number of live keys cooling down now. */
    public int coolingCount() {
        synchronized (lock) {
            if (coolingCount == 0) {
                return 0;
            }
            expireCooling();
            expireDead();
            int c = 0;
            for (int i = 0; i < cooling.length; i++) {
                if (cooling[i] && !dead[i]) {
                    c++;
                }
            }
            return c;
        }
    }

    /** Fingerprint → nanoseconds left of every cool-down in progress. */
    public java.util.Map<String, Long> coolingMarks() {
        synchronized (lock) {
            java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
            if (coolingCount == 0) {
                return out;
            }
            expireCooling();
            long now = System.nanoTime();
            for (int i = 0; i < fingerprints.length; i++) {
                if (cooling[i]) {
                    out.put(fingerprints[i], coolUntil[i] - now);
                }
            }
            return out;
        }
    }

    /**
     * Shares this pool's dead marks: from now on {@link #markDead(String)} lasts {@code deadTtlNanos} and is reported
     * to {@code l}; null returns to lifetime marks.
     */
    public void shareDeadKeys(@Nullable DeadKeyListener l, long deadTtlNanos) {
        this.sharedDeadTtlNanos = deadTtlNanos;
        this.listener = l;
    }

    /**
     * Marks the key with {@code fingerprint} dead until {@code untilNanos}; a later existing expiry wins. Returns false
     * when no key of the pool has that fingerprint. Does not notify the listener (the mark came from elsewhere).
     */
    public boolean markDeadByFingerprint(String fingerprint, long untilNanos) {
        synchronized (lock) {
            for (int i = 0; i < fingerprints.length; i++) {
                if (fingerprints[i].equals(fingerprint)) {
                    if (!dead[i]) {
                        dead[i] = true;
                        deadCount++;
                        deadUntil[i] = untilNanos;
                    } else if (deadUntil[i] != PERMANENT && untilNanos - deadUntil[i] > 0) {
                        deadUntil[i] = untilNanos;
                    }
                    return true;
                }
            }
            return false;
        }
    }

    /** Brings the dead key with this fingerprint back; false when no dead key has it. */
    public boolean revive(String fingerprint) {
        Objects.requireNonNull(fingerprint, "fingerprint");
        synchronized (lock) {
            for (int i = 0; i < fingerprints.length; i++) {
                if (dead[i] && fingerprints[i].equals(fingerprint)) {
                    dead[i] = false;
                    deadCount--;
                    return true;
                }
            }
            return false;
        }
    }

    /** Brings every dead key back and returns how many there were. */
    public int reviveAll() {
        synchronized (lock) {
            int revived = deadCount;
            java.util.Arrays.fill(dead, false);
            java.util.Arrays.fill(deadUntil, 0L);
            deadCount = 0;
            return revived;
        }
    }

    /** The fingerprints of the dead keys, in pool order. */
    public List<String> deadFingerprints() {
        synchronized (lock) {
            expireDead();
            List<String> out = new ArrayList<>(deadCount);
            for (int i = 0; i < fingerprints.length; i++) {
                if (dead[i]) {
                    out.add(fingerprints[i]);
                }
            }
            return out;
        }
    }

    /** Fingerprint → nanoseconds left of every dead mark that expires (shared marks). */
    public java.util.Map<String, Long> expiringDeadMarks() {
        synchronized (lock) {
            expireDead();
            java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
            long now = System.nanoTime();
            for (int i = 0; i < fingerprints.length; i++) {
                if (dead[i] && deadUntil[i] != PERMANENT) {
                    out.put(fingerprints[i], deadUntil[i] - now);
                }
            }
            return out;
        }
    }

    // Callers hold the lock.
    private void expireDead() {
        if (deadCount == 0) {
            return;
        }
        long now = System.nanoTime();
        for (int i = 0; i < dead.length; i++) {
            if (dead[i] && deadUntil[i] != PERMANENT && now - deadUntil[i] >= 0) {
                dead[i] = false;
                deadCount--;
            }
        }
    }

    /**
     * Returns the current key: the first live key at or after the cursor (wrapping) that is not cooling down (when every
     * live key cools, the one whose cool-down ends first), which becomes the cursor.
     * Repeated calls return the same key until {@link #rotate()} or {@link #markDead(String)} intervenes.
     *
     * @throws KeyPoolExhaustedException when every key is dead
     */
    public String select() {
        synchronized (lock) {
            expireDead();
            int n = keys.size();
            if (deadCount >= n) {
                throw new KeyPoolExhaustedException(n);
            }
            int j = firstSelectable();
            if (j < 0) {
                throw new IllegalStateException("unreachable: live key count inconsistent");
            }
            idx = j;
            return keys.get(j);
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
            if (coolingCount > 0) {
                expireCooling();
            }
            boolean anyWarm = false;
            for (int i = 0; i < n; i++) {
                int j = (idx + i) % n;
                if (dead[j] || (coolingCount > 0 && cooling[j])) {
                    continue;
                }
                anyWarm = true;
                if (accept.test(keys.get(j))) {
                    return keys.get(j);
                }
            }
            if (!anyWarm) {
                // Every live key cools: only the one whose cool-down ends first is offered.
                int j = firstSelectable();
                if (j >= 0 && accept.test(keys.get(j))) {
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
            expireDead();
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
        DeadKeyListener l = listener;
        long until = l == null ? PERMANENT : System.nanoTime() + sharedDeadTtlNanos;
        synchronized (lock) {
            if (!dead[position]) {
                dead[position] = true;
                deadCount++;
                deadUntil[position] = until;
                died = true;
            } else if (deadUntil[position] != PERMANENT && l != null) {
                deadUntil[position] = until;
            }
        }
        if (l != null) {
            l.dead(fingerprints[position], until);
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
            expireDead();
            return deadCount >= keys.size();
        }
    }

    /** Number of keys not marked dead. */
    public int aliveCount() {
        synchronized (lock) {
            expireDead();
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
            expireDead();
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
