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
 * @param providers    the configured providers with their adapters (base URL without user info or query)
 * @param fallbacks    the fallback chains, {@code module/preset} → alternatives in order (docs/providers.md)
 * @param budgets      every rate budget created so far (docs/rate-limits.md)
 * @param cost         what calls cost and the cache saved since start (docs/cost.md)
 * @param calls        calls by outcome and their latency histogram since start, or {@code null} without
 *                     LLMix metrics (docs/observability.md)
 * @param fleet        fleet coordination (docs/fleet.md), left out when no fleet feature is on
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record LlmixReport(KillSwitch killSwitch, List<Breaker> breakers, @Nullable Cache cache, List<KeyPool> keyPools,
        List<Limiter> limiters, Singleflight singleflight, Presets presets, Streams streams, List<Provider> providers,
        Map<String, List<Fallback>> fallbacks, List<Budget> budgets, Cost cost, @Nullable Calls calls,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Fleet fleet) {

    /** A report without providers, fallback chains, rate budgets, cost figures, call totals and fleet section. */
    public LlmixReport(KillSwitch killSwitch, List<Breaker> breakers, @Nullable Cache cache, List<KeyPool> keyPools,
            List<Limiter> limiters, Singleflight singleflight, Presets presets, Streams streams) {
        this(killSwitch, breakers, cache, keyPools, limiters, singleflight, presets, streams, List.of(), Map.of(),
                List.of(), Cost.NONE, null, null);
    }

    /** A report without rate budgets, cost figures, call totals and fleet section. */
    public LlmixReport(KillSwitch killSwitch, List<Breaker> breakers, @Nullable Cache cache, List<KeyPool> keyPools,
            List<Limiter> limiters, Singleflight singleflight, Presets presets, Streams streams, List<Provider> providers,
            Map<String, List<Fallback>> fallbacks) {
        this(killSwitch, breakers, cache, keyPools, limiters, singleflight, presets, streams, providers, fallbacks,
                List.of(), Cost.NONE, null, null);
    }

    /**
     * One configured provider: its canonical name, the base URL its adapter uses (without user info or query; a
     * description when the application's own dispatch serves it) and whether it serves presets.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Provider(String name, String baseUrl, boolean enabled) {
    }

    /** One alternative of a fallback chain; unset members come from the called (or named) preset. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Fallback(@Nullable String provider, @Nullable String model, @Nullable String preset) {
    }

    /**
     * One rate budget: scope id ({@code p:openai}, {@code m:openai/gpt-4.1}, {@code k:openai/<fingerprint>}), mode,
     * configuration version, and one entry per configured dimension (absent dimensions are left out).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Budget(String id, String mode, long version, @Nullable BudgetDimension rpm,
            @Nullable BudgetDimension tpm, @Nullable BudgetDimension itpm, @Nullable BudgetDimension otpm) {
    }

    /** One dimension of a budget; LOCAL {@code remaining} = limiter permits + refund credit. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record BudgetDimension(long configured, @Nullable Long fleetConfigured, @Nullable Long learned,
            long effective, long capacity, @Nullable Long remaining, @Nullable Long allowance, int waiting) {
    }

    /** Fleet coordination (docs/fleet.md); null when no fleet feature is on. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Fleet(String instanceId, Map<String, Boolean> features, FleetRedis redis) {
    }

    /** The fleet's Redis: {@code lastError} is an exception class name, never a message. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record FleetRedis(boolean healthy, String since, @Nullable String lastError, long clockOffsetMs,
            int members) {
    }

    /** The fleet side of a breaker: last applied generation, the instance that wrote it, and why. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record BreakerFleet(long generation, String source, String cause) {
    }

    /** The fleet side of a key pool: shared dead marks applied here, shared cool-downs not yet over. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record KeyPoolFleet(int sharedDead, int sharedCooling) {
    }

    /** Calls by outcome and a latency histogram (per-bucket counts; the last bucket is unbounded). */
    public record Calls(Map<String, Long> byOutcome, List<Long> latencyBoundsMs, List<Long> latencyCounts) {
    }

    /** USD billed for fresh calls with a known price and saved by cache hits since start, and per model. */
    public record Cost(double totalUsd, double savedUsd, List<ModelCost> models) {
        /** Zero totals. */
        public static final Cost NONE = new Cost(0, 0, List.of());
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
            @Nullable String openedAt, int halfOpenActive, @JsonInclude(JsonInclude.Include.NON_NULL)
            @Nullable BreakerFleet fleet) {
    }

    /** The response cache: {@code hits} has the keys {@code l1} and {@code l2}. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Cache(String strategy, long l1Size, int l1Max, Map<String, Long> hits, long misses,
            boolean l2Enabled, boolean l2Healthy) {
    }

    /**
     * One provider's key pool; {@code keys} are the masked alive keys, {@code cooling} the live keys cooling down after
     * a 429 with {@code Retry-After}.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record KeyPool(String provider, int alive, int total, List<String> keys, List<String> deadFingerprints,
            int cooling, @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable KeyPoolFleet fleet) {
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
