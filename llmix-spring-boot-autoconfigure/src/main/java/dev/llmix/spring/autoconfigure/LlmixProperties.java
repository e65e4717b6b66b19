package dev.llmix.spring.autoconfigure;

import dev.llmix.config.CachingStrategy;
import dev.llmix.keys.ApiKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of LLMix under {@code llmix.*}: the call pipeline, kill switch, response cache, API key
 * pools, preset source and provider adapters. Setters reject out-of-range values, so a bad value fails start-up with a
 * bind error naming the property. {@link #toString()} never shows API keys.
 */
@ConfigurationProperties("llmix")
public class LlmixProperties {

    private final Pipeline pipeline = new Pipeline();

    private final KillSwitch killSwitch = new KillSwitch();

    private final Cache cache = new Cache();

    /**
     * API keys per provider name, e.g. {@code llmix.keys.openai=sk-a,sk-b}. A provider without an entry falls back to
     * the {@code <PROVIDER>_KEYS} (comma-separated) or {@code <PROVIDER>_API_KEY} environment variables.
     */
    private Map<String, List<String>> keys = new LinkedHashMap<>();

    private final Config config = new Config();

    /**
     * Provider adapters and per-provider settings by provider name ({@code openai}, {@code anthropic},
     * {@code gemini}/{@code google}, {@code sno-gpu}, {@code openrouter}, {@code deepseek}, {@code deepinfra},
     * {@code novita}, {@code together}); every enabled one is live and a preset's {@code provider} picks it.
     */
    private Map<String, Adapter> provider = new LinkedHashMap<>();

    /**
     * Fallback chains by called preset, {@code <module>/<preset>} → ordered alternatives, e.g.
     * {@code llmix.fallbacks[chat/reply][0].provider=anthropic} (in YAML the key is quoted in brackets,
     * {@code "[chat/reply]"}, so the slash is kept).
     */
    private Map<String, List<Fallback>> fallbacks = new LinkedHashMap<>();

    /**
     * Model prices by provider then model name, in USD per million tokens, e.g.
     * {@code llmix.pricing.openai.gpt-4o.input=2.5}; they replace or extend the built-in table (docs/cost.md).
     */
    private Map<String, Map<String, Price>> pricing = new LinkedHashMap<>();

    public Map<String, Map<String, Price>> getPricing() {
        return pricing;
    }

    public void setPricing(Map<String, Map<String, Price>> pricing) {
        this.pricing = pricing;
    }

    /** The price of one model, in USD per million tokens (docs/cost.md). */
    public static class Price {

        /** USD per million uncached input tokens (required). */
        private @Nullable Double input;

        /** USD per million output tokens (required). */
        private @Nullable Double output;

        /** USD per million input tokens served from the provider's prompt cache; unset = the input price. */
        private @Nullable Double cachedInput;

        public @Nullable Double getInput() {
            return input;
        }

        public void setInput(@Nullable Double input) {
            this.input = input;
        }

        public @Nullable Double getOutput() {
            return output;
        }

        public void setOutput(@Nullable Double output) {
            this.output = output;
        }

        public @Nullable Double getCachedInput() {
            return cachedInput;
        }

        public void setCachedInput(@Nullable Double cachedInput) {
            this.cachedInput = cachedInput;
        }
    }

    public Pipeline getPipeline() {
        return pipeline;
    }

    public KillSwitch getKillSwitch() {
        return killSwitch;
    }

    public Cache getCache() {
        return cache;
    }

    public Map<String, List<String>> getKeys() {
        return keys;
    }

    public void setKeys(Map<String, List<String>> keys) {
        this.keys = keys;
    }

    public Config getConfig() {
        return config;
    }

    public Map<String, Adapter> getProvider() {
        return provider;
    }

    public void setProvider(Map<String, Adapter> provider) {
        this.provider = provider;
    }

    public Map<String, List<Fallback>> getFallbacks() {
        return fallbacks;
    }

    public void setFallbacks(Map<String, List<Fallback>> fallbacks) {
        this.fallbacks = fallbacks;
    }

    @Override
    public String toString() {
        Map<String, String> masked = keys.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> e.getValue().stream().map(ApiKeys::mask).toList().toString(), (a, b) -> a, LinkedHashMap::new));
        return "LlmixProperties[pipeline=" + pipeline + ", killSwitch=" + killSwitch + ", cache=" + cache + ", keys="
                + masked + ", config=" + config + ", provider=" + provider + ", fallbacks=" + fallbacks + "]";
    }

    static void check(boolean ok, String property, String requirement, Object value) {
        if (!ok) {
            throw new IllegalArgumentException("llmix." + property + " must be " + requirement + ", got " + value);
        }
    }

    /** Retry, circuit breaker, concurrency limiter and shutdown settings of the call pipeline. */
    public static class Pipeline {

        /** Retries after the first attempt (total attempts = max-retries + 1). */
        private int maxRetries = 3;

        /** Base delay of the exponential retry backoff. */
        private Duration retryBaseDelay = Duration.ofMillis(1000);

        /** Cap of the computed retry delay (applied before jitter). */
        private Duration retryMaxDelay = Duration.ofSeconds(30);

        /** Upper bound of the uniform random jitter added to every retry delay. */
        private Duration retryJitter = Duration.ofMillis(1000);

        /** Longest Retry-After a provider may impose; longer values fall back to the computed backoff. */
        private Duration retryMaxRetryAfter = Duration.ofSeconds(60);

        /**
         * Whole-call deadline when a preset sets no {@code timeout.totalTime}; unset means the LLMIX_CALL_TIMEOUT_MS
         * environment variable (milliseconds), else 120 s.
         */
        private @Nullable Duration defaultCallTimeout;

        /**
         * Longest time one attempt may run before it is cancelled and retried within the call's deadline; unset means
         * an attempt may use the rest of the deadline.
         */
        private @Nullable Duration attemptTimeout;

        /** How long a graceful shutdown waits for in-flight calls before the pipeline is closed. */
        private Duration shutdownTimeout = Duration.ofSeconds(30);

        /** Chunks a stream buffers ahead of its subscriber before it stops reading the provider. */
        private int streamBufferChunks = 256;

        /**
         * Threads of the pipeline's owned executor, a fixed pool shared by every call in flight; unset means
         * max(4, 2 x available processors).
         */
        private @Nullable Integer executorThreads;

        private final Breaker breaker = new Breaker();

        private final Limiter limiter = new Limiter();

        public int getMaxRetries() {
            return maxRetries;
        }

        public void setMaxRetries(int maxRetries) {
            check(maxRetries >= 0, "pipeline.max-retries", "zero or more", maxRetries);
            this.maxRetries = maxRetries;
        }

        public Duration getRetryBaseDelay() {
            return retryBaseDelay;
        }

        public void setRetryBaseDelay(Duration retryBaseDelay) {
            check(!retryBaseDelay.isNegative(), "pipeline.retry-base-delay", "zero or more", retryBaseDelay);
            this.retryBaseDelay = retryBaseDelay;
        }

        public Duration getRetryMaxDelay() {
            return retryMaxDelay;
        }

        public void setRetryMaxDelay(Duration retryMaxDelay) {
            check(!retryMaxDelay.isNegative(), "pipeline.retry-max-delay", "zero or more", retryMaxDelay);
            this.retryMaxDelay = retryMaxDelay;
        }

        public Duration getRetryJitter() {
            return retryJitter;
        }

        public void setRetryJitter(Duration retryJitter) {
            check(!retryJitter.isNegative(), "pipeline.retry-jitter", "zero or more", retryJitter);
            this.retryJitter = retryJitter;
        }

        public Duration getRetryMaxRetryAfter() {
            return retryMaxRetryAfter;
        }

        public void setRetryMaxRetryAfter(Duration retryMaxRetryAfter) {
            check(!retryMaxRetryAfter.isNegative(), "pipeline.retry-max-retry-after", "zero or more",
                    retryMaxRetryAfter);
            this.retryMaxRetryAfter = retryMaxRetryAfter;
        }

        public @Nullable Duration getDefaultCallTimeout() {
            return defaultCallTimeout;
        }

        public void setDefaultCallTimeout(@Nullable Duration defaultCallTimeout) {
            check(defaultCallTimeout == null || defaultCallTimeout.compareTo(Duration.ZERO) > 0,
                    "pipeline.default-call-timeout", "positive", defaultCallTimeout);
            this.defaultCallTimeout = defaultCallTimeout;
        }

        public @Nullable Duration getAttemptTimeout() {
            return attemptTimeout;
        }

        public void setAttemptTimeout(@Nullable Duration attemptTimeout) {
            check(attemptTimeout == null || attemptTimeout.compareTo(Duration.ZERO) > 0,
                    "pipeline.attempt-timeout", "positive", attemptTimeout);
            this.attemptTimeout = attemptTimeout;
        }

        public int getStreamBufferChunks() {
            return streamBufferChunks;
        }

        public void setStreamBufferChunks(int streamBufferChunks) {
            this.streamBufferChunks = streamBufferChunks;
        }

        public @Nullable Integer getExecutorThreads() {
            return executorThreads;
        }

        public void setExecutorThreads(@Nullable Integer executorThreads) {
            check(executorThreads == null || executorThreads > 0, "pipeline.executor-threads", "positive",
                    executorThreads);
            this.executorThreads = executorThreads;
        }

        public Duration getShutdownTimeout() {
            return shutdownTimeout;
        }

        public void setShutdownTimeout(Duration shutdownTimeout) {
            check(!shutdownTimeout.isNegative(), "pipeline.shutdown-timeout", "zero or more", shutdownTimeout);
            this.shutdownTimeout = shutdownTimeout;
        }

        public Breaker getBreaker() {
            return breaker;
        }

        public Limiter getLimiter() {
            return limiter;
        }

        @Override
        public String toString() {
            return "Pipeline[maxRetries=" + maxRetries + ", retryBaseDelay=" + retryBaseDelay + ", retryMaxDelay="
                    + retryMaxDelay + ", retryJitter=" + retryJitter + ", retryMaxRetryAfter=" + retryMaxRetryAfter
                    + ", defaultCallTimeout=" + defaultCallTimeout + ", attemptTimeout=" + attemptTimeout
                    + ", executorThreads=" + executorThreads + ", shutdownTimeout=" + shutdownTimeout + ", breaker="
                    + breaker + ", limiter=" + limiter + "]";
        }
    }

    /** Circuit breaker settings, one breaker per provider and base URL. */
    public static class Breaker {

        /** Consecutive retryable call failures that open the breaker. */
        private int failureThreshold = 3;

        /** Time an open breaker waits before admitting probes; doubles on each re-open, capped at 5 minutes. */
        private Duration cooldown = Duration.ofSeconds(30);

        /** Probe calls admitted while half-open; a strict majority of successes closes the breaker. */
        private int halfOpenProbes = 10;

        public int getFailureThreshold() {
            return failureThreshold;
        }

        public void setFailureThreshold(int failureThreshold) {
            check(failureThreshold >= 1, "pipeline.breaker.failure-threshold", "at least 1", failureThreshold);
            this.failureThreshold = failureThreshold;
        }

        public Duration getCooldown() {
            return cooldown;
        }

        public void setCooldown(Duration cooldown) {
            check(!cooldown.isNegative(), "pipeline.breaker.cooldown", "zero or more", cooldown);
            this.cooldown = cooldown;
        }

        public int getHalfOpenProbes() {
            return halfOpenProbes;
        }

        public void setHalfOpenProbes(int halfOpenProbes) {
            check(halfOpenProbes >= 1, "pipeline.breaker.half-open-probes", "at least 1", halfOpenProbes);
            this.halfOpenProbes = halfOpenProbes;
        }

        @Override
        public String toString() {
            return "Breaker[failureThreshold=" + failureThreshold + ", cooldown=" + cooldown + ", halfOpenProbes="
                    + halfOpenProbes + "]";
        }
    }

    /** Adaptive (AIMD) concurrency limiter settings, one limiter per provider. */
    public static class Limiter {

        /** Initial concurrency window, which is also its ceiling. */
        private int initial = 32;

        /** Floor the window never shrinks below; at most {@code initial}. */
        private int min = 4;

        public int getInitial() {
            return initial;
        }

        public void setInitial(int initial) {
            check(initial >= 1, "pipeline.limiter.initial", "at least 1", initial);
            this.initial = initial;
        }

        public int getMin() {
            return min;
        }

        public void setMin(int min) {
            check(min >= 1, "pipeline.limiter.min", "at least 1", min);
            this.min = min;
        }

        @Override
        public String toString() {
            return "Limiter[initial=" + initial + ", min=" + min + "]";
        }
    }

    /** Kill switch settings. */
    public static class KillSwitch {

        /**
         * Directory holding the {@code killswitch} file. Unset: {@code LLMIX_STATE_DIR}, then
         * {@code $XDG_STATE_HOME/llmix}, then {@code ~/.local/state/llmix}.
         */
        private @Nullable Path stateDir;

        public @Nullable Path getStateDir() {
            return stateDir;
        }

        public void setStateDir(@Nullable Path stateDir) {
            this.stateDir = stateDir;
        }

        @Override
        public String toString() {
            return "KillSwitch[stateDir=" + stateDir + "]";
        }
    }

    /** Response cache settings (the cache is consulted only for presets whose caching strategy uses it). */
    public static class Cache {

        /**
         * How the response cache is built: {@code memory} (L1 only), {@code redis} (L1 + Redis L2, start-up fails
         * without a Redis connection factory), {@code redis-or-memory} (Redis L2 when available, otherwise L1 with one
         * warning); {@code disabled}, {@code native} or {@code gateway} create no response cache.
         */
        private CachingStrategy strategy = CachingStrategy.MEMORY;

        /** Time to live of cached responses, in L1 and L2. */
        private Duration ttl = Duration.ofHours(1);

        /** Capacity of the in-process L1 cache (least recently used entries are evicted). */
        private int maxItems = 1000;

        /** Prefix of every cache key (shared with the TypeScript and Python bindings when unchanged). */
        private String keyPrefix = "llmix:resp:";

        /**
         * Whether the Redis L2 uses its own connection (same server and credentials as {@code spring.data.redis.*},
         * but a 3 s command timeout and commands rejected while disconnected) instead of the application's shared
         * Lettuce connection, so that a Redis outage costs LLMix calls a cache miss rather than the application's
         * command timeout.
         */
        private boolean isolatedRedisConnection = true;

        public CachingStrategy getStrategy() {
            return strategy;
        }

        public void setStrategy(CachingStrategy strategy) {
            this.strategy = strategy;
        }

        public Duration getTtl() {
            return ttl;
        }

        public void setTtl(Duration ttl) {
            check(ttl.getSeconds() >= 1, "cache.ttl", "at least 1s", ttl);
            this.ttl = ttl;
        }

        public int getMaxItems() {
            return maxItems;
        }

        public void setMaxItems(int maxItems) {
            check(maxItems >= 1, "cache.max-items", "at least 1", maxItems);
            this.maxItems = maxItems;
        }

        public String getKeyPrefix() {
            return keyPrefix;
        }

        public boolean isIsolatedRedisConnection() {
            return isolatedRedisConnection;
        }

        public void setIsolatedRedisConnection(boolean isolatedRedisConnection) {
            this.isolatedRedisConnection = isolatedRedisConnection;
        }

        public void setKeyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }

        @Override
        public String toString() {
            return "Cache[strategy=" + strategy + ", ttl=" + ttl + ", maxItems=" + maxItems + ", keyPrefix="
                    + keyPrefix + ", isolatedRedisConnection=" + isolatedRedisConnection + "]";
        }
    }

    /** Where presets come from. */
    public static class Config {

        /**
         * Config registry root ({@code current.json}, {@code compiled/}, {@code source/}): a Spring resource location
         * ({@code classpath:config/llm}, {@code file:/etc/llm}) or a path; relative paths are resolved against the
         * working directory and a leading {@code ~/} against the home directory. Unset: the {@code LLMIX_CONFIG_DIR}
         * variable, else {@code classpath:config/llm} when the class path has presets there, else {@code config/llm}
         * relative to the project root.
         */
        private @Nullable String root;

        /**
         * Whether every preset under {@code <root>/source} is parsed and validated at start-up, failing start-up with
         * the file, line and field of each invalid one.
         */
        private boolean validateOnStartup = true;

        /** {@code registry} serves published revisions; {@code source} loads {@code source/<module>/<preset>.mda}. */
        private PresetSourceMode mode = PresetSourceMode.REGISTRY;

        /**
         * Period of a background check of the registry pointer ({@code current.json}); unset means none, since every
         * preset lookup checks it anyway.
         */
        private @Nullable Duration refreshInterval;

        public @Nullable String getRoot() {
            return root;
        }

        public void setRoot(@Nullable String root) {
            check(root == null || !root.isBlank(), "config.root", "a non-blank path", "\"" + root + "\"");
            this.root = root;
        }

        public PresetSourceMode getMode() {
            return mode;
        }

        public boolean isValidateOnStartup() {
            return validateOnStartup;
        }

        public void setValidateOnStartup(boolean validateOnStartup) {
            this.validateOnStartup = validateOnStartup;
        }

        public void setMode(PresetSourceMode mode) {
            this.mode = mode;
        }

        public @Nullable Duration getRefreshInterval() {
            return refreshInterval;
        }

        public void setRefreshInterval(@Nullable Duration refreshInterval) {
            check(refreshInterval == null || refreshInterval.compareTo(Duration.ZERO) > 0, "config.refresh-interval",
                    "positive", refreshInterval);
            this.refreshInterval = refreshInterval;
        }

        @Override
        public String toString() {
            return "Config[root=" + root + ", mode=" + mode + ", refreshInterval=" + refreshInterval
                    + ", validateOnStartup=" + validateOnStartup + "]";
        }
    }

    /** One alternative of a fallback chain: another provider and model, optionally starting from another preset. */
    public static class Fallback {

        /** Provider to try (name or alias, e.g. anthropic); required unless preset is set. */
        private @Nullable String provider;

        /** Model to call at that provider; required unless preset is set. */
        private @Nullable String model;

        /** Another preset to start from: a name in the called preset's module, or module/preset. */
        private @Nullable String preset;

        public @Nullable String getProvider() {
            return provider;
        }

        public void setProvider(@Nullable String provider) {
            this.provider = provider;
        }

        public @Nullable String getModel() {
            return model;
        }

        public void setModel(@Nullable String model) {
            this.model = model;
        }

        public @Nullable String getPreset() {
            return preset;
        }

        public void setPreset(@Nullable String preset) {
            this.preset = preset;
        }

        @Override
        public String toString() {
            return "Fallback[provider=" + provider + ", model=" + model + ", preset=" + preset + "]";
        }
    }

    /** Settings of one provider: its adapter, keys, HTTP settings and overrides of the pipeline settings. */
    public static class Adapter {

        /** Whether this provider's built-in adapter serves the presets that name it. */
        private boolean enabled;

        /**
         * API keys of this provider (a pool; masked everywhere). Unset means {@code llmix.keys.<name>}, then the
         * provider's environment variables (docs/providers.md).
         */
        private List<String> apiKeys = new java.util.ArrayList<>();

        /** Extra HTTP headers sent with every request to this provider. */
        private Map<String, String> defaultHeaders = new LinkedHashMap<>();

        /** Largest response body read into memory. */
        private org.springframework.util.unit.DataSize maxResponseSize =
                org.springframework.util.unit.DataSize.ofMegabytes(16);

        /** The {@code anthropic-version} header (anthropic only). */
        private String anthropicVersion = "2023-06-01";

        /** Gateway token sent instead of the API key (sno-gpu only); unset means the key or SNO_LLM_API_KEY. */
        private @Nullable String gatewayToken;

        /** This provider's circuit breaker settings; unset members fall back to {@code llmix.pipeline.breaker.*}. */
        private final BreakerOverrides breaker = new BreakerOverrides();

        /** This provider's AIMD limiter settings; unset members fall back to {@code llmix.pipeline.limiter.*}. */
        private final LimiterOverrides limiter = new LimiterOverrides();

        /** This provider's retry settings; unset members fall back to {@code llmix.pipeline.*}. */
        private final RetryOverrides retry = new RetryOverrides();

        public List<String> getApiKeys() {
            return apiKeys;
        }

        public void setApiKeys(List<String> apiKeys) {
            this.apiKeys = apiKeys;
        }

        public Map<String, String> getDefaultHeaders() {
            return defaultHeaders;
        }

        public void setDefaultHeaders(Map<String, String> defaultHeaders) {
            this.defaultHeaders = defaultHeaders;
        }

        public org.springframework.util.unit.DataSize getMaxResponseSize() {
            return maxResponseSize;
        }

        public void setMaxResponseSize(org.springframework.util.unit.DataSize maxResponseSize) {
            check(maxResponseSize.toBytes() > 0, "provider.<name>.max-response-size", "positive", maxResponseSize);
            this.maxResponseSize = maxResponseSize;
        }

        public String getAnthropicVersion() {
            return anthropicVersion;
        }

        public void setAnthropicVersion(String anthropicVersion) {
            check(!anthropicVersion.isBlank(), "provider.<name>.anthropic-version", "non-blank", anthropicVersion);
            this.anthropicVersion = anthropicVersion;
        }

        public @Nullable String getGatewayToken() {
            return gatewayToken;
        }

        public void setGatewayToken(@Nullable String gatewayToken) {
            this.gatewayToken = gatewayToken;
        }

        public BreakerOverrides getBreaker() {
            return breaker;
        }

        public LimiterOverrides getLimiter() {
            return limiter;
        }

        public RetryOverrides getRetry() {
            return retry;
        }

        /** Base URL used when neither the preset nor the call names one; unset means the provider's default. */
        private @Nullable String baseUrl;

        /** TCP connect timeout. */
        private Duration connectTimeout = Duration.ofSeconds(10);

        /**
         * Request timeout when the preset sets no {@code timeout.totalTime}; unset means the adapter default (120 s,
         * sno-gpu 960 s).
         */
        private @Nullable Duration requestTimeout;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public @Nullable String getBaseUrl() {
            return baseUrl;
        }

        public void setBaseUrl(@Nullable String baseUrl) {
            this.baseUrl = baseUrl;
        }

        public Duration getConnectTimeout() {
            return connectTimeout;
        }

        public void setConnectTimeout(Duration connectTimeout) {
            check(connectTimeout.compareTo(Duration.ZERO) > 0, "provider.<name>.connect-timeout", "positive",
                    connectTimeout);
            this.connectTimeout = connectTimeout;
        }

        public @Nullable Duration getRequestTimeout() {
            return requestTimeout;
        }

        public void setRequestTimeout(@Nullable Duration requestTimeout) {
            check(requestTimeout == null || requestTimeout.compareTo(Duration.ZERO) > 0,
                    "provider.<name>.request-timeout", "positive", requestTimeout);
            this.requestTimeout = requestTimeout;
        }

        @Override
        public String toString() {
            return "Adapter[enabled=" + enabled + ", baseUrl=" + baseUrl + ", apiKeys="
                    + apiKeys.stream().map(ApiKeys::mask).toList() + ", defaultHeaders=" + defaultHeaders.keySet()
                    + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout
                    + ", maxResponseSize=" + maxResponseSize + ", gatewayToken="
                    + (gatewayToken == null ? "none" : ApiKeys.mask(gatewayToken)) + ", breaker=" + breaker
                    + ", limiter=" + limiter + ", retry=" + retry + "]";
        }
    }

    /** Per-provider circuit breaker settings; each unset member uses the global one. */
    public static class BreakerOverrides {

        /** Consecutive retryable failures that open this provider's breaker. */
        private @Nullable Integer failureThreshold;

        /** How long this provider's breaker stays open before half-open probes. */
        private @Nullable Duration cooldown;

        /** Probes admitted in half-open before deciding. */
        private @Nullable Integer halfOpenProbes;

        public @Nullable Integer getFailureThreshold() {
            return failureThreshold;
        }

        public void setFailureThreshold(@Nullable Integer failureThreshold) {
            check(failureThreshold == null || failureThreshold >= 1, "provider.<name>.breaker.failure-threshold",
                    ">= 1", failureThreshold);
            this.failureThreshold = failureThreshold;
        }

        public @Nullable Duration getCooldown() {
            return cooldown;
        }

        public void setCooldown(@Nullable Duration cooldown) {
            check(cooldown == null || !cooldown.isNegative(), "provider.<name>.breaker.cooldown", ">= 0", cooldown);
            this.cooldown = cooldown;
        }

        public @Nullable Integer getHalfOpenProbes() {
            return halfOpenProbes;
        }

        public void setHalfOpenProbes(@Nullable Integer halfOpenProbes) {
            check(halfOpenProbes == null || halfOpenProbes >= 1, "provider.<name>.breaker.half-open-probes", ">= 1",
                    halfOpenProbes);
            this.halfOpenProbes = halfOpenProbes;
        }

        boolean isSet() {
            return failureThreshold != null || cooldown != null || halfOpenProbes != null;
        }

        @Override
        public String toString() {
            return "[failureThreshold=" + failureThreshold + ", cooldown=" + cooldown + ", halfOpenProbes="
                    + halfOpenProbes + "]";
        }
    }

    /** Per-provider AIMD limiter settings; each unset member uses the global one. */
    public static class LimiterOverrides {

        /** Starting (and largest) concurrency window of this provider. */
        private @Nullable Integer initial;

        /** Smallest window of this provider. */
        private @Nullable Integer min;

        public @Nullable Integer getInitial() {
            return initial;
        }

        public void setInitial(@Nullable Integer initial) {
            check(initial == null || initial >= 1, "provider.<name>.limiter.initial", ">= 1", initial);
            this.initial = initial;
        }

        public @Nullable Integer getMin() {
            return min;
        }

        public void setMin(@Nullable Integer min) {
            check(min == null || min >= 1, "provider.<name>.limiter.min", ">= 1", min);
            this.min = min;
        }

        boolean isSet() {
            return initial != null || min != null;
        }

        @Override
        public String toString() {
            return "[initial=" + initial + ", min=" + min + "]";
        }
    }

    /** Per-provider retry settings; each unset member uses the global one. */
    public static class RetryOverrides {

        /** Retries after the first attempt for calls to this provider. */
        private @Nullable Integer maxRetries;

        public @Nullable Integer getMaxRetries() {
            return maxRetries;
        }

        public void setMaxRetries(@Nullable Integer maxRetries) {
            check(maxRetries == null || maxRetries >= 0, "provider.<name>.retry.max-retries", ">= 0", maxRetries);
            this.maxRetries = maxRetries;
        }

        @Override
        public String toString() {
            return "[maxRetries=" + maxRetries + "]";
        }
    }
}
