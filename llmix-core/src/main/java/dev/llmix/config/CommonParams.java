package dev.llmix.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The provider-neutral generation parameters of a preset ({@code common} in the preset, minus provider and model).
 * Every field is optional; {@code null} means "not set" and is never sent to a provider. Numbers keep the type they
 * were given (an integer seed stays an integer on the wire).
 *
 * @param temperature        sampling temperature, 0–2
 * @param maxOutputTokens    output token cap (sent as {@code max_tokens})
 * @param topP               nucleus sampling, 0–1
 * @param topK               top-k sampling, positive
 * @param presencePenalty    presence penalty
 * @param frequencyPenalty   frequency penalty
 * @param stopSequences      stop sequences, in order
 * @param seed               sampling seed
 * @param maxRetries         per-preset retries: validated, not applied (the pipeline's own setting counts; loading warns)
 * @param enableThinking     ask a reasoning-capable provider to think
 * @param keepThinkingOutput return {@code <think>} blocks to the caller instead of stripping them
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CommonParams(
        @Nullable Number temperature,
        @Nullable Number maxOutputTokens,
        @Nullable Number topP,
        @Nullable Number topK,
        @Nullable Number presencePenalty,
        @Nullable Number frequencyPenalty,
        @Nullable List<String> stopSequences,
        @Nullable Number seed,
        @Nullable Integer maxRetries,
        @Nullable Boolean enableThinking,
        @Nullable Boolean keepThinkingOutput) {

    /** Parameters with nothing set. */
    public static final CommonParams EMPTY = new CommonParams(null, null, null, null, null, null, null, null, null,
            null, null);

    public CommonParams {
        stopSequences = stopSequences == null ? null : List.copyOf(stopSequences);
    }

    /** True when no parameter is set. */
    @JsonIgnore
    public boolean isEmpty() {
        return equals(EMPTY);
    }

    /** True when {@code keepThinkingOutput} is set to {@code true}. */
    @JsonIgnore
    public boolean keepsThinkingOutput() {
        return Boolean.TRUE.equals(keepThinkingOutput);
    }

    /** A builder starting from nothing. */
    public static Builder builder() {
        return new Builder(EMPTY);
    }

    /** A builder starting from these parameters, for derived copies. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Builder for {@link CommonParams}; every setter accepts {@code null} to unset. */
    public static final class Builder {
        private @Nullable Number temperature;
        private @Nullable Number maxOutputTokens;
        private @Nullable Number topP;
        private @Nullable Number topK;
        private @Nullable Number presencePenalty;
        private @Nullable Number frequencyPenalty;
        private @Nullable List<String> stopSequences;
        private @Nullable Number seed;
        private @Nullable Integer maxRetries;
        private @Nullable Boolean enableThinking;
        private @Nullable Boolean keepThinkingOutput;

        private Builder(CommonParams from) {
            temperature = from.temperature;
            maxOutputTokens = from.maxOutputTokens;
            topP = from.topP;
            topK = from.topK;
            presencePenalty = from.presencePenalty;
            frequencyPenalty = from.frequencyPenalty;
            stopSequences = from.stopSequences;
            seed = from.seed;
            maxRetries = from.maxRetries;
            enableThinking = from.enableThinking;
            keepThinkingOutput = from.keepThinkingOutput;
        }

        public Builder temperature(@Nullable Number v) { temperature = v; return this; }
        public Builder maxOutputTokens(@Nullable Number v) { maxOutputTokens = v; return this; }
        public Builder topP(@Nullable Number v) { topP = v; return this; }
        public Builder topK(@Nullable Number v) { topK = v; return this; }
        public Builder presencePenalty(@Nullable Number v) { presencePenalty = v; return this; }
        public Builder frequencyPenalty(@Nullable Number v) { frequencyPenalty = v; return this; }
        public Builder stopSequences(@Nullable List<String> v) { stopSequences = v; return this; }
        public Builder seed(@Nullable Number v) { seed = v; return this; }
        public Builder maxRetries(@Nullable Integer v) { maxRetries = v; return this; }
        public Builder enableThinking(@Nullable Boolean v) { enableThinking = v; return this; }
        public Builder keepThinkingOutput(@Nullable Boolean v) { keepThinkingOutput = v; return this; }

        public CommonParams build() {
            return new CommonParams(temperature, maxOutputTokens, topP, topK, presencePenalty, frequencyPenalty,
                    stopSequences, seed, maxRetries, enableThinking, keepThinkingOutput);
        }
    }
}
