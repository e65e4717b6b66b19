package dev.llmix.client;

import dev.llmix.config.CachingConfig;
import dev.llmix.config.CachingStrategy;
import dev.llmix.config.CommonParams;
import dev.llmix.config.LlmConfig;
import dev.llmix.internal.JsonValues;
import dev.llmix.tools.Tool;
import dev.llmix.tools.ToolChoice;
import dev.llmix.tools.ToolSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Runtime overrides for one call: a different model, common generation parameters, provider options, caching strategy
 * an explicit singleflight key, or tools ({@link #toolSet()}, docs/tools.md). Unset options keep the preset's value. Provider options are merged per provider
 * name: an override for {@code openai} replaces the preset's {@code openai} object and leaves other providers alone.
 * Instances are immutable; build them with {@link #builder()}.
 */
public final class CallOptions {

    private static final CallOptions NONE = builder().build();
    /** Tool keys that provider options used to carry and that were silently dropped. */
    private static final List<String> UNSUPPORTED_TOOL_OPTIONS = List.of("tools", "toolChoice", "tool_choice",
            "functionDeclarations", "toolConfig");

    private final @Nullable String model;
    private final @Nullable String baseUrl;
    private final CommonParams common;
    private final @Nullable Object responseFormat;
    private final @Nullable Map<String, @Nullable Object> providerOptions;
    private final @Nullable CachingStrategy cachingStrategy;
    private final @Nullable String singleflightKey;
    private final @Nullable ToolSet toolSet;

    private CallOptions(Builder b) {
        this.model = b.model;
        this.baseUrl = b.baseUrl;
        this.common = b.common.build();
        this.responseFormat = JsonValues.freeze(b.responseFormat);
        this.providerOptions = b.providerOptions == null ? null : JsonValues.freezeMap(b.providerOptions);
        this.cachingStrategy = b.cachingStrategy;
        this.singleflightKey = b.singleflightKey;
        this.toolSet = toolSet(b);
    }

    private static @Nullable ToolSet toolSet(Builder b) {
        if (b.providerOptions != null) {
            b.providerOptions.forEach((provider, value) -> {
                if (value instanceof Map<?, ?> opts) {
                    for (String key : UNSUPPORTED_TOOL_OPTIONS) {
                        if (opts.containsKey(key)) {
                            throw new IllegalArgumentException("providerOptions." + provider + "." + key
                                    + " is not supported; use CallOptions.tools()/toolChoice()");
                        }
                    }
                }
            });
        }
        if (b.tools == null || b.tools.isEmpty()) {
            if (b.toolChoice != null || b.parallelToolCalls != null) {
                throw new IllegalArgumentException("toolChoice/parallelToolCalls require at least one tool");
            }
            return null;
        }
        return new ToolSet(b.tools, b.toolChoice, b.parallelToolCalls);
    }

    /** The tools of the call with their choice and parallel flag, or {@code null} when no tool was given. */
    public @Nullable ToolSet toolSet() {
        return toolSet;
    }

    /** The caching strategy override, or {@code null}. */
    @Nullable CachingStrategy cachingStrategy() {
        return cachingStrategy;
    }

    /** Whether a response format was set. */
    boolean hasResponseFormat() {
        return responseFormat != null;
    }

    /** Options that change nothing. */
    public static CallOptions none() {
        return NONE;
    }

    /** A builder with nothing set. */
    public static Builder builder() {
        return new Builder();
    }

    /** The explicit singleflight key, or {@code null} to let the pipeline derive one. */
    public @Nullable String singleflightKey() {
        return singleflightKey;
    }

    /** True when applying these options returns the preset unchanged. */
    public boolean isEmpty() {
        return model == null && baseUrl == null && common.isEmpty() && responseFormat == null
                && providerOptions == null && cachingStrategy == null;
    }

    /** Returns {@code preset} with these overrides applied; {@code preset} itself is never modified. */
    public LlmConfig applyTo(LlmConfig preset) {
        Objects.requireNonNull(preset, "preset");
        if (isEmpty()) {
            return preset;
        }
        LlmConfig.Builder b = preset.toBuilder();
        if (model != null) {
            b.model(model);
        }
        if (baseUrl != null) {
            b.baseUrl(baseUrl);
        }
        if (!common.isEmpty()) {
            b.common(mergeCommon(preset.commonOrEmpty(), common));
        }
        if (responseFormat != null) {
            b.responseFormat(responseFormat);
        }
        if (providerOptions != null) {
            Map<String, @Nullable Object> merged = new LinkedHashMap<>();
            if (preset.providerOptions() != null) {
                merged.putAll(preset.providerOptions());
            }
            merged.putAll(providerOptions);
            b.providerOptions(merged);
        }
        if (cachingStrategy != null) {
            CachingConfig old = preset.caching();
            b.caching(old == null ? CachingConfig.of(cachingStrategy)
                    : new CachingConfig(cachingStrategy, old.key(), old.ttl(), old.maxItems()));
        }
        return b.build();
    }

    private static CommonParams mergeCommon(CommonParams base, CommonParams over) {
        CommonParams.Builder b = base.toBuilder();
        if (over.temperature() != null) b.temperature(over.temperature());
        if (over.maxOutputTokens() != null) b.maxOutputTokens(over.maxOutputTokens());
        if (over.topP() != null) b.topP(over.topP());
        if (over.topK() != null) b.topK(over.topK());
        if (over.presencePenalty() != null) b.presencePenalty(over.presencePenalty());
        if (over.frequencyPenalty() != null) b.frequencyPenalty(over.frequencyPenalty());
        if (over.stopSequences() != null) b.stopSequences(over.stopSequences());
        if (over.seed() != null) b.seed(over.seed());
        if (over.enableThinking() != null) b.enableThinking(over.enableThinking());
        if (over.keepThinkingOutput() != null) b.keepThinkingOutput(over.keepThinkingOutput());
        return b.build();
    }

    @Override
    public String toString() {
        return "CallOptions[model=" + model + ", baseUrl=" + baseUrl + ", common=" + common + ", providerOptions="
                + (providerOptions == null ? null : providerOptions.keySet()) + ", caching=" + cachingStrategy
                + ", singleflightKey=" + (singleflightKey != null)
                + ", tools=" + (toolSet == null ? null : toolSet.names()) + "]";
    }

    /** Builder for {@link CallOptions}; every setter accepts {@code null} to leave the preset's value. */
    public static final class Builder {
        private @Nullable String model;
        private @Nullable String baseUrl;
        private final CommonParams.Builder common = CommonParams.builder();
        private @Nullable Object responseFormat;
        private @Nullable Map<String, ?> providerOptions;
        private @Nullable CachingStrategy cachingStrategy;
        private @Nullable String singleflightKey;
        private @Nullable List<Tool> tools;
        private @Nullable ToolChoice toolChoice;
        private @Nullable Boolean parallelToolCalls;

        private Builder() {
        }

        /** Offers these tools to the model; an empty list or {@code null} means no tools. */
        public Builder tools(@Nullable List<Tool> v) { tools = v == null ? null : List.copyOf(v); return this; }
        /** Offers these tools to the model. */
        public Builder tools(Tool... v) { tools = List.of(v); return this; }
        /** How the model must use the tools; needs at least one tool. */
        public Builder toolChoice(@Nullable ToolChoice v) { toolChoice = v; return this; }
        /** {@code false} allows at most one tool call per turn; needs at least one tool. */
        public Builder parallelToolCalls(@Nullable Boolean v) { parallelToolCalls = v; return this; }

        /** Calls this model instead of the preset's. */
        public Builder model(@Nullable String v) { model = v; return this; }
        /** Sends the request to this base URL instead of the preset's. */
        public Builder baseUrl(@Nullable String v) { baseUrl = v; return this; }
        public Builder temperature(@Nullable Number v) { common.temperature(v); return this; }
        public Builder maxOutputTokens(@Nullable Number v) { common.maxOutputTokens(v); return this; }
        public Builder topP(@Nullable Number v) { common.topP(v); return this; }
        public Builder topK(@Nullable Number v) { common.topK(v); return this; }
        public Builder presencePenalty(@Nullable Number v) { common.presencePenalty(v); return this; }
        public Builder frequencyPenalty(@Nullable Number v) { common.frequencyPenalty(v); return this; }
        public Builder stopSequences(@Nullable List<String> v) { common.stopSequences(v); return this; }
        public Builder seed(@Nullable Number v) { common.seed(v); return this; }
        public Builder enableThinking(@Nullable Boolean v) { common.enableThinking(v); return this; }
        public Builder keepThinkingOutput(@Nullable Boolean v) { common.keepThinkingOutput(v); return this; }
        /** A JSON value such as {@code "json"} or {@code {"type":"json_schema",…}}. */
        public Builder responseFormat(@Nullable Object v) { responseFormat = v; return this; }
        /** Provider option objects keyed by provider name; each replaces the preset's entry of the same name. */
        public Builder providerOptions(@Nullable Map<String, ?> v) { providerOptions = v; return this; }
        /** Uses this caching strategy for the call, e.g. {@link CachingStrategy#DISABLED} to bypass the cache. */
        public Builder caching(@Nullable CachingStrategy v) { cachingStrategy = v; return this; }
        /** Deduplicates concurrent calls sharing this key (used verbatim); blank means derived from the request. */
        public Builder singleflightKey(@Nullable String v) { singleflightKey = v; return this; }

        /**
         * The options.
         *
         * @throws IllegalArgumentException for duplicate tool names, a tool choice or parallel flag without tools, a
         *                                  choice naming an unknown tool, or tool keys in provider options
         */
        public CallOptions build() {
            return new CallOptions(this);
        }
    }
}
