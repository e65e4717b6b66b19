package dev.llmix.provider.http;

import dev.llmix.spi.ProviderStreamEvent;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Maps one provider's SSE events to {@link ProviderStreamEvent}s and judges completeness. One instance per exchange;
 * called by one thread at a time. A mid-stream error event or unparseable data is thrown as a
 * {@link dev.llmix.spi.ProviderException}.
 */
interface StreamDecoder {

    /** Handles one SSE event, passing the events it yields to {@code out}. */
    void onEvent(@Nullable String type, String data, Consumer<ProviderStreamEvent> out);

    /** Called once at the end of input, before {@link #isComplete()} is judged; may emit trailing events. */
    default void onEnd(Consumer<ProviderStreamEvent> out) {
    }

    /** True after the terminal marker: the exchange stops reading and completes. */
    boolean isTerminated();

    /** True when the stream may end here (a terminal marker or a finish reason was seen). */
    boolean isComplete();

    /** What was missing when input ended early, for {@code provider stream ended unexpectedly: <what>}. */
    String missing();
}
