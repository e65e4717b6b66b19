package dev.llmix.provider.http;

import dev.llmix.keys.ApiKeys;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Immutable settings shared by the HTTP adapters: an adapter-level base URL, timeouts, the response size limit, the
 * {@link HttpClient} (or the executor to build one with), extra headers, the environment lookup used for key
 * fallbacks, and the Anthropic and sno-gpu specifics. {@link #toString()} never shows the internal token.
 */
public final class AdapterOptions {

    /** Connect timeout used when the adapter builds its own client. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Request timeout when the preset has no {@code timeout.totalTime} (every adapter but sno-gpu). */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(120);
    /** sno-gpu's default request timeout: longer than the gateway's own 900 s proxy limit. */
    public static final Duration SNO_GPU_DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(960);
    /** Largest response body read into memory. */
    public static final long DEFAULT_MAX_RESPONSE_BYTES = 16L * 1024 * 1024;
    /** The {@code anthropic-version} header value. */
    public static final String DEFAULT_ANTHROPIC_VERSION = "2023-06-01";
    /** Anthropic {@code max_tokens} when kwargs carry no token cap. */
    public static final int DEFAULT_ANTHROPIC_MAX_TOKENS = 1024;
    /** The {@code User-Agent} sent with every request. */
    public static final String DEFAULT_USER_AGENT = "llmix-java/0.1";
    /** Default bound of one streamed SSE line or event's data, in bytes. */
    public static final int DEFAULT_MAX_STREAM_EVENT_BYTES = 1024 * 1024;

    private static final AdapterOptions DEFAULTS = builder().build();

    private final @Nullable String baseUrl;
    private final Duration connectTimeout;
    private final @Nullable Duration defaultTimeout;
    private final long maxResponseBytes;
    private final @Nullable HttpClient httpClient;
    private final @Nullable Executor executor;
    private final Function<String, @Nullable String> env;
    private final Map<String, String> defaultHeaders;
    private final @Nullable String internalToken;
    private final String anthropicVersion;
    private final int anthropicDefaultMaxTokens;
    private final String userAgent;
    private final int maxStreamEventBytes;
    private final boolean streamIncludeUsage;

    private AdapterOptions(Builder b) {
        this.baseUrl = b.baseUrl == null || b.baseUrl.isBlank() ? null : b.baseUrl.strip();
        this.connectTimeout = positive(b.connectTimeout, "connectTimeout");
        this.defaultTimeout = b.defaultTimeout == null ? null : positive(b.defaultTimeout, "defaultTimeout");
        if (b.maxResponseBytes < 1) {
            throw new IllegalArgumentException("maxResponseBytes must be positive, got " + b.maxResponseBytes);
        }
        this.maxResponseBytes = b.maxResponseBytes;
        this.httpClient = b.httpClient;
        this.executor = b.executor;
        this.env = b.env;
        this.defaultHeaders = Collections.unmodifiableMap(new LinkedHashMap<>(b.defaultHeaders));
        this.internalToken = b.internalToken == null || b.internalToken.isBlank() ? null : b.internalToken.strip();
        if (b.anthropicVersion.isBlank()) {
            throw new AdapterConfigException("anthropic version must not be empty");
        }
        this.anthropicVersion = b.anthropicVersion.strip();
        if (b.anthropicDefaultMaxTokens < 1) {
            throw new IllegalArgumentException(
                    "anthropicDefaultMaxTokens must be positive, got " + b.anthropicDefaultMaxTokens);
        }
        this.anthropicDefaultMaxTokens = b.anthropicDefaultMaxTokens;
        this.userAgent = b.userAgent;
        if (b.maxStreamEventBytes < 1024) {
            throw new IllegalArgumentException("maxStreamEventBytes must be >= 1024, got " + b.maxStreamEventBytes);
        }
        this.maxStreamEventBytes = b.maxStreamEventBytes;
        this.streamIncludeUsage = b.streamIncludeUsage;
    }

    private static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
        return d;
    }

    /** The defaults: no base URL override, 10 s connect, 120 s (sno-gpu 960 s) requests, 16 MiB responses. */
    public static AdapterOptions defaults() {
        return DEFAULTS;
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder pre-filled with these options. */
    /**
     * These options with an {@link HttpClient} of their own (built from the connect timeout and executor) unless
     * they already carry one, so several adapters built from the result share one client.
     */
    public AdapterOptions withSharedClient() {
        return httpClient != null ? this : toBuilder().httpClient(HttpTransport.newClient(this)).build();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.baseUrl = baseUrl;
        b.connectTimeout = connectTimeout;
        b.defaultTimeout = defaultTimeout;
        b.maxResponseBytes = maxResponseBytes;
        b.httpClient = httpClient;
        b.executor = executor;
        b.env = env;
        b.defaultHeaders.putAll(defaultHeaders);
        b.internalToken = internalToken;
        b.anthropicVersion = anthropicVersion;
        b.anthropicDefaultMaxTokens = anthropicDefaultMaxTokens;
        b.userAgent = userAgent;
        b.maxStreamEventBytes = maxStreamEventBytes;
        b.streamIncludeUsage = streamIncludeUsage;
        return b;
    }

    /** Adapter-level base URL, used after {@code kwargs.baseUrl} and {@code config.baseUrl}; null for the default. */
    public @Nullable String baseUrl() {
        return baseUrl;
    }

    /** Connect timeout of a client the adapter builds itself (a supplied client keeps its own). */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** Request timeout when the preset sets none; null means the adapter's default (120 s, sno-gpu 960 s). */
    public @Nullable Duration defaultTimeout() {
        return defaultTimeout;
    }

    /** Largest response body accepted; a bigger one fails the call without being buffered. */
    public long maxResponseBytes() {
        return maxResponseBytes;
    }

    /** A shared client to use, or null to build one. */
    public @Nullable HttpClient httpClient() {
        return httpClient;
    }

    /**
     * Executor for a client the adapter builds itself, or null for the shared bounded one ({@code max(2, cores)} daemon
     * threads; the JDK default would be an unbounded cached pool).
     */
    public @Nullable Executor executor() {
        return executor;
    }

    /** Environment lookup used for API key and {@code GPU_BASE_URL} fallbacks. */
    public Function<String, @Nullable String> env() {
        return env;
    }

    /** Headers added to every request (after the defaults, before the auth headers). */
    public Map<String, String> defaultHeaders() {
        return defaultHeaders;
    }

    /** sno-gpu gateway token; when null the dispatch key (or {@code SNO_LLM_API_KEY}) is sent instead. */
    public @Nullable String internalToken() {
        return internalToken;
    }

    /** Value of the {@code anthropic-version} header. */
    public String anthropicVersion() {
        return anthropicVersion;
    }

    /** Anthropic {@code max_tokens} when kwargs carry none. */
    public int anthropicDefaultMaxTokens() {
        return anthropicDefaultMaxTokens;
    }

    /** Largest streamed SSE line or event data accepted, in bytes. */
    public int maxStreamEventBytes() {
        return maxStreamEventBytes;
    }

    /** Whether streamed OpenAI-compatible requests ask for a usage chunk ({@code stream_options.include_usage}). */
    public boolean streamIncludeUsage() {
        return streamIncludeUsage;
    }

    /** The {@code User-Agent} header. */
    public String userAgent() {
        return userAgent;
    }

    @Override
    public String toString() {
        return "AdapterOptions[baseUrl=" + baseUrl + ", connectTimeout=" + connectTimeout + ", defaultTimeout="
                + defaultTimeout + ", maxResponseBytes=" + maxResponseBytes + ", sharedClient=" + (httpClient != null)
                + ", defaultHeaders=" + defaultHeaders.keySet() + ", internalToken="
                + (internalToken == null ? "<none>" : ApiKeys.mask(internalToken)) + ", anthropicVersion="
                + anthropicVersion + ", anthropicDefaultMaxTokens=" + anthropicDefaultMaxTokens + "]";
    }

    /** Builder for {@link AdapterOptions}. */
    public static final class Builder {
        private @Nullable String baseUrl;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private @Nullable Duration defaultTimeout;
        private long maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
        private @Nullable HttpClient httpClient;
        private @Nullable Executor executor;
        private Function<String, @Nullable String> env = System::getenv;
        private final Map<String, String> defaultHeaders = new LinkedHashMap<>();
        private @Nullable String internalToken;
        private String anthropicVersion = DEFAULT_ANTHROPIC_VERSION;
        private int anthropicDefaultMaxTokens = DEFAULT_ANTHROPIC_MAX_TOKENS;
        private String userAgent = DEFAULT_USER_AGENT;
        private int maxStreamEventBytes = DEFAULT_MAX_STREAM_EVENT_BYTES;
        private boolean streamIncludeUsage = true;

        private Builder() {
        }

        /** Adapter-level base URL (blank = none). */
        public Builder baseUrl(@Nullable String v) { baseUrl = v; return this; }

        /** Connect timeout for a client the adapter builds. */
        public Builder connectTimeout(Duration v) { connectTimeout = v; return this; }

        /** Request timeout when the preset sets none (null = adapter default). */
        public Builder defaultTimeout(@Nullable Duration v) { defaultTimeout = v; return this; }

        /** Largest response body accepted, in bytes. */
        public Builder maxResponseBytes(long v) { maxResponseBytes = v; return this; }

        /** A shared client (its own connect timeout, executor and proxy settings apply). */
        public Builder httpClient(@Nullable HttpClient v) { httpClient = v; return this; }

        /** Executor for a client the adapter builds. */
        public Builder executor(@Nullable Executor v) { executor = v; return this; }

        /** Environment lookup (tests inject a map; default {@code System::getenv}). */
        public Builder env(Function<String, @Nullable String> v) { env = Objects.requireNonNull(v, "env"); return this; }

        /** Adds a header sent with every request; auth and content headers cannot be replaced this way. */
        public Builder defaultHeader(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            defaultHeaders.put(name, value);
            return this;
        }

        /** sno-gpu gateway token. */
        public Builder internalToken(@Nullable String v) { internalToken = v; return this; }

        /** {@code anthropic-version} header value; blank is rejected. */
        public Builder anthropicVersion(String v) { anthropicVersion = Objects.requireNonNull(v, "anthropicVersion"); return this; }

        /** Anthropic default {@code max_tokens}. */
        public Builder anthropicDefaultMaxTokens(int v) { anthropicDefaultMaxTokens = v; return this; }

        /** {@code User-Agent} header value. */
        public Builder userAgent(String v) { userAgent = Objects.requireNonNull(v, "userAgent"); return this; }

        /** Largest streamed SSE line or event data, in bytes; at least 1024 (default 1 MiB). */
        public Builder maxStreamEventBytes(int v) { maxStreamEventBytes = v; return this; }

        /** Whether streamed OpenAI-compatible requests ask for usage (default true). */
        public Builder streamIncludeUsage(boolean v) { streamIncludeUsage = v; return this; }

        /** Validates and builds the options. */
        public AdapterOptions build() {
            for (String name : defaultHeaders.keySet()) {
                String lower = name.toLowerCase(Locale.ROOT);
                if (HttpTransport.PROTECTED_HEADERS.contains(lower)) {
                    throw new IllegalArgumentException("default header " + name + " cannot be set");
                }
            }
            return new AdapterOptions(this);
        }
    }
}
