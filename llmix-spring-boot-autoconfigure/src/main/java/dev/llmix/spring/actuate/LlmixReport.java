package dev.llmix.spring.actuate;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The document of {@code GET /actuator/llmix} (see {@code docs/observability.md}): kill switch, breakers, cache, key
 * pools, limiters, singleflight, presets and streams. Instants are ISO-8601 strings; keys appear masked only.
 *
 * @param killSwitch   the operator kill switch
 * @param breakers     every circuit breaker created so far
 * @param cache        the response cache, or {@code null} without one
 * @param keyPools     every registered key pool
 * @param limiters     every AIMD limiter created so far
 * @param singleflight deduplicated executions in flight
 * @param presets      where presets come from and the registry's reload state
 * @param streams      streams in flight
 * @param cost         what calls cost and the cache saved since start (docs/cost.md)
 * @param calls        calls by outcome and their latency histogram since start, or {@code null} without
 *                     LLMix metrics (docs/observability.md)
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record LlmixReport(KillSwitch killSwitch, List<Breaker> breakers, @Nullable Cache cache, List<KeyPool> keyPools,
        List<Limiter> limiters, Singleflight singleflight, Presets presets, Streams streams, Cost cost,
        @Nullable Calls calls) {

    /** The report without call totals. */
    public LlmixReport(KillSwitch killSwitch, List<Breaker> breakers, @Nullable Cache cache, List<KeyPool> keyPools,
            List<Limiter> limiters, Singleflight singleflight, Presets presets, Streams streams, Cost cost) {
        this(killSwitch, breakers, cache, keyPools, limiters, singleflight, presets, streams, cost, null);
    }

    /** Calls by outcome and a latency histogram (per-bucket counts; the last bucket is unbounded). */
    public record Calls(Map<String, Long> byOutcome, List<Long> latencyBoundsMs, List<Long> latencyCounts) {
    }

    /** The report without cost figures (zero totals). */
    public LlmixReport(KillSwitch killSwitch, List<Breaker> breakers, @Nullable Cache cache, List<KeyPool> keyPools,
            List<Limiter> limiters, Singleflight singleflight, Presets presets, Streams streams) {
        this(killSwitch, breakers, cache, keyPools, limiters, singleflight, presets, streams,
                new Cost(0, 0, List.of()));
    }

    /** USD billed for fresh calls with a known price and saved by cache hits since start, and per model. */
    public record Cost(double totalUsd, double savedUsd, List<ModelCost> models) {
    }

    /** The cost figures of one provider and model; {@code priced} is false for models without a price. */
    public record ModelCost(String provider, String model, boolean priced, double costUsd, double savedUsd,
            long freshCalls, long cacheHits) {
    }

    /** The kill switch: {@code scope} is {@code local} or {@code fleet}. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record KillSwitch(boolean active, String scope, String path, @Nullable String reason,
            @Nullable String since) {
    }

    /** One breaker; {@code baseUrl} is shown without user info or query. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Breaker(String provider, String baseUrl, String state, int consecutiveFailures, long cooldownMs,
            @Nullable String openedAt, int halfOpenActive) {
    }

    /** The response cache: {@code hits} has the keys {@code l1} and {@code l2}. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Cache(String strategy, long l1Size, int l1Max, Map<String, Long> hits, long misses,
            boolean l2Enabled, boolean l2Healthy) {
    }

    /** One provider's key pool; {@code keys} are the masked alive keys. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record KeyPool(String provider, int alive, int total, List<String> keys, List<String> deadFingerprints) {
    }

    /** One provider's AIMD limiter. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Limiter(String provider, int window, int min, int max, int inFlight, int waiting) {
    }

    /** Streams started and not yet ended (docs/streaming.md). */
    public record Streams(int inFlight) {
    }

    /** Singleflight. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Singleflight(int inFlight) {
    }

    /**
     * Presets: {@code mode} ({@code source} or {@code registry}), the root directory, and for a registry the active
     * revision, the last successful reload and the last reload error.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Presets(@Nullable String mode, @Nullable String root, @Nullable String revision,
            @Nullable String lastReloadAt, @Nullable String lastReloadError) {

        /** Nothing known about presets. */
        public static Presets unknown() {
            return new Presets(null, null, null, null, null);
        }
    }
}
