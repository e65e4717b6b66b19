package dev.llmix.pipeline;

import dev.llmix.spi.CallListener;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hands operator events to the pipeline's listener, if any; a failing listener never affects the call. */
final class ListenerEvents {

    private static final Logger LOG = LoggerFactory.getLogger(CallPipeline.class);

    private ListenerEvents() {
    }

    static void emit(@Nullable CallListener listener, Consumer<CallListener> event) {
        if (listener == null) {
            return;
        }
        try {
            event.accept(listener);
        } catch (Throwable t) {
            LOG.debug("LLMix call listener failed on an event: {}", t.toString());
        }
    }
}
