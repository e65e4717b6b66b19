package dev.llmix.pipeline;

import dev.llmix.spi.DispatchContext;
import dev.llmix.spi.DispatchFunction;
import dev.llmix.spi.ProviderResult;
import dev.llmix.spi.ProviderStreamEvent;
import dev.llmix.spi.StreamingDispatchFunction;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A streaming dispatch driven by scripts, one per attempt: each script is a list of events, {@link Throwable}s
 * (onError), {@link #HANG} (stop; nothing more until cancelled) and an implicit {@code onComplete} at the end. Events
 * are published only as requested. Records contexts, cancels and the most events ever outstanding.
 */
class ScriptedStreamDispatch implements StreamingDispatchFunction, DispatchFunction {

    /** Stops the script: the exchange hangs until cancelled. */
    static final Object HANG = new Object();

    final List<DispatchContext> contexts = new CopyOnWriteArrayList<>();
    final AtomicInteger cancels = new AtomicInteger();
    private final AtomicInteger invocations = new AtomicInteger();
    private final IntFunction<List<Object>> scripts;

    ScriptedStreamDispatch(IntFunction<List<Object>> scripts) {
        this.scripts = scripts;
    }

    /** Plays {@code script} on every attempt. */
    static ScriptedStreamDispatch always(Object... script) {
        List<Object> list = List.of(script);
        return new ScriptedStreamDispatch(n -> list);
    }

    /** Plays the scripts in order, repeating the last. */
    @SafeVarargs
    static ScriptedStreamDispatch sequence(List<Object>... scripts) {
        return new ScriptedStreamDispatch(n -> scripts[Math.min(n, scripts.length - 1)]);
    }

    /** The usual opening of a successful exchange. */
    static ProviderStreamEvent opened() {
        return new ProviderStreamEvent.Opened(Map.of());
    }

    static ProviderStreamEvent text(String t) {
        return new ProviderStreamEvent.TextDelta(t);
    }

    int count() {
        return invocations.get();
    }

    @Override
    public CompletionStage<ProviderResult> dispatch(DispatchContext context) {
        throw new AssertionError("the non-streamed dispatch must not be used by a stream");
    }

    @Override
    public Flow.Publisher<ProviderStreamEvent> dispatchStream(DispatchContext ctx) {
        int n = invocations.getAndIncrement();
        contexts.add(ctx);
        List<Object> script = scripts.apply(n);
        return subscriber -> subscriber.onSubscribe(new Flow.Subscription() {
            private final ArrayDeque<Object> left = new ArrayDeque<>(script);
            private long demand;
            private boolean done;
            private boolean emitting;

            @Override
            public synchronized void request(long k) {
                demand += k;
                if (emitting) {
                    return;
                }
                emitting = true;
                try {
                    while (!done) {
                        Object next = left.peek();
                        if (next == null) {
                            done = true;
                            subscriber.onComplete();
                        } else if (next == HANG) {
                            return;
                        } else if (next instanceof Throwable t) {
                            done = true;
                            subscriber.onError(t);
                        } else if (demand > 0) {
                            left.poll();
                            demand--;
                            subscriber.onNext((ProviderStreamEvent) next);
                        } else {
                            return;
                        }
                    }
                } finally {
                    emitting = false;
                }
            }

            @Override
            public synchronized void cancel() {
                if (!done) {
                    done = true;
                    cancels.incrementAndGet();
                }
            }
        });
    }

    static List<Object> script(Object... steps) {
        return new ArrayList<>(List.of(steps));
    }

    static CompletableFuture<ProviderResult> unused() {
        return CompletableFuture.failedFuture(new AssertionError("unused"));
    }
}
