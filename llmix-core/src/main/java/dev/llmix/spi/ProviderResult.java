package dev.llmix.spi;

import dev.llmix.internal.JsonValues;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link DispatchFunction} returns for a successful provider call.
 *
 * @param content   raw response text; may contain {@code <think>} blocks, which the pipeline strips
 * @param model     the model id the provider reports
 * @param usage     token usage
 * @param headers   response headers (lower-case names preferred), used for rate-limit feedback; may be null
 * @param toolCalls opaque tool-call objects; a non-empty list suppresses the cache write; may be null
 * @param finishReason why the model stopped ({@code stop}, {@code length}, {@code tool_calls},
 *                     {@code content_filter}, {@code other}), or null when the provider did not say
 * @param refusal   the model's refusal text, or null; a result with a refusal is never cached
 */
public record ProviderResult(
        String content,
        String model,
        LlmUsage usage,
        @Nullable Map<String, String> headers,
        @Nullable List<@Nullable Object> toolCalls,
        @Nullable String finishReason,
        @Nullable String refusal) {

    public ProviderResult {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(usage, "usage");
        headers = headers == null ? null : Map.copyOf(headers);
        toolCalls = toolCalls == null ? null : JsonValues.freezeList(toolCalls);
    }

    /** A result without finish reason and refusal (the shape before tools were supported). */
    public ProviderResult(String content, String model, LlmUsage usage, @Nullable Map<String, String> headers,
            @Nullable List<@Nullable Object> toolCalls) {
        this(content, model, usage, headers, toolCalls, null, null);
    }

    /** A plain text result without headers or tool calls. */
    public static ProviderResult of(String content, String model, LlmUsage usage) {
        return new ProviderResult(content, model, usage, null, null);
    }

    /** True when the result carries at least one tool call. */
    public boolean hasToolCalls() {
        return toolCalls != null && !toolCalls.isEmpty();
    }
}
