package dev.llmix.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.llmix.internal.JsonDepth;
import dev.llmix.internal.JsonValues;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A resolved preset: which provider and model to call, with which parameters, and how to cache and time the call.
 * It is what {@code .mda} projection and the config registry produce and what {@code CallPipeline} consumes. Its JSON
 * form is the camelCase shape stored as resolved JSON in a published registry; {@code null} fields are absent.
 * Instances are deeply immutable.
 *
 * @param provider        provider name, e.g. {@code openai}, {@code anthropic}, {@code sno-gpu}; required
 * @param model           model id; required
 * @param baseUrl         an explicit provider base URL, or {@code null} for the provider's default
 * @param responseFormat  a JSON value ({@code "json"} or an object such as {@code {"type":"json_schema",…}}), or null
 * @param common          provider-neutral parameters, or {@code null} when the preset sets none
 * @param providerOptions per-provider option objects keyed by provider name, or {@code null}
 * @param timeout         timeouts in seconds, or {@code null}
 * @param caching         caching strategy; {@code null} means {@code disabled}
 * @param description     a human description of the preset
 * @param deprecated      whether the preset is deprecated
 * @param tags            free-form tags, or {@code null}
 * @param bypassGateway   legacy gateway flag, kept so old presets still load
 * @throws InvalidConfigException when {@code responseFormat} or {@code providerOptions} nests deeper than
 *                                {@link JsonDepth#MAX_DEPTH} levels
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LlmConfig(
        String provider,
        String model,
        @Nullable String baseUrl,
        @Nullable Object responseFormat,
        @Nullable CommonParams common,
        @Nullable Map<String, @Nullable Object> providerOptions,
        @Nullable TimeoutConfig timeout,
        @Nullable CachingConfig caching,
        @Nullable String description,
        @Nullable Boolean deprecated,
        @Nullable List<String> tags,
        @Nullable Boolean bypassGateway) {

    public LlmConfig {
        Objects.requireNonNull(provider, "provider is required");
        Objects.requireNonNull(model, "model is required");
        // Checked before the recursive freeze: thousands of levels (or a value containing itself) fail typed.
        if (JsonDepth.exceeds(responseFormat, JsonDepth.MAX_DEPTH)) {
            throw new InvalidConfigException("responseFormat is nested deeper than " + JsonDepth.MAX_DEPTH + " levels");
        }
        if (JsonDepth.exceeds(providerOptions, JsonDepth.MAX_DEPTH)) {
            throw new InvalidConfigException("providerOptions is nested deeper than " + JsonDepth.MAX_DEPTH + " levels");
        }
        responseFormat = JsonValues.freeze(responseFormat);
        providerOptions = providerOptions == null ? null : JsonValues.freezeMap(providerOptions);
        tags = tags == null ? null : List.copyOf(tags);
    }

    /** The common parameters, or {@link CommonParams#EMPTY} when none are set. */
    @JsonIgnore
    public CommonParams commonOrEmpty() {
        return common == null ? CommonParams.EMPTY : common;
    }

    /** The caching strategy, {@link CachingStrategy#DISABLED} when the preset has no caching block. */
    @JsonIgnore
    public CachingStrategy cachingStrategy() {
        return caching == null ? CachingStrategy.DISABLED : caching.strategy();
    }

    /** A builder for a config of the given provider and model. */
    public static Builder builder(String provider, String model) {
        return new Builder(provider, model);
    }

    /** A builder pre-filled with this config, for runtime overrides. */
    public Builder toBuilder() {
        Builder b = new Builder(provider, model);
        b.baseUrl = baseUrl;
        b.responseFormat = responseFormat;
        b.common = common;
        b.providerOptions = providerOptions;
        b.timeout = timeout;
        b.caching = caching;
        b.description = description;
        b.deprecated = deprecated;
        b.tags = tags;
        b.bypassGateway = bypassGateway;
        return b;
    }

    /** Builder for {@link LlmConfig}; every optional setter accepts {@code null} to unset. */
    public static final class Builder {
        private String provider;
        private String model;
        private @Nullable String baseUrl;
        private @Nullable Object responseFormat;
        private @Nullable CommonParams common;
        private @Nullable Map<String, @Nullable Object> providerOptions;
        private @Nullable TimeoutConfig timeout;
        private @Nullable CachingConfig caching;
        private @Nullable String description;
        private @Nullable Boolean deprecated;
        private @Nullable List<String> tags;
        private @Nullable Boolean bypassGateway;

        private Builder(String provider, String model) {
            this.provider = provider;
            this.model = model;
        }

        public Builder provider(String v) { provider = v; return this; }
        public Builder model(String v) { model = v; return this; }
        public Builder baseUrl(@Nullable String v) { baseUrl = v; return this; }
        public Builder responseFormat(@Nullable Object v) { responseFormat = v; return this; }
        public Builder common(@Nullable CommonParams v) { common = v; return this; }
        public Builder providerOptions(@Nullable Map<String, @Nullable Object> v) { providerOptions = v; return this; }
        public Builder timeout(@Nullable TimeoutConfig v) { timeout = v; return this; }
        public Builder caching(@Nullable CachingConfig v) { caching = v; return this; }
        public Builder caching(CachingStrategy v) { caching = CachingConfig.of(v); return this; }
        public Builder description(@Nullable String v) { description = v; return this; }
        public Builder deprecated(@Nullable Boolean v) { deprecated = v; return this; }
        public Builder tags(@Nullable List<String> v) { tags = v; return this; }
        public Builder bypassGateway(@Nullable Boolean v) { bypassGateway = v; return this; }

        public LlmConfig build() {
            return new LlmConfig(provider, model, baseUrl, responseFormat, common, providerOptions, timeout, caching,
                    description, deprecated, tags, bypassGateway);
        }
    }
}
