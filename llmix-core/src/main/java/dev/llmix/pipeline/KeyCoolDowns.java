package dev.llmix.pipeline;

import dev.llmix.keys.KeyPool;
import dev.llmix.resilience.RetryPolicy;
import java.util.concurrent.TimeUnit;

/**
 * A 429 whose {@code Retry-After} parses to a positive delay cools its key down for that long, besides the rotation
 * every 429 causes; without a usable {@code Retry-After} the key is only rotated away from (docs/fleet.md, shared key
 * health). Callers hold the file lock, as for the other key-pool feedback.
 */
final class KeyCoolDowns {

    private KeyCoolDowns() {
    }

    static void onRateLimited(KeyPool pool, String key, Throwable failure, RetryPolicy policy) {
        Double ms = policy.retryAfterMs(ErrorClassifier.retryAfterOf(failure));
        if (ms != null && ms > 0) {
            pool.coolDown(key, System.nanoTime() + (long) (ms * TimeUnit.MILLISECONDS.toNanos(1)));
        }
    }
}
