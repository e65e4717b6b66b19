package dev.llmix.spring.metrics;

import dev.llmix.cache.CacheStats;
import dev.llmix.keys.KeyPool;
import dev.llmix.spi.AttemptFailedEvent;
import dev.llmix.spi.AttemptStartedEvent;
import dev.llmix.spi.BreakerStateEvent;
import dev.llmix.spi.BudgetWaitEvent;
import dev.llmix.spi.CallEvent;
import dev.llmix.spi.CallOutcome;
import dev.llmix.spi.KeyDeadEvent;
import dev.llmix.spi.KeyRotatedEvent;
import dev.llmix.spi.LimiterWindowEvent;
import dev.llmix.spi.CallInput;
import dev.llmix.spi.CallListener;
import dev.llmix.spi.FallbackEvent;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.spi.LlmUsage;
import dev.llmix.pipeline.PipelineSnapshot;
import dev.llmix.pipeline.SemaphoreSnapshot;
import dev.llmix.resilience.CircuitState;
import dev.llmix.internal.http.DisplayUrls;
import dev.llmix.spi.CacheHitTier;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * LLMix's Micrometer instrumentation. As the pipeline's {@link CallListener} it wraps every call in an
 * {@code llmix.calls} {@link Observation} (timer and span), records the OpenTelemetry GenAI client meters, counts
 * tokens ({@code llmix.tokens}), cost and savings ({@code llmix.cost}, {@code llmix.cost.saved}) and the operator
 * events (attempts, keys, breaker transitions, limiter windows, budget waits; docs/observability.md); as a
 * {@link MeterBinder} it registers gauges for breakers, limiters, key pools and the cache. Gauges of breakers,
 * limiters and key pools created later (they are created lazily by calls) are registered after their first call.
 *
 * <p>Without an {@link ObservationRegistry} the timer still exists: with the default convention LLMix records the
 * {@code llmix.calls} timer and the {@code llmix.calls.active} long task timer itself, from meters resolved once per
 * provider and model (the same names and tags Micrometer's meter handler would give them); with a custom convention
 * a private observation registry feeds the bound {@link MeterRegistry}. An L1 hit then allocates no tags, meter ids
 * or observation contexts (docs/performance.md §9).
 */
public class LlmixMetrics implements CallListener, MeterBinder {

    private final @Nullable ObservationRegistry observations;
    private final @Nullable LlmixCallObservationConvention convention;
    private final Supplier<@Nullable CallPipeline> pipeline;
    private volatile @Nullable MeterRegistry meters;
    private volatile @Nullable ObservationRegistry effectiveObservations;
    private final Map<String, Boolean> trackedBreakers = new ConcurrentHashMap<>();
    private final Map<String, Boolean> trackedKeyPools = new ConcurrentHashMap<>();
    private final Map<String, Boolean> trackedLimiters = new ConcurrentHashMap<>();
    /** Per provider and model, the meters calls update, resolved once (docs/performance.md §9). */
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, PresetMeters>> presets =
            new ConcurrentHashMap<>();
    /**
     * Without an application observation registry and with the default convention, nothing but the
     * {@code llmix.calls} timer would observe a call: it is then recorded directly, from pre-resolved meters, instead
     * of through a private registry's per-call observation (docs/performance.md §9).
     */
    private final boolean direct;
    private final Map<String, GenAiMeters> genAiMeters = new ConcurrentHashMap<>();
    private final Map<String, Counter> eventCounters = new ConcurrentHashMap<>();
    private final CallStats callStats = new CallStats();

    /**
     * @param observations the application's observation registry, or {@code null} to time calls with a private one
     *                     once a meter registry is bound
     * @param convention   a custom convention replacing {@link DefaultLlmixCallObservationConvention}, or {@code null}
     * @param pipeline     the pipeline to read gauges from (looked up when the binder is bound; it is built with this
     *                     listener, so it cannot be a constructor argument)
     */
    public LlmixMetrics(@Nullable ObservationRegistry observations,
            @Nullable LlmixCallObservationConvention convention, Supplier<@Nullable CallPipeline> pipeline) {
        this.observations = observations;
        this.convention = convention;
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.effectiveObservations = observations;
        this.direct = observations == null && convention == null;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // CallListener

    @Override
    public @Nullable Object callStarted(CallInput input) {
        if (direct) {
            MeterRegistry registry = meters;
            return registry == null ? null
                    : preset(input.config().provider(), input.config().model()).active(registry).start();
        }
        ObservationRegistry registry = effectiveObservations;
        if (registry == null || registry.isNoop()) {
            return null;
        }
        // Under the Spring AI bridge's observation: one span per call, so no second llmix.calls observation.
        BridgedCalls.Call bridged = BridgedCalls.start(registry, input);
        if (bridged != null) {
            return bridged;
        }
        return LlmixObservationDocumentation.CALL
                .observation(convention, DefaultConventionHolder.INSTANCE, () -> new LlmixCallContext(input),
                        registry)
                .start();
    }

    @Override
    public void callFinished(CallEvent event, @Nullable Object context) {
        if (context instanceof BridgedCalls.Call bridged) {
            BridgedCalls.finish(bridged, event, convention != null ? convention : DefaultConventionHolder.INSTANCE,
                    meters);
        }
        if (context instanceof Observation observation) {
            if (observation.getContext() instanceof LlmixCallContext c) {
                c.setEvent(event);
            }
            Throwable error = event.error();
            if (error != null) {
                observation.error(error);
            }
            observation.stop();
        }
        callStats.record(event);
        MeterRegistry registry = meters;
        if (registry != null) {
            PresetMeters preset = preset(event.provider(), event.model());
            if (context instanceof LongTaskTimer.Sample active) {
                active.stop();
                preset.timer(registry, event).record(event.durationNanos(), TimeUnit.NANOSECONDS);
            }
            countTokens(registry, preset, event);
            recordGenAi(registry, event);
            countCost(registry, preset, event);
            if (!preset.trackedBaseUrls.containsKey(event.baseUrl())
                    && track(registry, event.provider(), event.baseUrl())) {
                preset.trackedBaseUrls.put(event.baseUrl(), Boolean.TRUE);
            }
            if (event.streamed()) {
                recordStream(registry, event);
            }
        }
    }

    /**
     * {@code llmix.fallbacks}: one count per move along a fallback chain, tagged with the called preset, the failed
     * and the next provider, and the reason (docs/providers.md, "Fallback chains").
     */
    @Override
    public void fallback(FallbackEvent event) {
        MeterRegistry registry = meters;
        if (registry == null) {
            return;
        }
        Counter.builder("llmix.fallbacks")
                .description("Calls that moved from a failing provider to the next alternative of a fallback chain")
                .tag("module", event.module())
                .tag("preset", event.preset())
                .tag("from_provider", event.fromProvider())
                .tag("to_provider", event.toProvider())
                .tag("reason", event.reason())
                .register(registry)
                .increment();
    }

    /** Calls by outcome and their latency histogram since start (for the {@code llmix} endpoint). */
    public CallStats callStats() {
        return callStats;
    }

    /** {@code llmix.stream.first_chunk} (one sample per stream with a chunk) and {@code llmix.stream.chunks}. */
    private static void recordStream(MeterRegistry registry, CallEvent event) {
        String cache = DefaultLlmixCallObservationConvention.cacheTag(event);
        if (event.timeToFirstChunkNanos() >= 0) {
            Timer.builder("llmix.stream.first_chunk")
                    .description("Time from the start of an LLMix stream to its first chunk")
                    .tag("provider", event.provider())
                    .tag("model", event.model())
                    .tag("cache", cache)
                    .register(registry)
                    .record(event.timeToFirstChunkNanos(), TimeUnit.NANOSECONDS);
        }
        DistributionSummary.builder("llmix.stream.chunks")
                .description("Chunks delivered per LLMix stream")
                .tag("provider", event.provider())
                .tag("model", event.model())
                .register(registry)
                .record(event.chunks());
    }

    /**
     * The OpenTelemetry GenAI client meters for calls that reached the provider: {@code gen_ai.client.operation.duration}
     * and {@code gen_ai.client.token.usage}, with the convention's bucket boundaries.
     */
    private void recordGenAi(MeterRegistry registry, CallEvent event) {
        if (!GenAiConventions.dispatched(event)) {
            return;
        }
        String errorType = GenAiConventions.errorType(event);
        String responseModel = event.responseModel() != null ? event.responseModel() : event.model();
        String key = event.provider() + '\u0000' + event.model() + '\u0000' + responseModel + '\u0000' + errorType;
        GenAiMeters m = genAiMeters.computeIfAbsent(key, k -> new GenAiMeters(registry, event, responseModel,
                errorType == null ? "none" : errorType));
        m.duration.record(event.durationNanos(), TimeUnit.NANOSECONDS);
        LlmUsage u = event.usage();
        if (u.inputTokens() > 0 || u.outputTokens() > 0) {
            m.inputTokens.record(u.inputTokens());
            m.outputTokens.record(u.outputTokens());
        }
    }

    /** {@code llmix.cost}, {@code llmix.cost.saved} and {@code llmix.cost.unpriced} (docs/cost.md). */
    private static void countCost(MeterRegistry registry, PresetMeters preset, CallEvent event) {
        boolean billed = event.cost() != null;
        boolean saved = event.cacheHit() != null && event.savedUsd() > 0;
        boolean unpriced = !billed && event.outcome() == CallOutcome.SUCCESS && event.cacheHit() == null
                && (event.usage().inputTokens() > 0 || event.usage().outputTokens() > 0);
        if (!billed && !saved && !unpriced) {
            return;
        }
        Counter[] c = preset.costCounters;
        if (c == null) {
            c = new Counter[] {
            Counter.builder("llmix.cost").description("USD billed for fresh LLMix calls with a known price")
                    .baseUnit("usd").tag("provider", event.provider()).tag("model", event.model()).register(registry),
            Counter.builder("llmix.cost.saved").description("USD saved by LLMix cache hits")
                    .baseUnit("usd").tag("provider", event.provider()).tag("model", event.model()).register(registry),
            Counter.builder("llmix.cost.unpriced")
                    .description("Fresh LLMix calls with token usage whose model has no price")
                    .tag("provider", event.provider()).tag("model", event.model()).register(registry)};
            preset.costCounters = c;
        }
        if (billed) {
            c[0].increment(event.cost().totalUsd());
        }
        if (saved) {
            c[1].increment(event.savedUsd());
        }
        if (unpriced) {
            c[2].increment();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Operator events (docs/observability.md): one counter each; the log lines come from the pipeline itself.

    @Override
    public void attemptStarted(AttemptStartedEvent event) {
        MeterRegistry registry = meters;
        if (registry != null) {
            eventCounter(registry, "llmix.attempts", "Attempts dispatched to providers", "provider",
                    event.provider()).increment();
        }
    }

    @Override
    public void attemptFailed(AttemptFailedEvent event) {
        MeterRegistry registry = meters;
        if (registry != null) {
            eventCounter(registry, "llmix.attempts.failed", "Failed attempts by status, reason and retry",
                    "provider", event.provider(), "status", event.status() == null ? "none"
                            : event.status().toString(), "reason", event.reason(),
                    "retry", event.willRetry() ? "true" : "false").increment();
        }
    }

    @Override
    public void keyRotated(KeyRotatedEvent event) {
        MeterRegistry registry = meters;
        if (registry != null) {
            eventCounter(registry, "llmix.keys.rotated", "Key rotations after a 429", "provider",
                    event.provider()).increment();
        }
    }

    @Override
    public void keyMarkedDead(KeyDeadEvent event) {
        MeterRegistry registry = meters;
        if (registry != null) {
            eventCounter(registry, "llmix.keys.dead", "Keys marked dead after a 401/403", "provider",
                    event.provider(), "status", Integer.toString(event.status())).increment();
        }
    }

    @Override
    public void breakerStateChanged(BreakerStateEvent event) {
        MeterRegistry registry = meters;
        if (registry != null) {
            eventCounter(registry, "llmix.breaker.transitions", "Circuit breaker state changes", "provider",
                    event.provider(), "base_url", DisplayUrls.host(event.baseUrl()),
                    "from", event.from().toLowerCase(Locale.ROOT), "to", event.to().toLowerCase(Locale.ROOT))
                    .increment();
            track(registry, event.provider(), event.baseUrl());
        }
    }

    @Override
    public void limiterWindowChanged(LimiterWindowEvent event) {
        MeterRegistry registry = meters;
        if (registry != null) {
            eventCounter(registry, "llmix.limiter.window.changes", "AIMD window changes by direction and cause",
                    "provider", event.provider(), "direction", event.to() > event.from() ? "increase" : "decrease",
                    "cause", event.cause()).increment();
        }
    }

    /** Budget waits are recorded on the fleet's {@code llmix.budget.wait} timer: no second meter (docs/observability.md). */
    @Override
    public void budgetWaited(BudgetWaitEvent event) {
        MeterRegistry registry = meters;
        if (registry != null && event.granted()) {
            Timer.builder("llmix.budget.wait").description("Time calls waited for a rate-budget grant")
                    .tag("budget", event.budget()).tag("scope", event.scope()).tag("dimension", event.dimension())
                    .tag("mode", event.mode()).register(registry).record(event.waited());
        }
    }

    private Counter eventCounter(MeterRegistry registry, String name, String description, String... tags) {
        StringBuilder key = new StringBuilder(name);
        for (String t : tags) {
            key.append('\u0000').append(t);
        }
        return eventCounters.computeIfAbsent(key.toString(),
                k -> Counter.builder(name).description(description).tags(tags).register(registry));
    }

    /** The GenAI meters of one provider, request model, response model and error type. */
    private static final class GenAiMeters {
        final Timer duration;
        final DistributionSummary inputTokens;
        final DistributionSummary outputTokens;

        GenAiMeters(MeterRegistry registry, CallEvent event, String responseModel, String errorType) {
            String provider = GenAiConventions.providerName(event.provider());
            duration = Timer.builder("gen_ai.client.operation.duration")
                    .description("GenAI operation duration (OpenTelemetry GenAI semantic conventions)")
                    .tag("gen_ai.operation.name", GenAiConventions.OPERATION_CHAT)
                    .tag("gen_ai.provider.name", provider)
                    .tag("gen_ai.request.model", event.model())
                    .tag("gen_ai.response.model", responseModel)
                    .tag("error.type", errorType)
                    .serviceLevelObjectives(DURATION_BUCKETS)
                    .register(registry);
            inputTokens = tokens(registry, provider, event, responseModel, "input");
            outputTokens = tokens(registry, provider, event, responseModel, "output");
        }

        private static DistributionSummary tokens(MeterRegistry registry, String provider, CallEvent event,
                String responseModel, String type) {
            return DistributionSummary.builder("gen_ai.client.token.usage")
                    .description("Input and output tokens used (OpenTelemetry GenAI semantic conventions)")
                    .baseUnit("tokens")
                    .tag("gen_ai.operation.name", GenAiConventions.OPERATION_CHAT)
                    .tag("gen_ai.provider.name", provider)
                    .tag("gen_ai.request.model", event.model())
                    .tag("gen_ai.response.model", responseModel)
                    .tag("gen_ai.token.type", type)
                    .serviceLevelObjectives(TOKEN_BUCKETS)
                    .register(registry);
        }
    }

    /** The convention's explicit bucket boundaries for the operation duration. */
    private static final Duration[] DURATION_BUCKETS = durations(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28,
            2.56, 5.12, 10.24, 20.48, 40.96, 81.92);

    /** The convention's explicit bucket boundaries for token usage. */
    private static final double[] TOKEN_BUCKETS = {1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576,
        4194304, 16777216, 67108864};

    private static Duration[] durations(double... seconds) {
        Duration[] out = new Duration[seconds.length];
        for (int i = 0; i < seconds.length; i++) {
            out[i] = Duration.ofNanos(Math.round(seconds[i] * 1e9));
        }
        return out;
    }

    private static void countTokens(MeterRegistry registry, PresetMeters preset, CallEvent event) {
        LlmUsage u = event.usage();
        Long cached = u.cachedInputTokens();
        if (u.inputTokens() == 0 && u.outputTokens() == 0 && (cached == null || cached == 0)) {
            return;
        }
        Counter[] c = preset.tokenCounters;
        if (c == null) {
            // A racing first call registers the same counters twice: the registry returns the existing ones.
            c = new Counter[] {tokens(registry, event, "input"), tokens(registry, event, "output"),
                tokens(registry, event, "cached")};
            preset.tokenCounters = c;
        }
        c[0].increment(u.inputTokens());
        c[1].increment(u.outputTokens());
        if (cached != null) {
            c[2].increment(cached);
        }
    }

    private static Counter tokens(MeterRegistry registry, CallEvent event, String type) {
        return Counter.builder("llmix.tokens")
                .description("Tokens reported by providers for fresh LLMix calls")
                .baseUnit("tokens")
                .tag("provider", event.provider())
                .tag("model", event.model())
                .tag("type", type)
                .register(registry);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // MeterBinder

    @Override
    public void bindTo(MeterRegistry registry) {
        if (meters != null) {
            return;
        }
        meters = registry;
        if (observations == null && !direct) {
            ObservationRegistry own = ObservationRegistry.create();
            own.observationConfig().observationHandler(new DefaultMeterObservationHandler(registry));
            effectiveObservations = own;
        }
        CallPipeline p = pipeline.get();
        if (p == null) {
            return;
        }
        PipelineSnapshot s = p.snapshot();
        if (s.cache() != null) {
            bindCache(registry, p);
        }
        s.circuitBreakers().values().forEach(b -> track(registry, b.provider(), b.baseUrl()));
        s.semaphores().keySet().forEach(provider -> trackProvider(registry, p, provider));
        s.keyPools().keySet().forEach(provider -> trackProvider(registry, p, provider));
    }

    private void bindCache(MeterRegistry registry, CallPipeline p) {
        cacheRequests(registry, p, "l1", "hit", CacheStats::l1Hits);
        cacheRequests(registry, p, "l1", "miss", c -> c.l2Hits() + c.misses());
        cacheRequests(registry, p, "l2", "hit", CacheStats::l2Hits);
        cacheRequests(registry, p, "l2", "miss", c -> c.l2Enabled() ? c.misses() : 0);
        Gauge.builder("llmix.cache.l1.size", () -> cacheValue(p, CacheStats::l1Size))
                .description("Entries in the LLMix L1 response cache")
                .baseUnit("entries")
                .register(registry);
        Gauge.builder("llmix.cache.l2.healthy", () -> cacheValue(p, c -> !c.l2Enabled() || c.l2Healthy() ? 1 : 0))
                .description("1 while the LLMix L2 (Redis) response cache is usable (or not configured), else 0")
                .register(registry);
    }

    private static void cacheRequests(MeterRegistry registry, CallPipeline p, String tier, String result,
            ToDoubleFunction<CacheStats> f) {
        FunctionCounter.builder("llmix.cache.requests", p, pp -> cacheValue(pp, f))
                .description("LLMix response-cache lookups per tier and result")
                .tag("tier", tier)
                .tag("result", result)
                .register(registry);
    }

    private static double cacheValue(CallPipeline p, ToDoubleFunction<CacheStats> f) {
        CacheStats c = p.snapshot().cache();
        return c == null ? Double.NaN : f.applyAsDouble(c);
    }

    /**
     * Registers the gauges of a breaker (once it exists) and of its provider's limiter and key pool; true once the
     * breaker's gauges exist.
     */
    private boolean track(MeterRegistry registry, String provider, String baseUrl) {
        String key = provider + '\u0000' + baseUrl;
        if (trackedBreakers.containsKey(key)) {
            return true;
        }
        CallPipeline p = pipeline.get();
        if (p == null) {
            return false;
        }
        trackProvider(registry, p, provider);
        if (p.getCircuitBreakerState(provider, baseUrl) == null) {
            return false; // refused before the breaker existed; try again on a later call
        }
        if (trackedBreakers.putIfAbsent(key, Boolean.TRUE) != null) {
            return true;
        }
        String host = DisplayUrls.host(baseUrl);
        for (CircuitState state : CircuitState.values()) {
            Gauge.builder("llmix.breaker.state", () -> {
                String current = p.getCircuitBreakerState(provider, baseUrl);
                return current == null ? Double.NaN : current.equals(state.name()) ? 1 : 0;
            })
                    .description("1 when the LLMix circuit breaker is in this state, else 0")
                    .tag("provider", provider)
                    .tag("base_url", host)
                    .tag("state", state.name().toLowerCase(Locale.ROOT))
                    .register(registry);
        }
        return true;
    }

    /**
     * Registers the provider's key-pool gauge and limiter gauges, each family exactly once: the pool may exist long
     * before the limiter (created by the first attempt), and concurrent first calls race here.
     */
    private void trackProvider(MeterRegistry registry, CallPipeline p, String provider) {
        if (!trackedKeyPools.containsKey(provider) && p.getKeyPool(provider) != null
                && trackedKeyPools.putIfAbsent(provider, Boolean.TRUE) == null) {
            Gauge.builder("llmix.keys.alive", () -> {
                KeyPool current = p.getKeyPool(provider);
                return current == null ? Double.NaN : current.aliveCount();
            })
                    .description("API keys of the provider not marked dead")
                    .baseUnit("keys")
                    .tag("provider", provider)
                    .register(registry);
        }
        if (!trackedLimiters.containsKey(provider) && p.getSemaphoreWindow(provider) != null
                && trackedLimiters.putIfAbsent(provider, Boolean.TRUE) == null) {
            Gauge.builder("llmix.limiter.window", () -> limiterValue(p, provider, SemaphoreSnapshot::window))
                    .description("Current AIMD window (permits allowed in flight) of the provider")
                    .tag("provider", provider)
                    .register(registry);
            Gauge.builder("llmix.limiter.in_flight", () -> limiterValue(p, provider, SemaphoreSnapshot::inFlight))
                    .description("Limiter permits currently held for the provider")
                    .tag("provider", provider)
                    .register(registry);
        }
    }

    private static double limiterValue(CallPipeline p, String provider, ToDoubleFunction<SemaphoreSnapshot> f) {
        SemaphoreSnapshot s = p.snapshot().semaphores().get(provider);
        return s == null ? Double.NaN : f.applyAsDouble(s);
    }

    private PresetMeters preset(String provider, String model) {
        ConcurrentHashMap<String, PresetMeters> byModel = presets.get(provider);
        if (byModel == null) {
            byModel = presets.computeIfAbsent(provider, p -> new ConcurrentHashMap<>());
        }
        PresetMeters m = byModel.get(model);
        return m != null ? m : byModel.computeIfAbsent(model, k -> new PresetMeters(provider, k));
    }

    /**
     * The meters of one provider and model, registered on first use. Races on first use register the same meter twice,
     * which the registry resolves to one; the fields are volatile so that later calls read the resolved meters.
     */
    private static final class PresetMeters {
        final String provider;
        final String model;
        volatile @Nullable LongTaskTimer active;
        /** The {@code llmix.calls} timer of calls without an error, by outcome, cache tag and mode. */
        final AtomicReferenceArray<@Nullable Timer> timers =
                new AtomicReferenceArray<>(CallOutcome.values().length * (CacheHitTier.values().length + 2) * 2);
        volatile Counter @Nullable [] tokenCounters;
        volatile Counter @Nullable [] costCounters;
        /** Base URLs whose breaker gauges exist. */
        final Map<String, Boolean> trackedBaseUrls = new ConcurrentHashMap<>();

        PresetMeters(String provider, String model) {
            this.provider = provider;
            this.model = model;
        }

        /** {@code llmix.calls.active}, with the tags Micrometer's meter handler gives it for the observation. */
        LongTaskTimer active(MeterRegistry registry) {
            LongTaskTimer t = active;
            if (t == null) {
                t = LongTaskTimer.builder(DefaultLlmixCallObservationConvention.NAME + ".active")
                        .description("LLMix calls in progress")
                        .tags(tags(DefaultConventionHolder.INSTANCE.defaultLowCardinality(provider, model, null)))
                        .register(registry);
                active = t;
            }
            return t;
        }

        /**
         * {@code llmix.calls} with the observation's tags plus Micrometer's {@code error} tag (the failure's simple
         * class name, or {@code none}), as Micrometer's meter handler would record it.
         */
        Timer timer(MeterRegistry registry, CallEvent e) {
            Throwable error = e.error();
            if (error != null) {
                return register(registry, e, error.getClass().getSimpleName());
            }
            int tiers = CacheHitTier.values().length + 2;
            int tier = e.cacheHit() != null ? e.cacheHit().ordinal() : e.cacheLookedUp() ? tiers - 2 : tiers - 1;
            int i = (e.outcome().ordinal() * tiers + tier) * 2 + (e.streamed() ? 1 : 0);
            Timer t = timers.get(i);
            if (t == null) {
                t = register(registry, e, "none");
                timers.set(i, t); // a racing fill stores the same registered timer
            }
            return t;
        }

        private Timer register(MeterRegistry registry, CallEvent e, String error) {
            List<Tag> tags = tags(DefaultConventionHolder.INSTANCE.defaultLowCardinality(provider, model, e));
            tags.add(Tag.of("error", error));
            return Timer.builder(DefaultLlmixCallObservationConvention.NAME)
                    .description("LLMix calls (cache hits and refusals included)")
                    .tags(tags)
                    .register(registry);
        }

        private static List<Tag> tags(KeyValues keyValues) {
            List<Tag> tags = new ArrayList<>();
            for (KeyValue kv : keyValues) {
                tags.add(Tag.of(kv.getKey(), kv.getValue()));
            }
            return tags;
        }
    }

    /** Lazily created so that a custom convention never instantiates the default. */
    private static final class DefaultConventionHolder {
        static final DefaultLlmixCallObservationConvention INSTANCE = new DefaultLlmixCallObservationConvention();
    }
}
