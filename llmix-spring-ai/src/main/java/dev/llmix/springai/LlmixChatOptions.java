package dev.llmix.springai;

import dev.llmix.config.CachingStrategy;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.model.tool.DefaultToolCallingChatOptions;
import org.springframework.ai.model.tool.StructuredOutputChatOptions;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;

/**
 * Options of an {@link LlmixChatModel} call: which LLMix preset to call ({@code module}, {@code preset}), Spring AI's
 * portable generation options, tool callbacks and output schema, and LLMix extras. Every value left {@code null}
 * keeps the preset's value. Immutable; {@link #mutate()} returns a builder whose
 * {@link Builder#combineWith combineWith} follows Spring AI's merge rules and also takes the selection and extras of
 * another {@code LlmixChatOptions} builder.
 */
public final class LlmixChatOptions implements ToolCallingChatOptions, StructuredOutputChatOptions {

    private final @Nullable String module;
    private final @Nullable String preset;
    private final @Nullable String model;
    private final @Nullable Double temperature;
    private final @Nullable Integer maxTokens;
    private final @Nullable Double topP;
    private final @Nullable Integer topK;
    private final @Nullable Double presencePenalty;
    private final @Nullable Double frequencyPenalty;
    private final @Nullable List<String> stopSequences;
    private final @Nullable List<ToolCallback> toolCallbacks;
    private final @Nullable Map<String, Object> toolContext;
    private final @Nullable String outputSchema;
    private final @Nullable Long seed;
    private final @Nullable Boolean enableThinking;
    private final @Nullable Boolean keepThinkingOutput;
    private final @Nullable CachingStrategy caching;
    private final @Nullable String singleflightKey;
    private final @Nullable Map<String, Object> providerOptions;
    private final @Nullable Object responseFormat;
    private final @Nullable String toolChoice;
    private final @Nullable Boolean parallelToolCalls;

    private LlmixChatOptions(Builder b) {
        this.module = b.module;
        this.preset = b.preset;
        this.model = b.model();
        this.temperature = b.temperature();
        this.maxTokens = b.maxTokens();
        this.topP = b.topP();
        this.topK = b.topK();
        this.presencePenalty = b.presencePenalty();
        this.frequencyPenalty = b.frequencyPenalty();
        this.stopSequences = b.stopSequences() == null ? null : List.copyOf(b.stopSequences());
        this.toolCallbacks = b.toolCallbacks() == null ? null : List.copyOf(b.toolCallbacks());
        this.toolContext = b.toolContext() == null ? null : Collections.unmodifiableMap(new HashMap<>(b.toolContext()));
        this.outputSchema = b.outputSchema;
        this.seed = b.seed;
        this.enableThinking = b.enableThinking;
        this.keepThinkingOutput = b.keepThinkingOutput;
        this.caching = b.caching;
        this.singleflightKey = b.singleflightKey;
        this.providerOptions = b.providerOptions == null ? null
                : Collections.unmodifiableMap(new LinkedHashMap<>(b.providerOptions));
        this.responseFormat = b.responseFormat;
        this.toolChoice = b.toolChoice;
        this.parallelToolCalls = b.parallelToolCalls;
    }

    /** A builder with nothing set. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this object's values. */
    @Override
    public Builder mutate() {
        Builder b = new Builder().module(module).preset(preset).model(model).temperature(temperature)
                .maxTokens(maxTokens).topP(topP).topK(topK).presencePenalty(presencePenalty)
                .frequencyPenalty(frequencyPenalty).stopSequences(stopSequences).toolCallbacks(toolCallbacks)
                .toolContext(toolContext).outputSchema(outputSchema).seed(seed).enableThinking(enableThinking)
                .keepThinkingOutput(keepThinkingOutput).caching(caching).singleflightKey(singleflightKey)
                .responseFormat(responseFormat).toolChoice(toolChoice).parallelToolCalls(parallelToolCalls);
        b.providerOptions = providerOptions == null ? null : new LinkedHashMap<>(providerOptions);
        return b;
    }

    /** Module of the preset to call; {@code null} falls back to the model's defaults. */
    public @Nullable String getModule() { return module; }
    /** Name of the preset to call; {@code null} falls back to the model's defaults. */
    public @Nullable String getPreset() { return preset; }
    @Override public @Nullable String getModel() { return model; }
    @Override public @Nullable Double getTemperature() { return temperature; }
    @Override public @Nullable Integer getMaxTokens() { return maxTokens; }
    @Override public @Nullable Double getTopP() { return topP; }
    @Override public @Nullable Integer getTopK() { return topK; }
    @Override public @Nullable Double getPresencePenalty() { return presencePenalty; }
    @Override public @Nullable Double getFrequencyPenalty() { return frequencyPenalty; }
    @Override public @Nullable List<String> getStopSequences() { return stopSequences; }
    @Override public @Nullable List<ToolCallback> getToolCallbacks() { return toolCallbacks; }
    @Override public @Nullable Map<String, Object> getToolContext() { return toolContext; }
    @Override public @Nullable String getOutputSchema() { return outputSchema; }
    /** Sampling seed, for providers that take one. */
    public @Nullable Long getSeed() { return seed; }
    /** Asks the provider for thinking output where the preset's provider supports it. */
    public @Nullable Boolean getEnableThinking() { return enableThinking; }
    /** Keeps {@code <think>} blocks in the text instead of stripping them into {@code llmix.thinkingContent}. */
    public @Nullable Boolean getKeepThinkingOutput() { return keepThinkingOutput; }
    /** The response-caching strategy for this call, e.g. {@link CachingStrategy#DISABLED}. */
    public @Nullable CachingStrategy getCaching() { return caching; }
    /** Explicit singleflight key; {@code null} lets LLMix derive one from the request. */
    public @Nullable String getSingleflightKey() { return singleflightKey; }
    /** Provider option objects by provider name; each replaces the preset's entry of the same name. */
    public @Nullable Map<String, Object> getProviderOptions() { return providerOptions; }
    /** A response format such as {@code "json"}; an output schema wins over it. */
    public @Nullable Object getResponseFormat() { return responseFormat; }
    /** {@code auto}, {@code none}, {@code required} or the name of the one tool to call. */
    public @Nullable String getToolChoice() { return toolChoice; }
    /** Whether the model may call several tools in one turn. */
    public @Nullable Boolean getParallelToolCalls() { return parallelToolCalls; }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof LlmixChatOptions that
                && Objects.equals(module, that.module) && Objects.equals(preset, that.preset)
                && Objects.equals(model, that.model) && Objects.equals(temperature, that.temperature)
                && Objects.equals(maxTokens, that.maxTokens) && Objects.equals(topP, that.topP)
                && Objects.equals(topK, that.topK) && Objects.equals(presencePenalty, that.presencePenalty)
                && Objects.equals(frequencyPenalty, that.frequencyPenalty)
                && Objects.equals(stopSequences, that.stopSequences)
                && Objects.equals(toolCallbacks, that.toolCallbacks) && Objects.equals(toolContext, that.toolContext)
                && Objects.equals(outputSchema, that.outputSchema) && Objects.equals(seed, that.seed)
                && Objects.equals(enableThinking, that.enableThinking)
                && Objects.equals(keepThinkingOutput, that.keepThinkingOutput) && caching == that.caching
                && Objects.equals(singleflightKey, that.singleflightKey)
                && Objects.equals(providerOptions, that.providerOptions)
                && Objects.equals(responseFormat, that.responseFormat) && Objects.equals(toolChoice, that.toolChoice)
                && Objects.equals(parallelToolCalls, that.parallelToolCalls);
    }

    @Override
    public int hashCode() {
        return Objects.hash(module, preset, model, temperature, maxTokens, topP, topK, presencePenalty,
                frequencyPenalty, stopSequences, toolCallbacks, toolContext, outputSchema, seed, enableThinking,
                keepThinkingOutput, caching, singleflightKey, providerOptions, responseFormat, toolChoice,
                parallelToolCalls);
    }

    // No provider option values or tool context: they may hold application data.
    @Override
    public String toString() {
        return "LlmixChatOptions[module=" + module + ", preset=" + preset + ", model=" + model + ", temperature="
                + temperature + ", maxTokens=" + maxTokens + ", topP=" + topP + ", topK=" + topK
                + ", stopSequences=" + stopSequences + ", tools=" + (toolCallbacks == null ? 0 : toolCallbacks.size())
                + ", outputSchema=" + (outputSchema != null) + ", caching=" + caching + "]";
    }

    /**
     * Builder of {@link LlmixChatOptions}. It is Spring AI's tool-calling options builder (so {@code ChatClient}'s
     * merge keeps portable values, tool callbacks and tool context) and a structured-output builder.
     */
    public static final class Builder extends DefaultToolCallingChatOptions.Builder<Builder>
            implements StructuredOutputChatOptions.Builder<Builder> {

        private @Nullable String module;
        private @Nullable String preset;
        private @Nullable String outputSchema;
        private @Nullable Long seed;
        private @Nullable Boolean enableThinking;
        private @Nullable Boolean keepThinkingOutput;
        private @Nullable CachingStrategy caching;
        private @Nullable String singleflightKey;
        private @Nullable Map<String, Object> providerOptions;
        private @Nullable Object responseFormat;
        private @Nullable String toolChoice;
        private @Nullable Boolean parallelToolCalls;

        /** An empty builder; see {@link LlmixChatOptions#builder()}. */
        public Builder() {
        }

        /** Module of the preset to call. */
        public Builder module(@Nullable String v) { module = v; return this; }
        /** Name of the preset to call. */
        public Builder preset(@Nullable String v) { preset = v; return this; }
        @Override public Builder outputSchema(@Nullable String v) { outputSchema = v; return this; }
        /** Sampling seed. */
        public Builder seed(@Nullable Long v) { seed = v; return this; }
        /** Asks for thinking output. */
        public Builder enableThinking(@Nullable Boolean v) { enableThinking = v; return this; }
        /** Keeps {@code <think>} blocks in the text. */
        public Builder keepThinkingOutput(@Nullable Boolean v) { keepThinkingOutput = v; return this; }
        /** Response-caching strategy of the call. */
        public Builder caching(@Nullable CachingStrategy v) { caching = v; return this; }
        /** Explicit singleflight key. */
        public Builder singleflightKey(@Nullable String v) { singleflightKey = v; return this; }
        /** Provider option objects by provider name. */
        public Builder providerOptions(@Nullable Map<String, ?> v) {
            providerOptions = v == null ? null : new LinkedHashMap<>(v);
            return this;
        }
        /** A response format JSON value such as {@code "json"}. */
        public Builder responseFormat(@Nullable Object v) { responseFormat = v; return this; }
        /** {@code auto}, {@code none}, {@code required} or a tool name. */
        public Builder toolChoice(@Nullable String v) { toolChoice = v; return this; }
        /** Whether several tool calls per turn are allowed. */
        public Builder parallelToolCalls(@Nullable Boolean v) { parallelToolCalls = v; return this; }

        // Typed overrides so chains keep this builder's type whichever super-interface a caller holds.
        @Override public Builder model(@Nullable String v) { return super.model(v); }
        @Override public Builder temperature(@Nullable Double v) { return super.temperature(v); }
        @Override public Builder maxTokens(@Nullable Integer v) { return super.maxTokens(v); }
        @Override public Builder topP(@Nullable Double v) { return super.topP(v); }
        @Override public Builder topK(@Nullable Integer v) { return super.topK(v); }
        @Override public Builder presencePenalty(@Nullable Double v) { return super.presencePenalty(v); }
        @Override public Builder frequencyPenalty(@Nullable Double v) { return super.frequencyPenalty(v); }
        @Override public Builder stopSequences(@Nullable List<String> v) { return super.stopSequences(v); }
        @Override public Builder toolCallbacks(@Nullable List<ToolCallback> v) { return super.toolCallbacks(v); }
        @Override public Builder toolCallbacks(ToolCallback... v) { return super.toolCallbacks(v); }
        @Override public Builder toolContext(@Nullable Map<String, Object> v) { return super.toolContext(v); }

        @Nullable String model() { return model; }
        @Nullable Double temperature() { return temperature; }
        @Nullable Integer maxTokens() { return maxTokens; }
        @Nullable Double topP() { return topP; }
        @Nullable Integer topK() { return topK; }
        @Nullable Double presencePenalty() { return presencePenalty; }
        @Nullable Double frequencyPenalty() { return frequencyPenalty; }
        @Nullable List<String> stopSequences() { return stopSequences; }
        @Nullable List<ToolCallback> toolCallbacks() { return toolCallbacks; }
        @Nullable Map<String, Object> toolContext() { return toolContext; }

        /**
         * Takes {@code other}'s non-null values as Spring AI does (stop sequences and tool callbacks appended, tool
         * context merged); from another {@code LlmixChatOptions} builder also its selection, output schema and
         * extras, with provider options merged per provider name.
         */
        @Override
        public Builder combineWith(ChatOptions.Builder<?> other) {
            super.combineWith(other);
            if (other instanceof Builder that) {
                if (that.module != null) module = that.module;
                if (that.preset != null) preset = that.preset;
                if (that.outputSchema != null) outputSchema = that.outputSchema;
                if (that.seed != null) seed = that.seed;
                if (that.enableThinking != null) enableThinking = that.enableThinking;
                if (that.keepThinkingOutput != null) keepThinkingOutput = that.keepThinkingOutput;
                if (that.caching != null) caching = that.caching;
                if (that.singleflightKey != null) singleflightKey = that.singleflightKey;
                if (that.responseFormat != null) responseFormat = that.responseFormat;
                if (that.toolChoice != null) toolChoice = that.toolChoice;
                if (that.parallelToolCalls != null) parallelToolCalls = that.parallelToolCalls;
                if (that.providerOptions != null) {
                    Map<String, Object> merged = providerOptions == null ? new LinkedHashMap<>()
                            : new LinkedHashMap<>(providerOptions);
                    merged.putAll(that.providerOptions);
                    providerOptions = merged;
                }
            }
            return this;
        }

        /** A deep copy: every collection is copied. */
        @Override
        public Builder clone() {
            Builder copy = super.clone();
            copy.providerOptions = providerOptions == null ? null : new LinkedHashMap<>(providerOptions);
            return copy;
        }

        @Override
        public LlmixChatOptions build() {
            return new LlmixChatOptions(this);
        }
    }
}
