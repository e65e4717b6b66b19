package dev.llmix.pipeline;

import dev.llmix.cache.CacheStats;
import dev.llmix.resilience.CircuitBreakerSnapshot;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A read-only view of a {@link CallPipeline}'s runtime state, for health and metrics endpoints. Maps are ordered by
 * key and unmodifiable.
 *
 * @param circuitBreakers      breakers by key ({@code provider + ":" + effectiveBaseUrl})
 * @param semaphores           AIMD limiters by provider
 * @param keyPools             key pools by provider
 * @param singleflightInFlight deduplicated executions currently running
 * @param cache                response-cache statistics, or {@code null} without a cache
 * @param closed               whether {@link CallPipeline#close()} was called
 * @param streamsInFlight      streams started and not yet ended
 */
public record PipelineSnapshot(
        Map<String, CircuitBreakerSnapshot> circuitBreakers,
        Map<String, SemaphoreSnapshot> semaphores,
        Map<String, KeyPoolStatus> keyPools,
        int singleflightInFlight,
        @Nullable CacheStats cache,
        boolean closed,
        int streamsInFlight) {

    /** A snapshot without streams in flight. */
    public PipelineSnapshot(Map<String, CircuitBreakerSnapshot> circuitBreakers,
            Map<String, SemaphoreSnapshot> semaphores, Map<String, KeyPoolStatus> keyPools,
            int singleflightInFlight, @Nullable CacheStats cache, boolean closed) {
        this(circuitBreakers, semaphores, keyPools, singleflightInFlight, cache, closed, 0);
    }
}
