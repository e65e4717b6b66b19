package dev.llmix.spi;

import dev.llmix.config.LlmConfig;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One request to the pipeline: the resolved preset, the messages (JSON-like values, passed to dispatch untouched and
 * part of the cache key), and an optional explicit singleflight key (blank means absent).
 *
 * @param config          the resolved preset
 * @param messages        chat messages as JSON-like values, e.g. {@code Map.of("role", "user", "content", "hi")}
 * @param singleflightKey overrides the derived deduplication key; used verbatim when not blank
 * @throws InvalidMessagesException for a {@code null} message
 */
public record CallInput(LlmConfig config, List<?> messages, @Nullable String singleflightKey) {

    public CallInput {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(messages, "messages");
        // Typed, instead of List.copyOf's NullPointerException; the depth limit is checked when the call starts.
        InvalidMessagesException.checkNoNulls(messages);
        messages = List.copyOf(messages);
    }

    /** A request without an explicit singleflight key. */
    public static CallInput of(LlmConfig config, List<?> messages) {
        return new CallInput(config, messages, null);
    }
}
