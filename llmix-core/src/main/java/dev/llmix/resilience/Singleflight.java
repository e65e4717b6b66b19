package dev.llmix.resilience;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Collapses concurrent identical requests into one execution: the first caller for a key (the leader) runs the
 * function, every caller arriving while it is in flight (a follower) receives the same outcome. Nothing is cached:
 * once the flight settles, the next call for the key starts a new one.
 *
 * <p>Every caller, leader included, gets its own future, so cancelling one caller's wait never cancels the shared
 * execution or the other callers' results. Failures are delivered as the original exception (never wrapped in a
 * {@link CompletionException}); {@code join()} and {@code get()} wrap it as usual, {@code whenComplete} and
 * {@code exceptionally} see it as is.
 *
 * @param <T> the result type
 */
public final class Singleflight<T> {

    private static final HexFormat HEX = HexFormat.of();

    private final ConcurrentHashMap<String, CompletableFuture<T>> flights = new ConcurrentHashMap<>();

    /**
     * Runs {@code fn} for {@code key} unless a flight for that key is already in progress, in which case the
     * caller joins it. {@code fn} runs on the leader's thread; it throwing or returning {@code null} fails the flight.
     * A function that waits on a flight of its own key deadlocks, as with any lock.
     *
     * @return a future private to this caller, completed with the flight's result or its original exception
     */
    public CompletableFuture<T> execute(String key, Supplier<? extends CompletionStage<T>> fn) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(fn, "fn");
        CompletableFuture<T> flight = new CompletableFuture<>();
        CompletableFuture<T> existing = flights.putIfAbsent(key, flight);
        if (existing != null) {
            return relay(existing);
        }
        try {
            CompletionStage<T> stage = fn.get();
            if (stage == null) {
                throw new NullPointerException("Singleflight function returned null instead of a CompletionStage");
            }
            stage.whenComplete((value, error) -> settle(key, flight, value, error));
        } catch (Throwable t) {
            // Settling is idempotent, so this also covers a stage whose whenComplete itself throws.
            settle(key, flight, null, t);
        }
        return relay(flight);
    }

    /** Number of keys with a flight in progress (0 once everything has settled). */
    public int inFlightCount() {
        return flights.size();
    }

    /** Lowercase hex SHA-256 of the UTF-8 bytes of {@code text}: a 64-character key for {@link #execute}. */
    public static String makeKey(String text) {
        Objects.requireNonNull(text, "text");
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HEX.formatHex(sha256.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    private void settle(String key, CompletableFuture<T> flight, @Nullable T value, @Nullable Throwable error) {
        // Remove before completing: code that runs on completion and calls again must start a fresh flight.
        flights.remove(key, flight);
        if (error == null) {
            flight.complete(value);
        } else {
            flight.completeExceptionally(unwrap(error));
        }
    }

    private static <T> CompletableFuture<T> relay(CompletableFuture<T> flight) {
        CompletableFuture<T> mine = new CompletableFuture<>();
        flight.whenComplete((value, error) -> {
            if (error == null) {
                mine.complete(value);
            } else {
                mine.completeExceptionally(unwrap(error));
            }
        });
        return mine;
    }

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
