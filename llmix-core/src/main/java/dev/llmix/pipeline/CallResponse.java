package dev.llmix.pipeline;

import dev.llmix.spi.CacheHitTier;
import dev.llmix.spi.LlmUsage;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.llmix.config.LlmConfig;
import dev.llmix.internal.JsonValues;
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
 * @param toolCalls       the provider's tool calls on a fresh success, or {@code null}
 * @param callFailure     the typed failure on failure (set by the pipeline and {@code LlmixClient}), else
 *                        {@code null}; read it through {@link #failure()}
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
        @Nullable List<@Nullable Object> toolCalls,
        @Nullable CallFailure callFailure) {

    public CallResponse {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(usage, "usage");
        toolCalls = toolCalls == null ? null : JsonValues.freezeList(toolCalls);
    }

    /** A response without a typed failure (the form before {@link CallFailure} existed). */
    public CallResponse(String content, String model, String provider, LlmUsage usage, boolean success,
            @Nullable String error, @Nullable String thinkingContent, @Nullable CacheHitTier cacheHit,
            @Nullable List<@Nullable Object> toolCalls) {
        this(content, model, provider, usage, success, error, thinkingContent, cacheHit, toolCalls, null);
    }

    /** The failure response for {@code config}: empty content, zero usage, the given error message. */
    public static CallResponse failure(LlmConfig config, String error) {
        return new CallResponse("", config.model(), config.provider(), LlmUsage.ZERO, false, error, null, null, null);
    }

    /** The failure response for {@code config} with its typed failure. */
    public static CallResponse failure(LlmConfig config, String error, CallFailure failure) {
        return new CallResponse("", config.model(), config.provider(), LlmUsage.ZERO, false, error, null, null, null,
                Objects.requireNonNull(failure, "failure"));
    }

    /**
     * The typed failure: present on every failed response built by the pipeline or {@code LlmixClient}, empty on
     * success. Its {@link CallFailure#message()} is safe to show to end users, unlike {@link #error()}.
     */
    public Optional<CallFailure> failure() {
        return Optional.ofNullable(callFailure);
    }
}
