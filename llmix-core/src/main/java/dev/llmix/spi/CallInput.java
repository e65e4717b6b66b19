package dev.llmix.spi;

import dev.llmix.config.LlmConfig;
import dev.llmix.tools.ToolSet;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * One request to the pipeline: the resolved preset, the messages (JSON-like values, passed to dispatch untouched and
 * part of the cache key), and an optional explicit singleflight key (blank means absent).
 *
 * @param config          the resolved preset
 * @param messages        chat messages as JSON-like values, e.g. {@code Map.of("role", "user", "content", "hi")}
 * @param singleflightKey overrides the derived deduplication key; used verbatim when not blank
 * @param tools           the tools offered to the model, or {@code null}; a call with tools bypasses the response
 *                        cache and its tools take part in the singleflight key
 * @param cacheable       decides from the raw content whether a fresh answer may be written to the cache, or
 *                        {@code null} for "always"
 * @throws InvalidMessagesException for a {@code null} message
 */
public record CallInput(LlmConfig config, List<?> messages, @Nullable String singleflightKey,
        @Nullable ToolSet tools, @Nullable Predicate<String> cacheable) {

    public CallInput {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(messages, "messages");
        // Typed, instead of List.copyOf's NullPointerException; the depth limit is checked when the call starts.
        InvalidMessagesException.checkNoNulls(messages);
        messages = List.copyOf(messages);
    }

    /** A request without tools and cache predicate. */
    public CallInput(LlmConfig config, List<?> messages, @Nullable String singleflightKey) {
        this(config, messages, singleflightKey, null, null);
    }

    /** This request with other tools (e.g. a reset tool choice in the tool loop). */
    public CallInput withTools(@Nullable ToolSet newTools) {
        return new CallInput(config, messages, singleflightKey, newTools, cacheable);
    }

    /** A request without an explicit singleflight key. */
    public static CallInput of(LlmConfig config, List<?> messages) {
        return new CallInput(config, messages, null);
    }
}
