package dev.llmix.benchmarks;

import dev.llmix.spi.CacheHitTier;
import dev.llmix.pipeline.CallResponse;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Sanity checks run in {@code @Setup}: a benchmark that silently measured a different path (a failure response, a
 * miss where a hit was meant) would produce a fast, meaningless number, so setup fails loudly instead.
 */
final class Checks {

    private Checks() {
    }

    static CallResponse success(CallResponse response) {
        if (!response.success()) {
            throw new IllegalStateException("Benchmark call failed: " + response.error());
        }
        return response;
    }

    static CallResponse tier(CallResponse response, @Nullable CacheHitTier expected) {
        if (!Objects.equals(response.cacheHit(), expected)) {
            throw new IllegalStateException("Expected cacheHit " + expected + " but got " + response.cacheHit()
                    + (response.success() ? "" : " (error: " + response.error() + ")"));
        }
        return response;
    }

    static void equal(long actual, long expected, String what) {
        if (actual != expected) {
            throw new IllegalStateException(what + ": expected " + expected + " but got " + actual);
        }
    }
}
