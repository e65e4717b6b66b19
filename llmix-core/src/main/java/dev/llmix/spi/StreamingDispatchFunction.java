package dev.llmix.spi;

import java.util.concurrent.Flow;

/**
 * A dispatch that can stream: one cold, single-use publisher of {@link ProviderStreamEvent}s per attempt. The request
 * is sent on {@code subscribe}, events are published only as requested (the network is read only while there is
 * demand), {@code cancel} aborts the exchange, and a non-2xx status is {@code onError(ProviderException)} before any
 * {@link ProviderStreamEvent.Opened}. A normal end is {@code onComplete}; failures are classified as for calls.
 */
public interface StreamingDispatchFunction {

    /** The provider events of one streamed attempt. */
    Flow.Publisher<ProviderStreamEvent> dispatchStream(DispatchContext context);

    /**
     * Whether this attempt can stream; when false the pipeline falls back to one non-streamed
     * {@link DispatchFunction#dispatch} emitted as a single chunk.
     */
    default boolean supportsStreaming(DispatchContext context) {
        return true;
    }
}
