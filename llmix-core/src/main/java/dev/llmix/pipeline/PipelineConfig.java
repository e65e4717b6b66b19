package dev.llmix.pipeline;

import dev.llmix.spi.StreamingDispatchFunction;
import dev.llmix.spi.CallListener;
import dev.llmix.provider.PriceBook;
import dev.llmix.spi.KillSwitchGate;
import dev.llmix.cache.CacheKeys;
import dev.llmix.cache.TwoTierCache;
import dev.llmix.spi.TransformKwargsCallback;
import dev.llmix.limiter.LimiterConfig;
import dev.llmix.resilience.CircuitBreakerConfig;
import dev.llmix.resilience.KillSwitch;
import dev.llmix.resilience.RetryPolicy;
import dev.llmix.resilience.Sleeper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;
import dev.llmix.budget.RateBudgets;
import org.jspecify.annotations.Nullable;

/**
 * The immutable options of a {@link CallPipeline}: retry, circuit-breaker and AIMD limiter settings, the state
 * directory (kill switch and cross-process lock), kwargs transform overrides, the optional response cache, and the
 * test seams (clocks, jitter randomness, back-off scheduling, environment lookup). Defaults are those of the other
 * LLMix bindings; {@link Builder#build()} validates everything that can be validated without I/O.
 */
public final class PipelineConfig {

    /**
     * Default whole-call budget when a preset has no {@code timeout.totalTime} and {@value #CALL_TIMEOUT_ENV} is not
     * set.
     */
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(120);

    /** Environment variable (milliseconds) that replaces {@link #DEFAULT_CALL_TIMEOUT} when no default is given. */
    public static final String CALL_TIMEOUT_ENV = "LLMIX_CALL_TIMEOUT_MS";

    private final int maxRetries;
    private final double retryBaseMs;
    private final double retryMaxDelayMs;
    private final double retryJitterMs;
    private final double retryMaxRetryAfterMs;
    private final int circuitBreakerThreshold;
    private final Duration circuitBreakerCooldown;
    private final int permittedHalfOpenCalls;
    private final int semaphoreInitial;
    private final int semaphoreMin;
    private final @Nullable Path stateDir;
    private final Map<String, TransformKwargsCallback> transformKwargsOverrides;
    private final @Nullable TwoTierCache responseCache;
    private final boolean closeResponseCache;
    private final String cacheKeyPrefix;
    private final Duration defaultCallTimeout;
    private final @Nullable Duration attemptTimeout;
    private final Function<String, @Nullable String> env;
    private final LongSupplier nanoClock;
    private final LongSupplier wallClock;
    private final DoubleSupplier jitterRandom;
    private final @Nullable ScheduledExecutorService scheduler;
    private final @Nullable Executor executor;
    private final int executorThreads;
    private final @Nullable Sleeper sleeper;
    private final @Nullable CallListener callListener;
    private final PriceBook priceBook;
    private final @Nullable KillSwitchGate killSwitchGate;
    private final RateBudgets rateBudgets;
    private final RetryPolicy retryPolicy;
    private final CircuitBreakerConfig circuitBreakerConfig;
    private final LimiterConfig limiterConfig;
    private final Map<String, ProviderPolicy> providerPolicies;
    private final Map<String, RetryPolicy> providerRetryPolicies;
    private final @Nullable KillSwitch killSwitch;
    private final @Nullable StreamingDispatchFunction streamingDispatch;
    private final int streamBufferChunks;

    private PipelineConfig(Builder b) {
        this.maxRetries = b.maxRetries;
        this.retryBaseMs = b.retryBaseMs;
        this.retryMaxDelayMs = b.retryMaxDelayMs;
        this.retryJitterMs = b.retryJitterMs;
        this.retryMaxRetryAfterMs = b.retryMaxRetryAfterMs;
        this.circuitBreakerThreshold = b.circuitBreakerThreshold;
        this.circuitBreakerCooldown = b.circuitBreakerCooldown;
        this.permittedHalfOpenCalls = b.permittedHalfOpenCalls;
        this.semaphoreInitial = b.semaphoreInitial;
        this.semaphoreMin = b.semaphoreMin;
        this.stateDir = b.stateDir;
        this.transformKwargsOverrides = Collections.unmodifiableMap(new LinkedHashMap<>(b.transformKwargsOverrides));
        this.responseCache = b.responseCache;
        this.closeResponseCache = b.closeResponseCache;
        this.cacheKeyPrefix = b.cacheKeyPrefix;
        this.env = b.env;
        this.defaultCallTimeout = b.defaultCallTimeout != null ? b.defaultCallTimeout
                : CallTimeouts.defaultFromEnv(b.env, DEFAULT_CALL_TIMEOUT);
        this.attemptTimeout = b.attemptTimeout;
        this.nanoClock = b.nanoClock;
        this.wallClock = b.wallClock;
        this.jitterRandom = b.jitterRandom;
        this.scheduler = b.scheduler;
        this.executor = b.executor;
        this.executorThreads = b.executorThreads;
        this.sleeper = b.sleeper;
        this.callListener = b.callListener;
        this.priceBook = b.priceBook;
        this.killSwitchGate = b.killSwitchGate;
        this.rateBudgets = b.rateBudgets;
        this.streamingDispatch = b.streamingDispatch;
        this.streamBufferChunks = b.streamBufferChunks;
        if (streamBufferChunks < 1) {
            throw new IllegalArgumentException("streamBufferChunks must be >= 1, got " + streamBufferChunks);
        }
        // RetryPolicy owns the option checks and their exact messages (docs/pipeline.md).
        this.retryPolicy = RetryPolicy.builder()
                .maxRetries(maxRetries)
                .baseMs(retryBaseMs)
                .maxDelayMs(retryMaxDelayMs)
                .jitterMs(retryJitterMs)
                .maxRetryAfterMs(retryMaxRetryAfterMs)
                .random(jitterRandom)
                .clock(wallClock)
                .build();
        // Checked here rather than when the first semaphore is created, so a bad value fails at start-up.
        if (semaphoreInitial < 1) {
            throw new IllegalArgumentException("initial must be >= 1");
        }
        if (semaphoreMin < 1) {
            throw new IllegalArgumentException("minConcurrency must be >= 1");
        }
        if (semaphoreMin > semaphoreInitial) {
            throw new IllegalArgumentException("minConcurrency must be <= initial");
        }
        if (semaphoreInitial > dev.llmix.limiter.AdaptiveSemaphore.MAX_INITIAL) {
            throw new IllegalArgumentException("initial must be <= " + dev.llmix.limiter.AdaptiveSemaphore.MAX_INITIAL);
        }
        if (circuitBreakerCooldown.isNegative()) {
            throw new IllegalArgumentException(
                    "circuitBreakerCooldown must be >= 0, got " + circuitBreakerCooldown);
        }
        if (defaultCallTimeout.isNegative() || defaultCallTimeout.isZero()) {
            throw new IllegalArgumentException("defaultCallTimeout must be positive, got " + defaultCallTimeout);
        }
        if (attemptTimeout != null && (attemptTimeout.isNegative() || attemptTimeout.isZero())) {
            throw new IllegalArgumentException("attemptTimeout must be positive, got " + attemptTimeout);
        }
        this.circuitBreakerConfig = new CircuitBreakerConfig(circuitBreakerThreshold, circuitBreakerCooldown,
                permittedHalfOpenCalls);
        this.limiterConfig = new LimiterConfig(semaphoreInitial, semaphoreMin);
        this.providerPolicies = Map.copyOf(b.providerPolicies);
        Map<String, RetryPolicy> retries = new java.util.HashMap<>();
        providerPolicies.forEach((provider, policy) -> {
            if (policy.maxRetries() != null) {
                retries.put(provider, RetryPolicy.builder()
                        .maxRetries(policy.maxRetries())
                        .baseMs(retryBaseMs)
                        .maxDelayMs(retryMaxDelayMs)
                        .jitterMs(retryJitterMs)
                        .maxRetryAfterMs(retryMaxRetryAfterMs)
                        .random(jitterRandom)
                        .clock(wallClock)
                        .build());
            }
        });
        this.providerRetryPolicies = Map.copyOf(retries);
        this.killSwitch = b.killSwitch;
    }

    /** A builder with every default listed in docs/pipeline.md. */
    public static Builder builder() {
        return new Builder();
    }

    /** The defaults, unchanged. */
    public static PipelineConfig defaults() {
        return builder().build();
    }

    /** A builder pre-filled with these options. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Retries after the first attempt (default 3, so at most 4 attempts). */
    public int maxRetries() {
        return maxRetries;
    }

    /** Exponential back-off base in milliseconds (default 1000). */
    public double retryBaseMs() {
        return retryBaseMs;
    }

    /** Back-off cap in milliseconds, applied before jitter (default 30 000). */
    public double retryMaxDelayMs() {
        return retryMaxDelayMs;
    }

    /** Maximum jitter added to every back-off, in milliseconds (default 1000). */
    public double retryJitterMs() {
        return retryJitterMs;
    }

    /** Cap on a {@code Retry-After} delay in milliseconds (default 60 000). */
    public double retryMaxRetryAfterMs() {
        return retryMaxRetryAfterMs;
    }

    /** Consecutive failed calls that open a breaker (default 3). */
    public int circuitBreakerThreshold() {
        return circuitBreakerThreshold;
    }

    /** Time a breaker stays OPEN before admitting probes (default 30 s; doubles on each re-open up to 300 s). */
    public Duration circuitBreakerCooldown() {
        return circuitBreakerCooldown;
    }

    /** Probes admitted per HALF_OPEN episode, and outcomes needed for a decision (default 10). */
    public int permittedHalfOpenCalls() {
        return permittedHalfOpenCalls;
    }

    /** Initial (and maximum) AIMD window per provider (default 32). */
    public int semaphoreInitial() {
        return semaphoreInitial;
    }

    /** AIMD window floor (default 4). */
    public int semaphoreMin() {
        return semaphoreMin;
    }

    /**
     * The explicit state directory holding the kill switch file ({@code killswitch}, the spec's
     * {@code killSwitchStateDir}) and the cross-process lock, or {@code null} to resolve it from
     * {@code LLMIX_STATE_DIR} / {@code XDG_STATE_HOME} / the home directory.
     */
    public @Nullable Path stateDir() {
        return stateDir;
    }

    /** Kwargs transforms replacing the built-in transform of the same provider name. */
    public Map<String, TransformKwargsCallback> transformKwargsOverrides() {
        return transformKwargsOverrides;
    }

    /** The injected response cache, or {@code null} for none. */
    public @Nullable TwoTierCache responseCache() {
        return responseCache;
    }

    /** Whether {@link CallPipeline#close()} also closes the response cache (default true). */
    public boolean closeResponseCache() {
        return closeResponseCache;
    }

    /** Prefix of response-cache keys (default {@code llmix:resp:}; Rust crate 2.0.7: {@code llmix:resp:v2:}). */
    public String cacheKeyPrefix() {
        return cacheKeyPrefix;
    }

    /**
     * Whole-call budget for presets without {@code timeout.totalTime}: the builder's value, else
     * {@value #CALL_TIMEOUT_ENV} from {@link #env()}, else 120 s.
     */
    public Duration defaultCallTimeout() {
        return defaultCallTimeout;
    }

    /**
     * Longest time one attempt may run before it is abandoned as a retryable timeout, or null (the default) when an
     * attempt may use whatever is left of the call's deadline.
     */
    public @Nullable Duration attemptTimeout() {
        return attemptTimeout;
    }

    /** Environment lookup ({@code LLM_GLOBAL_CONCURRENCY}, state-dir variables, {@code GPU_BASE_URL}). */
    public Function<String, @Nullable String> env() {
        return env;
    }

    /** Monotonic nanosecond clock (breakers, call deadlines). */
    public LongSupplier nanoClock() {
        return nanoClock;
    }

    /** Wall clock in epoch milliseconds ({@code Retry-After} dates). */
    public LongSupplier wallClock() {
        return wallClock;
    }

    /** Source of the uniform [0, 1) value used for back-off jitter. */
    public DoubleSupplier jitterRandom() {
        return jitterRandom;
    }

    /** Scheduler for back-off delays and call timeouts, or {@code null} for an owned daemon scheduler. */
    public @Nullable ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /**
     * Executor that resumes attempts after a back-off or after waiting for a limiter permit, or {@code null} for an
     * owned pool of daemon threads.
     */
    public @Nullable Executor executor() {
        return executor;
    }

    /**
     * Size of the owned executor's fixed pool (used when {@link #executor()} is null): the configured value, or
     * {@code max(4, 2 × available processors)} when unset (0). Calls never get a thread each (docs/performance.md).
     */
    public int executorThreads() {
        return executorThreads > 0 ? executorThreads : defaultExecutorThreads();
    }

    /** {@code max(4, 2 × available processors)}: the owned executor's size when none is configured. */
    public static int defaultExecutorThreads() {
        return Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    }

    /**
     * A blocking sleeper used for back-off instead of the scheduler (a test seam; it blocks the thread that observed
     * the failure), or {@code null}.
     */
    public @Nullable Sleeper sleeper() {
        return sleeper;
    }

    /** The listener told about every call's start and end (metrics, tracing), or {@code null} for none. */
    public @Nullable CallListener callListener() {
        return callListener;
    }

    /** The prices calls are billed with ({@link PriceBook#builtIn()} unless set; docs/cost.md). */
    public PriceBook priceBook() {
        return priceBook;
    }

    /** An extra kill switch checked on every call after the kill switch file, or {@code null} for none. */
    public @Nullable KillSwitchGate killSwitchGate() {
        return killSwitchGate;
    }

    /**
     * The proactive rate budgets calls consume from before dispatch (docs/rate-limits.md); {@link RateBudgets#none()}
     * (the default) prices nothing.
     */
    public RateBudgets rateBudgets() {
        return rateBudgets;
    }

    /** The retry policy built from these options. */
    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /** The dispatch used for streams, or {@code null} to use the pipeline's dispatch (see the builder). */
    public @Nullable StreamingDispatchFunction streamingDispatch() {
        return streamingDispatch;
    }

    /** Chunks a stream buffers ahead of its subscriber's demand before it stops reading the provider (default 256). */
    public int streamBufferChunks() {
        return streamBufferChunks;
    }

    /** The circuit-breaker options built from these options. */
    public CircuitBreakerConfig circuitBreakerConfig() {
        return circuitBreakerConfig;
    }

    /** The retry settings (Spring: {@code llmix.pipeline.max-retries}, {@code retry-*}). */
    public RetryPolicy retry() {
        return retryPolicy;
    }

    /** The breaker settings (Spring: {@code llmix.pipeline.breaker.*}). */
    public CircuitBreakerConfig breaker() {
        return circuitBreakerConfig;
    }

    /** The AIMD window bounds (Spring: {@code llmix.pipeline.limiter.*}). */
    public LimiterConfig limiter() {
        return limiterConfig;
    }

    /** Per-provider overrides by provider name. */
    public Map<String, ProviderPolicy> providerPolicies() {
        return providerPolicies;
    }

    /** The provider's breaker settings: its override, else {@link #breaker()}. */
    public CircuitBreakerConfig breakerFor(String provider) {
        ProviderPolicy p = providerPolicies.get(provider);
        return p == null || p.breaker() == null ? circuitBreakerConfig : p.breaker();
    }

    /** The provider's window bounds: its override, else {@link #limiter()}. */
    public LimiterConfig limiterFor(String provider) {
        ProviderPolicy p = providerPolicies.get(provider);
        return p == null || p.limiter() == null ? limiterConfig : p.limiter();
    }

    /** The provider's retry policy: its {@code maxRetries} override, else {@link #retry()}. */
    public RetryPolicy retryFor(String provider) {
        RetryPolicy r = providerRetryPolicies.get(provider);
        return r == null ? retryPolicy : r;
    }

    /** The kill switch the pipeline checks (one per application), or null for one built in the state directory. */
    public @Nullable KillSwitch killSwitch() {
        return killSwitch;
    }

    @Override
    public String toString() {
        return "PipelineConfig[maxRetries=" + maxRetries + ", retryBaseMs=" + retryBaseMs + ", retryMaxDelayMs="
                + retryMaxDelayMs + ", retryJitterMs=" + retryJitterMs + ", retryMaxRetryAfterMs="
                + retryMaxRetryAfterMs + ", circuitBreakerThreshold=" + circuitBreakerThreshold
                + ", circuitBreakerCooldown=" + circuitBreakerCooldown + ", permittedHalfOpenCalls="
                + permittedHalfOpenCalls + ", semaphoreInitial=" + semaphoreInitial + ", semaphoreMin=" + semaphoreMin
                + ", stateDir=" + stateDir + ", transformKwargsOverrides=" + transformKwargsOverrides.keySet()
                + ", responseCache=" + (responseCache == null ? "none" : responseCache.strategy())
                + ", closeResponseCache=" + closeResponseCache + ", cacheKeyPrefix=" + cacheKeyPrefix
                + ", defaultCallTimeout=" + defaultCallTimeout + ", attemptTimeout=" + attemptTimeout
                + ", callListener=" + (callListener != null)
                + ", killSwitchGate=" + (killSwitchGate != null) + "]";
    }

    /** Builder for {@link PipelineConfig}. */
    public static final class Builder {
        private int maxRetries = 3;
        private double retryBaseMs = 1000;
        private double retryMaxDelayMs = 30_000;
        private double retryJitterMs = 1000;
        private double retryMaxRetryAfterMs = 60_000;
        private int circuitBreakerThreshold = 3;
        private Duration circuitBreakerCooldown = Duration.ofSeconds(30);
        private int permittedHalfOpenCalls = 10;
        private int semaphoreInitial = 32;
        private int semaphoreMin = 4;
        private @Nullable Path stateDir;
        private Map<String, TransformKwargsCallback> transformKwargsOverrides = new LinkedHashMap<>();
        private @Nullable TwoTierCache responseCache;
        private boolean closeResponseCache = true;
        private String cacheKeyPrefix = CacheKeys.DEFAULT_PREFIX;
        private @Nullable Duration defaultCallTimeout;
        private @Nullable Duration attemptTimeout;
        private Function<String, @Nullable String> env = System::getenv;
        private LongSupplier nanoClock = System::nanoTime;
        private LongSupplier wallClock = System::currentTimeMillis;
        private DoubleSupplier jitterRandom = () -> ThreadLocalRandom.current().nextDouble();
        private @Nullable ScheduledExecutorService scheduler;
        private @Nullable Executor executor;
        private int executorThreads;
        private @Nullable Sleeper sleeper;
        private @Nullable CallListener callListener;
        private PriceBook priceBook = PriceBook.builtIn();
        private @Nullable KillSwitchGate killSwitchGate;
        private RateBudgets rateBudgets = RateBudgets.none();
        private Map<String, ProviderPolicy> providerPolicies = new LinkedHashMap<>();
        private @Nullable KillSwitch killSwitch;
        private @Nullable StreamingDispatchFunction streamingDispatch;
        private int streamBufferChunks = 256;

        private Builder() {
        }

        private Builder(PipelineConfig c) {
            maxRetries = c.maxRetries;
            retryBaseMs = c.retryBaseMs;
            retryMaxDelayMs = c.retryMaxDelayMs;
            retryJitterMs = c.retryJitterMs;
            retryMaxRetryAfterMs = c.retryMaxRetryAfterMs;
            circuitBreakerThreshold = c.circuitBreakerThreshold;
            circuitBreakerCooldown = c.circuitBreakerCooldown;
            permittedHalfOpenCalls = c.permittedHalfOpenCalls;
            semaphoreInitial = c.semaphoreInitial;
            semaphoreMin = c.semaphoreMin;
            stateDir = c.stateDir;
            transformKwargsOverrides = new LinkedHashMap<>(c.transformKwargsOverrides);
            responseCache = c.responseCache;
            closeResponseCache = c.closeResponseCache;
            cacheKeyPrefix = c.cacheKeyPrefix;
            defaultCallTimeout = c.defaultCallTimeout;
            attemptTimeout = c.attemptTimeout;
            env = c.env;
            nanoClock = c.nanoClock;
            wallClock = c.wallClock;
            jitterRandom = c.jitterRandom;
            scheduler = c.scheduler;
            executor = c.executor;
            executorThreads = c.executorThreads;
            sleeper = c.sleeper;
            callListener = c.callListener;
            priceBook = c.priceBook;
            killSwitchGate = c.killSwitchGate;
            rateBudgets = c.rateBudgets;
            providerPolicies = new LinkedHashMap<>(c.providerPolicies);
            killSwitch = c.killSwitch;
            streamingDispatch = c.streamingDispatch;
            streamBufferChunks = c.streamBufferChunks;
        }

        /** Retries after the first attempt; must be >= 0 (default 3). */
        public Builder maxRetries(int v) { maxRetries = v; return this; }

        /** Back-off base in milliseconds (default 1000). */
        public Builder retryBaseMs(double v) { retryBaseMs = v; return this; }

        /** Back-off cap in milliseconds (default 30 000). */
        public Builder retryMaxDelayMs(double v) { retryMaxDelayMs = v; return this; }

        /** Jitter bound in milliseconds (default 1000); 0 for deterministic delays. */
        public Builder retryJitterMs(double v) { retryJitterMs = v; return this; }

        /** Cap on {@code Retry-After} delays in milliseconds (default 60 000). */
        public Builder retryMaxRetryAfterMs(double v) { retryMaxRetryAfterMs = v; return this; }

        /** Consecutive failed calls that open a breaker (default 3; values below 1 act as 1). */
        public Builder circuitBreakerThreshold(int v) { circuitBreakerThreshold = v; return this; }

        /** OPEN period before probing (default 30 s). */
        public Builder circuitBreakerCooldown(Duration v) {
            circuitBreakerCooldown = Objects.requireNonNull(v, "circuitBreakerCooldown");
            return this;
        }

        /** Probes per HALF_OPEN episode (default 10; values below 1 act as 1). */
        public Builder permittedHalfOpenCalls(int v) { permittedHalfOpenCalls = v; return this; }

        /** Initial and maximum AIMD window per provider (default 32). */
        public Builder semaphoreInitial(int v) { semaphoreInitial = v; return this; }

        /** AIMD window floor (default 4); must not exceed {@link #semaphoreInitial(int)}. */
        public Builder semaphoreMin(int v) { semaphoreMin = v; return this; }

        /** Explicit state directory for the kill switch and the cross-process lock; {@code null} resolves it. */
        public Builder stateDir(@Nullable Path v) { stateDir = v; return this; }

        /**
         * Kwargs transforms per provider name, each replacing the built-in transform of that name; use
         * {@link TransformKwargsCallback#none()} to disable a built-in.
         */
        public Builder transformKwargsOverrides(Map<String, TransformKwargsCallback> v) {
            transformKwargsOverrides = new LinkedHashMap<>(Objects.requireNonNull(v, "transformKwargsOverrides"));
            return this;
        }

        /** Adds one kwargs transform override. */
        public Builder transformKwargsOverride(String provider, TransformKwargsCallback callback) {
            transformKwargsOverrides.put(Objects.requireNonNull(provider, "provider"),
                    Objects.requireNonNull(callback, "callback"));
            return this;
        }

        /** The response cache to use for presets whose caching strategy asks for one; {@code null} for none. */
        public Builder responseCache(@Nullable TwoTierCache v) { responseCache = v; return this; }

        /** Whether {@code close()} closes the response cache (default true; false when the cache is shared). */
        public Builder closeResponseCache(boolean v) { closeResponseCache = v; return this; }

        /** Cache-key prefix (default {@code llmix:resp:}). */
        public Builder cacheKeyPrefix(String v) {
            cacheKeyPrefix = Objects.requireNonNull(v, "cacheKeyPrefix");
            return this;
        }

        /**
         * Whole-call budget for presets without {@code timeout.totalTime}; null (the default) means
         * {@value PipelineConfig#CALL_TIMEOUT_ENV} from the environment lookup, else 120 s.
         */
        public Builder defaultCallTimeout(@Nullable Duration v) {
            defaultCallTimeout = v;
            return this;
        }

        /** Per-attempt timeout within the call's deadline (default null: no limit beyond the deadline). */
        public Builder attemptTimeout(@Nullable Duration v) {
            attemptTimeout = v;
            return this;
        }

        /** Environment lookup (default {@code System::getenv}). */
        public Builder env(Function<String, @Nullable String> v) {
            env = Objects.requireNonNull(v, "env");
            return this;
        }

        /** Monotonic nanosecond clock (default {@code System::nanoTime}). */
        public Builder nanoClock(LongSupplier v) { nanoClock = Objects.requireNonNull(v, "nanoClock"); return this; }

        /** Wall clock in epoch milliseconds (default {@code System::currentTimeMillis}). */
        public Builder wallClock(LongSupplier v) { wallClock = Objects.requireNonNull(v, "wallClock"); return this; }

        /** Uniform [0, 1) source for jitter (default {@code ThreadLocalRandom}). */
        public Builder jitterRandom(DoubleSupplier v) {
            jitterRandom = Objects.requireNonNull(v, "jitterRandom");
            return this;
        }

        /** Scheduler for back-off and timeouts; not shut down by the pipeline. Default: an owned daemon scheduler. */
        public Builder scheduler(@Nullable ScheduledExecutorService v) { scheduler = v; return this; }

        /** Executor resuming attempts; not shut down by the pipeline. Default: owned daemon threads. */
        public Builder executor(@Nullable Executor v) { executor = v; return this; }

        /**
         * Threads of the owned executor's fixed pool; must be >= 0, 0 (the default) meaning
         * {@code max(4, 2 × available processors)}. Ignored when an {@link #executor(Executor)} is given.
         */
        public Builder executorThreads(int v) {
            if (v < 0) {
                throw new IllegalArgumentException("executorThreads must be >= 0 (0 = max(4, 2 × cores)), got " + v);
            }
            executorThreads = v;
            return this;
        }

        /** Blocking back-off sleeper replacing the scheduler (test seam); {@code null} for the scheduler. */
        public Builder sleeper(@Nullable Sleeper v) { sleeper = v; return this; }

        /** Listener told about every call's start and end; {@code null} (the default) for none, at no cost. */
        public Builder callListener(@Nullable CallListener v) { callListener = v; return this; }

        /** The prices calls are billed with (docs/cost.md); default {@link PriceBook#builtIn()}. */
        public Builder priceBook(PriceBook v) { priceBook = Objects.requireNonNull(v, "priceBook"); return this; }

        /** Extra kill switch checked after the file on every call; {@code null} (the default) for none. */
        public Builder killSwitchGate(@Nullable KillSwitchGate v) { killSwitchGate = v; return this; }

        /**
         * Proactive rate caps per provider, model and key (docs/rate-limits.md); default {@link RateBudgets#none()}.
         * The pipeline starts the registry on its scheduler, executor and nano clock.
         */
        public Builder rateBudgets(RateBudgets v) {
            rateBudgets = Objects.requireNonNull(v, "rateBudgets");
            return this;
        }

        /** The kill switch to check (share the application's one); null builds one in the state directory. */
        public Builder killSwitch(@Nullable KillSwitch v) { killSwitch = v; return this; }

        /** Breaker settings in one value (same as the three {@code circuitBreaker*} setters). */
        /**
         * The retry loop's settings as one value (the composed form of {@link #maxRetries}, {@link #retryBaseMs},
         * {@link #retryMaxDelayMs}, {@link #retryJitterMs} and {@link #retryMaxRetryAfterMs}).
         */
        public Builder retry(RetryPolicy v) {
            Objects.requireNonNull(v, "retry");
            maxRetries = v.maxRetries();
            retryBaseMs = v.baseMs();
            retryMaxDelayMs = v.maxDelayMs();
            retryJitterMs = v.jitterMs();
            retryMaxRetryAfterMs = v.maxRetryAfterMs();
            return this;
        }

        public Builder breaker(CircuitBreakerConfig v) {
            Objects.requireNonNull(v, "breaker");
            circuitBreakerThreshold = v.failureThreshold();
            circuitBreakerCooldown = v.cooldown();
            permittedHalfOpenCalls = v.permittedHalfOpenCalls();
            return this;
        }

        /** Window bounds in one value (same as {@code semaphoreInitial} and {@code semaphoreMin}). */
        public Builder limiter(LimiterConfig v) {
            Objects.requireNonNull(v, "limiter");
            semaphoreInitial = v.initial();
            semaphoreMin = v.min();
            return this;
        }

        /** Overrides for one provider (replacing earlier ones for that provider). */
        public Builder providerPolicy(String provider, ProviderPolicy policy) {
            providerPolicies.put(Objects.requireNonNull(provider, "provider"), Objects.requireNonNull(policy, "policy"));
            return this;
        }

        /** Overrides for every provider named in {@code v} (replacing all earlier ones). */
        public Builder providerPolicies(Map<String, ProviderPolicy> v) {
            providerPolicies = new LinkedHashMap<>(Objects.requireNonNull(v, "providerPolicies"));
            return this;
        }

        /**
         * The dispatch used for streams; {@code null} (the default) uses the pipeline's dispatch when it implements
         * {@link StreamingDispatchFunction}, else one non-streamed dispatch per attempt.
         */
        public Builder streamingDispatch(@Nullable StreamingDispatchFunction v) { streamingDispatch = v; return this; }

        /** Chunks a stream buffers ahead of demand; must be >= 1 (default 256). */
        public Builder streamBufferChunks(int v) { streamBufferChunks = v; return this; }

        /**
         * Builds the options.
         *
         * @throws IllegalArgumentException for invalid retry options, invalid semaphore
         *                                  options ({@code initial must be >= 1}, {@code minConcurrency must be >= 1},
         *                                  {@code minConcurrency must be <= initial}), a negative cooldown or a
         *                                  non-positive default timeout
         */
        public PipelineConfig build() {
            return new PipelineConfig(this);
        }
    }
}
