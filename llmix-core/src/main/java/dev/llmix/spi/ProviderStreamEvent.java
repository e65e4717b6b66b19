package dev.llmix.spi;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link StreamingDispatchFunction} publishes for one streamed provider exchange: the 2xx headers first, then
 * text, reasoning, tool-call fragments, refusal text, usage, model and finish reason as the provider sends them.
 */
public sealed interface ProviderStreamEvent {

    /** The 2xx headers arrived (lower-cased names); the first event, exactly once. */
    record Opened(Map<String, String> headers) implements ProviderStreamEvent {
        public Opened {
            headers = Map.copyOf(headers);
        }
    }

    /** Raw visible text; may contain {@code <think>} tags, which the pipeline strips on the fly. */
    record TextDelta(String text) implements ProviderStreamEvent {
        public TextDelta {
            Objects.requireNonNull(text, "text");
        }
    }

    /** Native reasoning text (delivered as thinking, never part of the cached text). */
    record ReasoningDelta(String text) implements ProviderStreamEvent {
        public ReasoningDelta {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * A tool-call fragment, as {@link ToolCallDelta}, plus the provider's continuation data for the call (merged into
     * the assembled call's {@code extra_content}; never part of a chunk).
     */
    record ToolCallFragment(int index, @Nullable String id, @Nullable String name, String argumentsDelta,
            @Nullable Map<String, @Nullable Object> extraContent) implements ProviderStreamEvent {
        public ToolCallFragment {
            Objects.requireNonNull(argumentsDelta, "argumentsDelta");
        }
    }

    /** Refusal text added; concatenated, never part of a chunk. */
    record Refusal(String text) implements ProviderStreamEvent {
        public Refusal {
            Objects.requireNonNull(text, "text");
        }
    }

    /** Usage so far; replaces earlier ones. */
    record Usage(LlmUsage usage) implements ProviderStreamEvent {
        public Usage {
            Objects.requireNonNull(usage, "usage");
        }
    }

    /** The provider-reported model. */
    record Model(String model) implements ProviderStreamEvent {
        public Model {
            Objects.requireNonNull(model, "model");
        }
    }

    /** The provider's stop reason; the last one wins. */
    record Finish(String reason) implements ProviderStreamEvent {
        public Finish {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
