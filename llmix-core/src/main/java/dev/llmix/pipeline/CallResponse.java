package dev.llmix.pipeline;

import dev.llmix.spi.CacheHitTier;
import dev.llmix.spi.CallCost;
import dev.llmix.spi.LlmUsage;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.llmix.config.LlmConfig;
import dev.llmix.tools.ToolCall;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one pipeline call. Ordinary failures are responses with {@code success = false} and an
 * {@code error} message, never exceptions.
 *
 * @param content         the (thinking-stripped) content; {@code ""} on failure
 * @param model           the provider-reported model on a fresh success, otherwise the config's model
 * @param provider        the config's provider
 * @param usage           token usage; zero for failures and cache hits
 * @param success         whether the call produced content
 * @param error           the final error's message on failure, else {@code null}
 * @param thinkingContent the stripped {@code <think>} text, or {@code null}
 * @param cacheHit        the cache tier that served the call, or {@code null} for a fresh call
 * @param toolCalls       the provider's tool calls on a fresh success; never null, empty otherwise
 * @param finishReason    why the model stopped ({@code stop}, {@code length}, {@code tool_calls},
 *                        {@code content_filter}, {@code other}) on a fresh success, else {@code null}
 * @param refusal         the model's refusal text on a fresh success, else {@code null}
 * @param callFailure     the typed failure on failure (set by the pipeline and {@code LlmixClient}), else
 *                        {@code null}; read it through {@link #failure()}
 * @param attempts        for a call that went through a fallback chain past its first provider (or failed with a
 *                        chain configured), every provider tried in order; empty otherwise (docs/providers.md)
 * @param cost            what a fresh success cost when its model's price is known, else {@code null} (cache hits
 *                        cost nothing; docs/cost.md)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CallResponse(
        String content,
        String model,
        String provider,
        LlmUsage usage,
        boolean success,
        @Nullable String error,
        @Nullable String thinkingContent,
        @Nullable CacheHitTier cacheHit,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ToolCall> toolCalls,
        @Nullable String finishReason,
        @Nullable String refusal,
        @Nullable CallFailure callFailure,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<CallAttempt> attempts,
        @Nullable CallCost cost) {

    public CallResponse {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(usage, "usage");
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        attempts = attempts == null || attempts.isEmpty() ? List.of() : List.copyOf(attempts);
    }

    /** A response of one provider, without a list of fallback attempts and without a cost. */
    public CallResponse(String content, String model, String provider, LlmUsage usage, boolean success,
            @Nullable String error, @Nullable String thinkingContent, @Nullable CacheHitTier cacheHit,
            List<ToolCall> toolCalls, @Nullable String finishReason, @Nullable String refusal,
            @Nullable CallFailure callFailure) {
        this(content, model, provider, usage, success, error, thinkingContent, cacheHit, toolCalls, finishReason,
                refusal, callFailure, List.of(), null);
    }

    /** A response with the providers a fallback chain tried, without a cost. */
    public CallResponse(String content, String model, String provider, LlmUsage usage, boolean success,
            @Nullable String error, @Nullable String thinkingContent, @Nullable CacheHitTier cacheHit,
            List<ToolCall> toolCalls, @Nullable String finishReason, @Nullable String refusal,
            @Nullable CallFailure callFailure, List<CallAttempt> attempts) {
        this(content, model, provider, usage, success, error, thinkingContent, cacheHit, toolCalls, finishReason,
                refusal, callFailure, attempts, null);
    }

    /** A response of one provider with its cost, without a list of fallback attempts. */
    public CallResponse(String content, String model, String provider, LlmUsage usage, boolean success,
            @Nullable String error, @Nullable String thinkingContent, @Nullable CacheHitTier cacheHit,
            List<ToolCall> toolCalls, @Nullable String finishReason, @Nullable String refusal,
            @Nullable CallFailure callFailure, @Nullable CallCost cost) {
        this(content, model, provider, usage, success, error, thinkingContent, cacheHit, toolCalls, finishReason,
                refusal, callFailure, List.of(), cost);
    }

    /** This response with the providers a fallback chain tried, in order. */
    public CallResponse withAttempts(List<CallAttempt> tried) {
        return new CallResponse(content, model, provider, usage, success, error, thinkingContent, cacheHit, toolCalls,
                finishReason, refusal, callFailure, tried, cost);
    }

    /** Whether a fallback alternative, not the preset's own provider, produced this response. */
    public boolean answeredByFallback() {
        return success && attempts.size() > 1;
    }

    /** This response with {@code cost}. */
    public CallResponse withCost(@Nullable CallCost cost) {
        return new CallResponse(content, model, provider, usage, success, error, thinkingContent, cacheHit, toolCalls,
                finishReason, refusal, callFailure, attempts, cost);
    }

    /**
     * The shape before tools were typed: opaque tool calls are converted with {@link ToolCall#fromResult}; no finish
     * reason or refusal.
     */
    public CallResponse(String content, String model, String provider, LlmUsage usage, boolean success,
            @Nullable String error, @Nullable String thinkingContent, @Nullable CacheHitTier cacheHit,
            @Nullable List<?> toolCalls) {
        this(content, model, provider, usage, success, error, thinkingContent, cacheHit,
                ToolCall.fromResult(toolCalls), null, null, null);
    }

    /** A fresh response with typed tool calls, finish reason and refusal, and no typed failure. */
    public CallResponse(String content, String model, String provider, LlmUsage usage, boolean success,
            @Nullable String error, @Nullable String thinkingContent, @Nullable CacheHitTier cacheHit,
            List<ToolCall> toolCalls, @Nullable String finishReason, @Nullable String refusal) {
        this(content, model, provider, usage, success, error, thinkingContent, cacheHit, toolCalls, finishReason,
                refusal, null);
    }

    /** A response with opaque tool calls and a typed failure. */
    public CallResponse(String content, String model, String provider, LlmUsage usage, boolean success,
            @Nullable String error, @Nullable String thinkingContent, @Nullable CacheHitTier cacheHit,
            @Nullable List<?> toolCalls, @Nullable CallFailure callFailure) {
        this(content, model, provider, usage, success, error, thinkingContent, cacheHit,
                ToolCall.fromResult(toolCalls), null, null, callFailure);
    }

    /** Whether the model asked for at least one tool call. */
    public boolean hasToolCalls() {
        return !toolCalls.isEmpty();
    }

    /** The failure response for {@code config}: empty content, zero usage, the given error message. */
    public static CallResponse failure(LlmConfig config, String error) {
        return new CallResponse("", config.model(), config.provider(), LlmUsage.ZERO, false, error, null, null,
                List.of(), null, null, null);
    }

    /** The failure response for {@code config} with its typed failure. */
    public static CallResponse failure(LlmConfig config, String error, CallFailure failure) {
        return new CallResponse("", config.model(), config.provider(), LlmUsage.ZERO, false, error, null, null,
                List.of(), null, null, Objects.requireNonNull(failure, "failure"));
    }

    /**
     * The typed failure: present on every failed response built by the pipeline or {@code LlmixClient}, empty on
     * success. Its {@link CallFailure#message()} is safe to show to end users, unlike {@link #error()}.
     */
    public Optional<CallFailure> failure() {
        return Optional.ofNullable(callFailure);
    }
}
