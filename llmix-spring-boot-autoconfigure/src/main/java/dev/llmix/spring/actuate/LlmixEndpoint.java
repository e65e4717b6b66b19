package dev.llmix.spring.actuate;

import dev.llmix.internal.http.DisplayUrls;
import dev.llmix.cache.CacheStats;
import dev.llmix.keys.KeyPoolSnapshot;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.pipeline.CostTotals;
import dev.llmix.spring.metrics.CallStats;
import java.util.function.Supplier;
import dev.llmix.pipeline.KeyPoolStatus;
import dev.llmix.pipeline.PipelineSnapshot;
import dev.llmix.pipeline.SemaphoreSnapshot;
import dev.llmix.resilience.CircuitBreakerSnapshot;
import dev.llmix.spring.killswitch.KillSwitchState;
import dev.llmix.spring.killswitch.LlmixKillSwitch;
import java.security.Principal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.audit.listener.AuditApplicationEvent;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import dev.llmix.budget.BudgetDimension;
import dev.llmix.budget.RateBudgetSnapshot;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.context.ApplicationEventPublisher;

/**
 * The {@code llmix} Actuator endpoint: reads the pipeline's runtime state (kill switch, breakers, cache, key pools,
 * limiters, singleflight, presets, providers, fallback chains) and, once writes are allowed ({@code management.endpoint.llmix.access=unrestricted}),
 * engages or releases the kill switch, resets breakers and clears the L1 cache. Writes are logged and published as
 * audit events ({@code LLMIX_KILL_SWITCH_ENGAGED}, {@code LLMIX_KILL_SWITCH_RELEASED}, {@code LLMIX_BREAKERS_RESET},
 * {@code LLMIX_CACHE_CLEARED}, {@code LLMIX_KEYS_REVIVED}).
 */
@Endpoint(id = "llmix", defaultAccess = Access.READ_ONLY)
public class LlmixEndpoint {

    /** Reason recorded when an engage request has none. */
    public static final String DEFAULT_REASON = "Engaged through the llmix actuator endpoint";

    private static final Logger LOG = LoggerFactory.getLogger(LlmixEndpoint.class);

    private final CallPipeline pipeline;
    private final LlmixKillSwitch killSwitch;
    private final PresetsStatusProvider presets;
    private final @Nullable ApplicationEventPublisher events;
    private final List<LlmixReport.Provider> providers;
    private final Map<String, List<LlmixReport.Fallback>> fallbacks;
    private final Supplier<@Nullable CallStats> calls;
    private volatile dev.llmix.spring.fleet.@Nullable LlmixFleetView fleet;

    public LlmixEndpoint(CallPipeline pipeline, LlmixKillSwitch killSwitch, PresetsStatusProvider presets,
            @Nullable ApplicationEventPublisher events) {
        this(pipeline, killSwitch, presets, events, List.of(), Map.of(), () -> null);
    }

    /** An endpoint whose report includes the call totals of {@code calls} (looked up on each read). */
    public LlmixEndpoint(CallPipeline pipeline, LlmixKillSwitch killSwitch, PresetsStatusProvider presets,
            @Nullable ApplicationEventPublisher events, Supplier<@Nullable CallStats> calls) {
        this(pipeline, killSwitch, presets, events, List.of(), Map.of(), calls);
    }

    /**
     * An endpoint that also shows the configured providers and the fallback chains (both fixed at start-up).
     */
    public LlmixEndpoint(CallPipeline pipeline, LlmixKillSwitch killSwitch, PresetsStatusProvider presets,
            @Nullable ApplicationEventPublisher events, List<LlmixReport.Provider> providers,
            Map<String, List<LlmixReport.Fallback>> fallbacks) {
        this(pipeline, killSwitch, presets, events, providers, fallbacks, () -> null);
    }

    /**
     * An endpoint with the configured providers and fallback chains, and the call totals of {@code calls} (looked up
     * on each read).
     */
    public LlmixEndpoint(CallPipeline pipeline, LlmixKillSwitch killSwitch, PresetsStatusProvider presets,
            @Nullable ApplicationEventPublisher events, List<LlmixReport.Provider> providers,
            Map<String, List<LlmixReport.Fallback>> fallbacks, Supplier<@Nullable CallStats> calls) {
        this.calls = Objects.requireNonNull(calls, "calls");
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.killSwitch = Objects.requireNonNull(killSwitch, "killSwitch");
        this.presets = Objects.requireNonNull(presets, "presets");
        this.events = events;
        this.providers = List.copyOf(providers);
        this.fallbacks = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fallbacks));
    }

    /** Adds the {@code fleet} sections (docs/fleet.md) when a fleet feature is on. */
    public void fleet(dev.llmix.spring.fleet.@Nullable LlmixFleetView view) {
        this.fleet = view;
    }

    /** {@code GET /actuator/llmix}. */
    @ReadOperation
    public LlmixReport report() {
        PipelineSnapshot s = pipeline.snapshot();
        return new LlmixReport(killSwitch(killSwitch.state()), breakers(s), cache(s.cache()), keyPools(s),
                limiters(s), new LlmixReport.Singleflight(s.singleflightInFlight()), presets.presets(),
                new LlmixReport.Streams(s.streamsInFlight()), providers, fallbacks,
                budgets(pipeline.rateBudgets().snapshots()), cost(pipeline.costs()), calls(calls.get()), fleetSection());
    }

    private static List<LlmixReport.Budget> budgets(List<RateBudgetSnapshot> snapshots) {
        List<LlmixReport.Budget> out = new ArrayList<>();
        for (RateBudgetSnapshot b : snapshots) {
            out.add(new LlmixReport.Budget(b.id(), b.mode().name(), b.version(),
                    dimension(b.dimension(BudgetDimension.RPM)), dimension(b.dimension(BudgetDimension.TPM)),
                    dimension(b.dimension(BudgetDimension.ITPM)), dimension(b.dimension(BudgetDimension.OTPM))));
        }
        return out;
    }

    private static LlmixReport.@Nullable BudgetDimension dimension(RateBudgetSnapshot.@Nullable Dimension d) {
        return d == null ? null : new LlmixReport.BudgetDimension(d.configured(), d.fleetConfigured(), d.learned(),
                d.effective(), d.capacity(), d.remaining(), d.allowance(), d.waiting());
    }

    /**
     * {@code POST /actuator/llmix/{target}} with {@code killswitch} ({@code engage}, {@code reason}),
     * {@code breakers} ({@code provider}, {@code baseUrl}; neither resets all) or {@code cache} ({@code clear: true}).
     *
     * @return the updated report
     * @throws InvalidEndpointRequestException for an unknown target or missing/contradictory parameters
     */
    public LlmixReport write(@Selector String target, @Nullable Boolean engage, @Nullable String reason,
            @Nullable String provider, @Nullable String baseUrl, @Nullable Boolean clear,
            @Nullable SecurityContext security) {
        return write(target, engage, reason, provider, baseUrl, clear, null, security);
    }

    /**
     * {@code POST /actuator/llmix/{target}}: the targets above, and {@code keys} ({@code provider} and
     * {@code fingerprint} revive one dead key; {@code provider} alone every dead key of that provider; neither every
     * dead key of every provider).
     *
     * @return the updated report
     * @throws InvalidEndpointRequestException for an unknown target or missing/contradictory parameters
     */
    @WriteOperation
    public LlmixReport write(@Selector String target, @Nullable Boolean engage, @Nullable String reason,
            @Nullable String provider, @Nullable String baseUrl, @Nullable Boolean clear,
            @Nullable String fingerprint, @Nullable SecurityContext security) {
        String principal = principal(security);
        switch (target.toLowerCase(Locale.ROOT)) {
            case "killswitch" -> killSwitch(engage, reason, principal);
            case "breakers" -> breakers(provider, baseUrl, principal);
            case "cache" -> cache(clear, principal);
            case "keys" -> keys(provider, fingerprint, principal);
            default -> throw invalid("Unknown target '" + target
                    + "'; expected killswitch, breakers, cache or keys");
        }
        return report();
    }

    /** Revives dead keys by fingerprint (never by key text; docs/observability.md). */
    private void keys(@Nullable String provider, @Nullable String fingerprint, String principal) {
        if (provider == null) {
            if (fingerprint != null) {
                throw invalid("'fingerprint' needs 'provider'");
            }
            int n = 0;
            for (String p : pipeline.snapshot().keyPools().keySet()) {
                dev.llmix.keys.KeyPool pool = pipeline.getKeyPool(p);
                n += pool == null ? 0 : pool.reviveAll();
            }
            LOG.warn("LLMix: {} dead key(s) revived through the actuator endpoint (by {})", n, principal);
            audit(principal, "LLMIX_KEYS_REVIVED", Map.of("count", n));
            return;
        }
        dev.llmix.keys.KeyPool pool = pipeline.getKeyPool(provider);
        if (pool == null) {
            throw invalid("No key pool for provider '" + provider + "'");
        }
        if (fingerprint == null) {
            int n = pool.reviveAll();
            LOG.warn("LLMix: {} dead key(s) of {} revived through the actuator endpoint (by {})", n, provider,
                    principal);
            audit(principal, "LLMIX_KEYS_REVIVED", Map.of("provider", provider, "count", n));
            return;
        }
        if (!pool.revive(fingerprint)) {
            throw invalid("No dead key with fingerprint '" + fingerprint + "' in the pool of '" + provider + "'");
        }
        LOG.warn("LLMix: key {} of {} revived through the actuator endpoint (by {})", fingerprint, provider,
                principal);
        audit(principal, "LLMIX_KEYS_REVIVED", Map.of("provider", provider, "fingerprint", fingerprint));
    }

    private void killSwitch(@Nullable Boolean engage, @Nullable String reason, String principal) {
        if (engage == null) {
            throw invalid("'engage' (true or false) is required");
        }
        if (engage) {
            String why = reason == null || reason.isBlank() ? DEFAULT_REASON : reason;
            killSwitch.engage(why);
            LOG.warn("LLMix kill switch ENGAGED through the actuator endpoint (scope {}, by {}): {}",
                    killSwitch.scope().wireName(), principal, why);
            audit(principal, "LLMIX_KILL_SWITCH_ENGAGED", Map.of("reason", why, "scope", killSwitch.scope().wireName()));
        } else {
            killSwitch.release();
            LOG.warn("LLMix kill switch RELEASED through the actuator endpoint (scope {}, by {})",
                    killSwitch.scope().wireName(), principal);
            audit(principal, "LLMIX_KILL_SWITCH_RELEASED", Map.of("scope", killSwitch.scope().wireName()));
        }
    }

    private void breakers(@Nullable String provider, @Nullable String baseUrl, String principal) {
        if (provider == null) {
            if (baseUrl != null) {
                throw invalid("'baseUrl' needs 'provider'");
            }
            int n = pipeline.resetAllCircuitBreakers();
            LOG.info("LLMix: {} circuit breaker(s) reset through the actuator endpoint (by {})", n, principal);
            audit(principal, "LLMIX_BREAKERS_RESET", Map.of("count", n));
            return;
        }
        String url = baseUrl == null ? "" : baseUrl;
        String match = findBreakerUrl(provider, url);
        if (match == null || !pipeline.resetCircuitBreaker(provider, match)) {
            throw invalid("No circuit breaker for provider '" + provider + "' and baseUrl '"
                    + DisplayUrls.withoutSecrets(url) + "'");
        }
        LOG.info("LLMix: circuit breaker ({}, {}) reset through the actuator endpoint (by {})", provider,
                DisplayUrls.withoutSecrets(match), principal);
        audit(principal, "LLMIX_BREAKERS_RESET", Map.of("provider", provider,
                "baseUrl", DisplayUrls.withoutSecrets(match)));
    }

    /** The breaker's real base URL, accepting the displayed (secret-free) form the read operation shows. */
    private @Nullable String findBreakerUrl(String provider, String url) {
        for (CircuitBreakerSnapshot b : pipeline.snapshot().circuitBreakers().values()) {
            if (b.provider().equals(provider)
                    && (b.baseUrl().equals(url) || DisplayUrls.withoutSecrets(b.baseUrl()).equals(url))) {
                return b.baseUrl();
            }
        }
        return null;
    }

    private void cache(@Nullable Boolean clear, String principal) {
        if (!Boolean.TRUE.equals(clear)) {
            throw invalid("'clear' must be true");
        }
        if (!pipeline.clearCache()) {
            throw invalid("No response cache is configured");
        }
        LOG.info("LLMix: L1 response cache cleared through the actuator endpoint (by {})", principal);
        audit(principal, "LLMIX_CACHE_CLEARED", Map.of());
    }

    // ---------------------------------------------------------------------------------------------------------------

    static LlmixReport.KillSwitch killSwitch(KillSwitchState k) {
        return new LlmixReport.KillSwitch(k.active(), k.scope().wireName(), k.path().toString(), k.reason(),
                iso(k.since()));
    }

    private List<LlmixReport.Breaker> breakers(PipelineSnapshot s) {
        dev.llmix.spring.fleet.LlmixFleetView f = fleet;
        List<LlmixReport.Breaker> out = new ArrayList<>();
        for (CircuitBreakerSnapshot b : s.circuitBreakers().values()) {
            dev.llmix.spring.fleet.LlmixFleetView.BreakerFleet bf = f == null ? null : f.breaker(b.provider(),
                    b.baseUrl());
            out.add(new LlmixReport.Breaker(b.provider(), DisplayUrls.withoutSecrets(b.baseUrl()), b.state().name(),
                    b.consecutiveFailures(), b.cooldownMs(), iso(b.openedAt()), b.halfOpenActive(),
                    bf == null ? null : new LlmixReport.BreakerFleet(bf.generation(), bf.source(), bf.cause())));
        }
        return out;
    }

    private LlmixReport.@Nullable Fleet fleetSection() {
        dev.llmix.spring.fleet.LlmixFleetView f = fleet;
        if (f == null) {
            return null;
        }
        dev.llmix.fleet.FleetStatus st = f.status();
        Map<String, Boolean> features = new LinkedHashMap<>();
        features.put("budgets", st.budgets());
        features.put("breakers", st.breakers());
        features.put("keys", st.keys());
        return new LlmixReport.Fleet(st.instanceId(), features, new LlmixReport.FleetRedis(st.healthy(),
                st.since().toString(), st.lastError(), st.clockOffsetMs(), st.members()));
    }

    private static LlmixReport.@Nullable Cache cache(@Nullable CacheStats c) {
        if (c == null) {
            return null;
        }
        Map<String, Long> hits = new LinkedHashMap<>();
        hits.put("l1", c.l1Hits());
        hits.put("l2", c.l2Hits());
        return new LlmixReport.Cache(c.strategy().wireName(), c.l1Size(), c.l1Max(), hits, c.misses(), c.l2Enabled(),
                c.l2Healthy());
    }

    private List<LlmixReport.KeyPool> keyPools(PipelineSnapshot s) {
        List<LlmixReport.KeyPool> out = new ArrayList<>();
        dev.llmix.spring.fleet.LlmixFleetView f = fleet;
        for (KeyPoolStatus p : s.keyPools().values()) {
            LlmixReport.KeyPoolFleet kf = f == null || !f.status().keys() ? null
                    : new LlmixReport.KeyPoolFleet(f.sharedDead(p.provider()), f.sharedCooling(p.provider()));
            dev.llmix.keys.KeyPool pool = pipeline.getKeyPool(p.provider());
            KeyPoolSnapshot ks = pool == null ? null : pool.snapshot();
            out.add(ks == null
                    ? new LlmixReport.KeyPool(p.provider(), p.alive(), p.total(), List.of(), List.of(), 0, kf)
                    : new LlmixReport.KeyPool(p.provider(), ks.alive(), ks.total(), ks.maskedAliveKeys(),
                            pool.deadFingerprints(), pool.coolingCount(), kf));
        }
        return out;
    }

    private static List<LlmixReport.Limiter> limiters(PipelineSnapshot s) {
        List<LlmixReport.Limiter> out = new ArrayList<>();
        for (SemaphoreSnapshot l : s.semaphores().values()) {
            out.add(new LlmixReport.Limiter(l.provider(), l.window(), l.minConcurrency(), l.maxConcurrency(),
                    l.inFlight(), l.waiters()));
        }
        return out;
    }

    private static LlmixReport.@Nullable Calls calls(@Nullable CallStats stats) {
        if (stats == null) {
            return null;
        }
        CallStats.Snapshot s = stats.snapshot();
        return new LlmixReport.Calls(s.byOutcome(), s.latencyBoundsMs(), s.latencyCounts());
    }

    private static LlmixReport.Cost cost(CostTotals c) {
        List<LlmixReport.ModelCost> models = new ArrayList<>();
        for (CostTotals.ModelCost m : c.models()) {
            models.add(new LlmixReport.ModelCost(m.provider(), m.model(), m.priced(), m.costUsd(), m.savedUsd(),
                    m.freshCalls(), m.cacheHits()));
        }
        return new LlmixReport.Cost(c.costUsd(), c.savedUsd(), models);
    }

    static @Nullable String iso(@Nullable Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private void audit(String principal, String type, Map<String, Object> data) {
        ApplicationEventPublisher p = events;
        if (p != null) {
            p.publishEvent(new AuditApplicationEvent(principal, type, data));
        }
    }

    private static String principal(@Nullable SecurityContext security) {
        Principal p = security == null ? null : security.getPrincipal();
        return p == null ? "anonymous" : p.getName();
    }

    private static InvalidEndpointRequestException invalid(String message) {
        return new InvalidEndpointRequestException(message, message);
    }
}
