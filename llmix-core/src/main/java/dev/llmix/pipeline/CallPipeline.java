package dev.llmix.pipeline;

import dev.llmix.spi.BreakerStateEvent;
import dev.llmix.spi.CallCost;
import dev.llmix.spi.CallListener;
import dev.llmix.spi.InvalidMessagesException;
import dev.llmix.providers.ProviderSpecs;
import dev.llmix.spi.CallInput;
import dev.llmix.spi.DispatchFunction;
import dev.llmix.spi.KillSwitchGate;
import dev.llmix.spi.LlmUsage;
import dev.llmix.spi.ProviderResult;
import dev.llmix.budget.BudgetCost;
import dev.llmix.budget.BudgetEnvironment;
import dev.llmix.budget.BudgetListener;
import dev.llmix.budget.RateBudgets;
import dev.llmix.internal.budget.LocalRateBudgetFactory;
import dev.llmix.cache.CacheKeyParams;
import dev.llmix.cache.CacheLookup;
import dev.llmix.cache.TwoTierCache;
import dev.llmix.config.CommonParams;
import dev.llmix.config.LlmConfig;
import dev.llmix.internal.DaemonThreads;
import dev.llmix.internal.JsNumbers;
import dev.llmix.keys.KeyPool;
import dev.llmix.keys.KeyPoolRegistry;
import dev.llmix.keys.KeyPools;
import dev.llmix.limiter.LimiterRegistry;
import dev.llmix.providers.ProviderSpec;
import dev.llmix.resilience.CircuitBreakerRegistry;
import java.util.function.Function;
import dev.llmix.limiter.AdaptiveSemaphore;
import dev.llmix.provider.ProviderKwargs;
import dev.llmix.internal.kwargs.ProviderKwargsTransforms;
import dev.llmix.spi.TransformKwargsCallback;
import dev.llmix.resilience.CircuitBreaker;
import dev.llmix.resilience.CircuitBreakerSnapshot;
import dev.llmix.resilience.CircuitState;
import dev.llmix.internal.resilience.GlobalConcurrencyLock;
import dev.llmix.resilience.KillSwitch;
import dev.llmix.resilience.Singleflight;
import dev.llmix.internal.resilience.StateDirs;
import dev.llmix.thinking.ThinkingResult;
import dev.llmix.thinking.ThinkingStripper;
import dev.llmix.tools.ToolCall;
import dev.llmix.tools.ToolSet;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.jspecify.annotations.Nullable;

/**
 * Runs LLM requests through the LLMix guards around a caller-supplied {@link DispatchFunction}: kill switch →
 * response cache → circuit breaker (per provider and effective base URL) → singleflight → retry loop [AIMD permit →
 * cross-process lock → key selection → kwargs → dispatch → limiter and key-pool feedback] → thinking strip → cache
 * write. Ordinary failures never throw: they come back as a {@link CallResponse} with {@code success = false}.
 *
 * <p>Thread-safe; meant to be shared (one per application). Back-off waits are scheduled, never slept on a pool
 * thread; {@link #call} blocks only its caller. {@link #close()} fails waiting and later calls clearly.
 */
public final class CallPipeline implements AutoCloseable {

    static final String CLOSED_MESSAGE = "AdaptiveSemaphore is closed";

    private final PipelineConfig config;
    private final KillSwitch killSwitch;
    private final Map<String, TransformKwargsCallback> transforms;
    private final @Nullable TwoTierCache cache;
    private final CircuitBreakerRegistry breakers;
    private final Singleflight<ProviderResult> singleflight = new Singleflight<>();
    private final @Nullable ScheduledExecutorService ownedScheduler;
    private final @Nullable ExecutorService ownedExecutor;
    private final PipelineRuntime rt;
    private final AtomicInteger streamsInFlight = new AtomicInteger();
    private final CostLedger ledger;

    /**
     * Builds a pipeline. Resolves the state directory, and reads and validates {@code LLM_GLOBAL_CONCURRENCY} now, so
     * a bad value fails at start-up.
     *
     * @throws IllegalArgumentException for an invalid {@code LLM_GLOBAL_CONCURRENCY}
     */
    public CallPipeline(PipelineConfig config, DispatchFunction dispatch) {
        this.config = Objects.requireNonNull(config, "config");
        Objects.requireNonNull(dispatch, "dispatch");
        Path stateDir = StateDirs.resolve(config.stateDir(), config.env());
        KillSwitch shared = config.killSwitch();
        this.killSwitch = shared != null ? shared : new KillSwitch(stateDir);
        GlobalConcurrencyLock fileLock = GlobalConcurrencyLock.fromEnvironment(config.env(), stateDir);
        this.transforms = ProviderSpecs.builtIn().transforms(config.env(), config.transformKwargsOverrides());
        this.breakers = new CircuitBreakerRegistry(config::breakerFor, config.nanoClock());
        this.ledger = new CostLedger(config.priceBook());
        CallListener listener = config.callListener();
        if (listener != null) {
            breakers.onStateTransition(e -> ListenerEvents.emit(listener, l -> l.breakerStateChanged(
                    new BreakerStateEvent(e.provider(), e.baseUrl(), e.from().name(), e.to().name(), e.at()))));
        }
        KeyPoolRegistry keyPools = new KeyPoolRegistry(provider -> keyPoolFromEnv(provider, config.env()));
        LimiterRegistry limiters = new LimiterRegistry(config::limiterFor);
        this.cache = config.responseCache();
        ScheduledExecutorService scheduler = config.scheduler();
        if (scheduler == null) {
            ScheduledThreadPoolExecutor owned = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("llmix-scheduler"));
            owned.setRemoveOnCancelPolicy(true);
            scheduler = owned;
            this.ownedScheduler = owned;
        } else {
            this.ownedScheduler = null;
        }
        Executor executor = config.executor();
        if (executor == null) {
            // A fixed pool: attempts only run their non-blocking steps here and waits are scheduled, so thousands of
            // calls in flight share these few threads (docs/performance.md, "Calls in flight on one machine"). A
            // blocking DispatchFunction must bring its own executor.
            ExecutorService owned = Executors.newFixedThreadPool(config.executorThreads(),
                    DaemonThreads.named("llmix-call"));
            executor = owned;
            this.ownedExecutor = owned;
        } else {
            this.ownedExecutor = null;
        }
        this.rt = new PipelineRuntime(config, dispatch, fileLock, transforms, keyPools, limiters, scheduler, executor,
                this::checkKillSwitch);
        // Budgets wait on this pipeline's scheduler and clock and complete on its executor (docs/rate-limits.md).
        config.rateBudgets().start(new BudgetEnvironment(scheduler, executor, config.nanoClock(),
                BudgetListener.NOOP, LocalRateBudgetFactory.INSTANCE));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Calls

    /**
     * Runs one request and waits for its response. A cache hit is answered on the calling thread without any
     * asynchronous machinery, and so is the first attempt's HTTP exchange when the built-in adapters send it and a
     * permit is free (docs/performance.md, "Spring AI bridge"). Never throws for call failures; an interrupt while
     * waiting ends the wait with a failed response (the interrupt flag is kept) while the shared execution continues
     * for other callers, except that an exchange running on the interrupted thread is aborted.
     */
    public CallResponse call(CallInput input) {
        Objects.requireNonNull(input, "input");
        CallProbe probe = CallProbe.start(config.callListener(), input, config.nanoClock());
        Object prepared;
        try {
            prepared = prepare(input, probe);
        } catch (Throwable t) {
            return failure(input.config(), t, probe);
        }
        if (prepared instanceof CallResponse immediate) {
            return finished(immediate, probe);
        }
        PreparedCall c = (PreparedCall) prepared;
        c.waitingCaller = Thread.currentThread();
        CompletableFuture<CallResponse> pending;
        try {
            pending = execute(c);
        } finally {
            c.waitingCaller = null;
        }
        try {
            return pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return finished(CallResponse.failure(input.config(),
                    "Interrupted while waiting for the LLM call to complete",
                    CallFailures.shutDown(input.config().provider())), probe);
        } catch (ExecutionException e) {
            return failure(input.config(), e.getCause() != null ? e.getCause() : e, probe);
        }
    }

    /**
     * Runs one request asynchronously. The returned future always completes normally with a response (failed
     * responses included). Cancelling it only abandons this caller's wait; a shared execution keeps running.
     */
    public CompletableFuture<CallResponse> callAsync(CallInput input) {
        Objects.requireNonNull(input, "input");
        CallProbe probe = CallProbe.start(config.callListener(), input, config.nanoClock());
        Object prepared;
        try {
            prepared = prepare(input, probe);
        } catch (Throwable t) {
            return CompletableFuture.completedFuture(failure(input.config(), t, probe));
        }
        if (prepared instanceof CallResponse immediate) {
            return CompletableFuture.completedFuture(finished(immediate, probe));
        }
        return execute((PreparedCall) prepared);
    }

    /**
     * Streams one request: a cold publisher whose every subscription runs the pipeline from its first
     * {@code request(n > 0)}, delivers text, thinking and tool-call deltas as they arrive, and ends with one
     * {@code done} chunk carrying the assembled (or failed) {@link CallResponse}. Streams skip singleflight, retry
     * only before their first chunk, and write the cache entry a {@link #call} would. See {@code docs/streaming.md}.
     *
     * @throws NullPointerException for a null input (nothing else throws)
     */
    public Flow.Publisher<CallChunk> stream(CallInput input) {
        Objects.requireNonNull(input, "input");
        return subscriber -> {
            Objects.requireNonNull(subscriber, "subscriber");
            subscriber.onSubscribe(new StreamCall(this, rt, input, subscriber));
        };
    }

    /** Number of streams started and not yet ended ({@code done} created or cancelled). */
    public int streamsInFlight() {
        return streamsInFlight.get();
    }

    void streamStarted() {
        streamsInFlight.incrementAndGet();
    }

    void streamEnded() {
        streamsInFlight.decrementAndGet();
    }

    @Nullable TwoTierCache cache() {
        return cache;
    }

    CircuitBreaker breakerFor(String provider, String baseUrl) {
        return breakers.breaker(provider, baseUrl);
    }

    /** Step 1: the kill switch file, then the optional extra gate (e.g. the fleet-wide switch). */
    void checkKillSwitch() {
        killSwitch.check();
        KillSwitchGate gate = config.killSwitchGate();
        if (gate != null) {
            gate.check();
        }
    }

    /**
     * Steps 0–4: effective base URL, kill switch, cache lookup; then the deduplication key and the deadline. Returns
     * either the immediate {@link CallResponse} (closed pipeline, cache hit) or the {@link PreparedCall} to execute:
     * a cache hit allocates no call holder.
     */
    private Object prepare(CallInput input, @Nullable CallProbe probe) {
        LlmConfig cfg = input.config();
        if (rt.closed.get()) {
            return CallResponse.failure(cfg, CLOSED_MESSAGE, CallFailures.shutDown(cfg.provider()));
        }
        List<?> messages = input.messages();
        // Before anything walks them (kwargs, cache key) and whether or not a singleflight key skips the cache key.
        InvalidMessagesException.checkDepth(messages);
        ToolSet tools = input.tools();
        Map<String, @Nullable Object> kwargs = null;
        String baseUrl;
        if (transforms.get(cfg.provider()) == null) {
            // Without a transform nothing can set kwargs.baseUrl; skip building kwargs on the hot path.
            String base = cfg.baseUrl();
            baseUrl = base == null ? "" : base;
        } else {
            kwargs = ProviderKwargs.build(cfg, messages, tools, transforms);
            baseUrl = ProviderKwargs.effectiveBaseUrl(kwargs, cfg);
        }
        if (probe != null) {
            probe.baseUrl = baseUrl;
        }
        checkKillSwitch();
        String cacheKey = null;
        // With rate budgets the key rendering also measures the payload the estimate prices (docs/rate-limits.md).
        long[] priced = config.rateBudgets().covers(cfg.provider()) ? new long[1] : null;
        TwoTierCache c = cache;
        // Calls with tools neither read nor write the response cache: tools are not a cache-key field (docs/tools.md).
        if (c != null && tools == null && !cfg.cachingStrategy().skipsCache()) {
            cacheKey = cacheKey(cfg, messages, baseUrl, priced);
            if (probe != null) {
                probe.cacheLookedUp = true;
            }
            CacheLookup hit = c.get(cacheKey);
            if (hit != null) {
                double saved = ledger.hit(cfg);
                if (probe != null) {
                    probe.savedUsd = saved;
                }
                return hitResponse(cfg, hit);
            }
        }
        String explicitKey = input.singleflightKey();
        String flightKey;
        boolean explicit = explicitKey != null && !explicitKey.isBlank();
        String toolText = tools != null && (!explicit || priced != null) ? ToolDigest.canonical(tools) : null;
        if (explicit) {
            flightKey = explicitKey;
            if (priced != null && cacheKey == null) {
                cacheKey(cfg, messages, baseUrl, priced);
            }
        } else {
            flightKey = cacheKey != null ? cacheKey : cacheKey(cfg, messages, baseUrl, priced);
            if (toolText != null) {
                flightKey = flightKey + "|t:" + ToolDigest.ofCanonical(toolText);
            }
        }
        // The whole call (all attempts and back-offs) must finish within the deadline (docs/pipeline.md, "Timeouts").
        CallTimeouts.Budget budget = CallTimeouts.budget(cfg.timeout(), config);
        String timeoutText = budget.seconds();
        long deadline = config.nanoClock().getAsLong() + budget.nanos();
        PreparedCall prepared = new PreparedCall(cfg, messages, baseUrl, cacheKey, flightKey, deadline, timeoutText,
                probe, tools, input.cacheable());
        prepared.kwargs = kwargs;
        if (priced != null) {
            prepared.budgetCost = estimate(cfg, priced[0] + (toolText == null ? 0 : toolText.length()));
        }
        return prepared;
    }

    /** Steps 5–19: breaker, singleflight around the leader's retry loop, then strip, cache write and response. */
    private CompletableFuture<CallResponse> execute(PreparedCall c) {
        String provider = c.config.provider();
        CircuitBreaker breaker = breakers.breaker(provider, c.baseUrl);
        CompletableFuture<ProviderResult> shared;
        try {
            shared = singleflight.execute(c.flightKey, () -> lead(c, breaker));
        } catch (Throwable t) {
            shared = CompletableFuture.failedFuture(t);
        }
        return shared.handle((result, error) -> respond(c, result, error));
    }

    /** The shared block: admission, the retry loop, and exactly one breaker outcome for the whole sequence. */
    private CompletableFuture<ProviderResult> lead(PreparedCall c, CircuitBreaker breaker) {
        boolean probe = breaker.state() == CircuitState.HALF_OPEN;
        breaker.check();
        return RetryLoop.start(rt, c).whenComplete((result, error) -> recordOutcome(breaker, probe, error));
    }

    private static void recordOutcome(CircuitBreaker breaker, boolean probe, @Nullable Throwable error) {
        if (error == null) {
            breaker.onSuccess();
            return;
        }
        switch (ErrorClassifier.classify(error)) {
            case LOCAL:
            case CANCELLED:
                if (probe) {
                    breaker.cancelProbe();
                }
                break;
            case CIRCUIT_OPEN:
                break;
            default:
                Integer status = ErrorClassifier.statusOf(error);
                breaker.onFailure(status, status == null);
        }
    }

    /** Steps 17–19 for one caller (leader or follower). */
    private CallResponse respond(PreparedCall c, @Nullable ProviderResult result, @Nullable Throwable error) {
        LlmConfig cfg = c.config;
        if (error != null || result == null) {
            return failure(cfg, error != null ? error : new NullPointerException("no provider result"), c.probe);
        }
        try {
            String raw = result.content();
            String content = raw;
            String thinking = null;
            if (!cfg.commonOrEmpty().keepsThinkingOutput()) {
                ThinkingResult stripped = ThinkingStripper.strip(raw);
                content = stripped.content();
                thinking = stripped.thinkingContent();
            }
            TwoTierCache c2 = cache;
            List<ToolCall> calls = ToolCall.fromResult(result.toolCalls());
            if (c.cacheKey != null && c2 != null && calls.isEmpty() && result.refusal() == null
                    && (c.cacheable == null || c.cacheable.test(raw))) {
                // The raw text is cached so that a later hit can honour a different keepThinkingOutput.
                c2.set(c.cacheKey, raw);
            }
            return finished(new CallResponse(content, result.model(), cfg.provider(), result.usage(), true, null,
                    thinking, null, calls, result.finishReason(), result.refusal(), null,
                    ledger.fresh(cfg, result.usage())), c.probe);
        } catch (Throwable t) {
            return failure(cfg, t, c.probe);
        }
    }

    static CallResponse hitResponse(LlmConfig cfg, CacheLookup hit) {
        String content = hit.value();
        String thinking = null;
        if (!cfg.commonOrEmpty().keepsThinkingOutput()) {
            ThinkingResult stripped = ThinkingStripper.strip(content);
            content = stripped.content();
            thinking = stripped.thinkingContent();
        }
        return new CallResponse(content, cfg.model(), cfg.provider(), LlmUsage.ZERO, true, null, thinking, hit.tier(),
                List.of(), null, null);
    }

    private static CallResponse failure(LlmConfig cfg, Throwable error, @Nullable CallProbe probe) {
        CallResponse response = CallResponse.failure(cfg, ErrorClassifier.messageOf(error),
                CallFailures.of(error, cfg.provider()));
        if (probe != null) {
            probe.finish(response, error);
        }
        return response;
    }

    /** Hands a successful (or error-less failed) response to the listener, if any, and returns it. */
    private static CallResponse finished(CallResponse response, @Nullable CallProbe probe) {
        if (probe != null) {
            probe.finish(response, null);
        }
        return response;
    }

    /**
     * A missing pool is loaded from the provider descriptor's environment variables ({@code <P>_KEYS},
     * {@code <P>_API_KEY}, then its fallbacks such as {@code GEMINI_API_KEY}), so every documented variable works
     * through the pipeline, not only inside the adapter (docs/providers.md).
     */
    private static @Nullable KeyPool keyPoolFromEnv(String provider, Function<String, @Nullable String> env) {
        ProviderSpec spec = ProviderSpecs.builtIn().find(provider);
        if (spec != null) {
            return spec.keyPoolFromEnv(provider, env);
        }
        String prefix = KeyPools.envPrefix(provider);
        String list = env.apply(prefix + "_KEYS");
        String single = env.apply(prefix + "_API_KEY");
        boolean set = (list != null && !list.isBlank()) || (single != null && !single.isBlank());
        return set ? KeyPools.fromEnv(provider, env) : null;
    }

    /** The effective base URL of a streamed call (no tools: streams build their kwargs per attempt). */
    String effectiveBaseUrl(LlmConfig cfg, List<?> messages) {
        if (transforms.get(cfg.provider()) == null) {
            // Without a transform nothing can set kwargs.baseUrl; skip building kwargs on the hot path.
            String base = cfg.baseUrl();
            return base == null ? "" : base;
        }
        return ProviderKwargs.effectiveBaseUrl(ProviderKwargs.build(cfg, messages, transforms), cfg);
    }

    /** The cost of one attempt of {@code cfg} whose priced payload is {@code chars} UTF-16 units long. */
    BudgetCost estimate(LlmConfig cfg, long chars) {
        Number max = cfg.commonOrEmpty().maxOutputTokens();
        double m = max == null ? 0 : max.doubleValue();
        int maxOut = m >= 1 && m <= Integer.MAX_VALUE ? (int) m : 0;
        return config.rateBudgets().estimator().estimate(chars, maxOut);
    }

    String cacheKey(LlmConfig cfg, List<?> messages, String baseUrl) {
        return cacheKey(cfg, messages, baseUrl, null);
    }

    /** The cache key; with {@code priced}, also the payload size a rate budget prices into {@code priced[0]}. */
    String cacheKey(LlmConfig cfg, List<?> messages, String baseUrl, long @Nullable [] priced) {
        CommonParams p = cfg.commonOrEmpty();
        CacheKeyParams.Builder b = CacheKeyParams.builder()
                .provider(cfg.provider())
                .model(cfg.model())
                .messages(messages)
                .baseUrl(baseUrl.isEmpty() ? null : baseUrl)
                .enableThinking(p.enableThinking())
                .frequencyPenalty(p.frequencyPenalty())
                .maxOutputTokens(p.maxOutputTokens())
                .presencePenalty(p.presencePenalty())
                .providerOptions(cfg.providerOptions())
                .responseFormat(cfg.responseFormat())
                .seed(p.seed())
                .stopSequences(p.stopSequences())
                .temperature(p.temperature())
                .topK(p.topK())
                .topP(p.topP());
        return priced == null ? b.key(config.cacheKeyPrefix()) : b.key(config.cacheKeyPrefix(), priced);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Key pools, introspection and operator actions

    /** Registers (or replaces) the key pool used for {@code provider}. */
    public void setKeyPool(String provider, KeyPool pool) {
        rt.keyPools.put(provider, pool);
    }

    /** The key pool registered for {@code provider}, or {@code null}. */
    public @Nullable KeyPool getKeyPool(String provider) {
        return rt.keyPools.find(provider);
    }

    /**
     * The state name ({@code CLOSED}, {@code OPEN}, {@code HALF_OPEN}) of the breaker for exactly this provider and
     * effective base URL, or {@code null} if no call created it. Reading may move OPEN to HALF_OPEN.
     */
    public @Nullable String getCircuitBreakerState(String provider, String baseUrl) {
        CircuitBreaker b = breakers.find(provider, baseUrl);
        return b == null ? null : b.state().name();
    }

    /** The current AIMD window of {@code provider}, or {@code null} before its first attempt. */
    public @Nullable Integer getSemaphoreWindow(String provider) {
        AdaptiveSemaphore s = rt.limiters.find(provider);
        return s == null ? null : s.window();
    }

    /** Number of deduplicated executions currently in flight. */
    public int singleflightCount() {
        return singleflight.inFlightCount();
    }

    /** A read-only view of breakers, limiters, key pools, singleflight and cache, for health and metrics. */
    public PipelineSnapshot snapshot() {
        Map<String, CircuitBreakerSnapshot> b = breakers.snapshot();
        Map<String, SemaphoreSnapshot> s = new TreeMap<>();
        rt.limiters.all().forEach((k, v) -> s.put(k, new SemaphoreSnapshot(k, v.window(), v.maxConcurrency(),
                v.minConcurrency(), v.inFlight(), v.waiters(), v.isClosed())));
        Map<String, KeyPoolStatus> p = new TreeMap<>();
        rt.keyPools.all().forEach((k, v) -> p.put(k, new KeyPoolStatus(k, v.aliveCount(), v.totalCount())));
        TwoTierCache c = cache;
        return new PipelineSnapshot(b, Collections.unmodifiableMap(s),
                Collections.unmodifiableMap(p), singleflight.inFlightCount(), c == null ? null : c.stats(),
                rt.closed.get(), streamsInFlight.get());
    }

    /** Resets the breaker for this provider and effective base URL to CLOSED; false if it does not exist. */
    public boolean resetCircuitBreaker(String provider, String baseUrl) {
        return breakers.reset(provider, baseUrl);
    }

    /** Resets every breaker to CLOSED and returns how many there were. */
    public int resetAllCircuitBreakers() {
        return breakers.resetAll();
    }

    /** The breakers of this pipeline, one per provider and effective base URL (look-up, reset, transition events). */
    public CircuitBreakerRegistry circuitBreakers() {
        return breakers;
    }

    /** The AIMD limiters of this pipeline, one per provider. */
    public LimiterRegistry limiters() {
        return rt.limiters;
    }

    /** The key pools of this pipeline, one per provider. */
    public KeyPoolRegistry keyPools() {
        return rt.keyPools;
    }

    /** The rate budgets of this pipeline (docs/rate-limits.md); started on the pipeline's threads and clock. */
    public RateBudgets rateBudgets() {
        return config.rateBudgets();
    }

    /** The kill switch this pipeline checks on every call (engage/release it to stop/resume all calls). */
    public KillSwitch killSwitch() {
        return killSwitch;
    }

    /** What this pipeline's calls cost and its cache saved since it started (docs/cost.md). */
    public CostTotals costs() {
        return ledger.totals();
    }

    /** Bills a fresh streamed success (see {@link #costs()}). */
    @Nullable CallCost billFresh(LlmConfig cfg, LlmUsage usage) {
        return ledger.fresh(cfg, usage);
    }

    /** Credits a streamed cache hit; returns the USD saved. */
    double creditHit(LlmConfig cfg) {
        return ledger.hit(cfg);
    }

    /** Empties the response cache's L1; false when the pipeline has no cache. */
    public boolean clearCache() {
        TwoTierCache c = cache;
        if (c == null) {
            return false;
        }
        c.clear();
        return true;
    }

    /** The options this pipeline was built with. */
    public PipelineConfig config() {
        return config;
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return rt.closed.get();
    }

    /**
     * Closes every limiter (queued attempts fail with {@code AdaptiveSemaphore is closed}), makes every later call
     * fail with that message, closes the response cache when {@code closeResponseCache} is set, and stops owned
     * threads once pending back-offs and timeouts have run. In-flight dispatches are not interrupted. Idempotent.
     */
    @Override
    public void close() {
        if (!rt.closed.compareAndSet(false, true)) {
            return;
        }
        rt.limiters.close();
        config.rateBudgets().close();
        TwoTierCache c = cache;
        if (c != null && config.closeResponseCache()) {
            c.close();
        }
        // The file lock is not closed: an attempt racing close() may still pass through its short key section.
        if (ownedScheduler != null) {
            // Already scheduled back-offs and timeouts still run, so no call is left hanging.
            ownedScheduler.shutdown();
        }
        if (ownedExecutor != null) {
            ownedExecutor.shutdown();
        }
    }
}
