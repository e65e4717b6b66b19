package dev.llmix.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Ready-made {@link ProviderStreamEvent} publishers: a non-streamed result replayed as events (the fallback the
 * pipeline uses for a dispatch that cannot stream), and a fixed sequence of events for tests and simulators.
 */
public final class ProviderStreams {

    private ProviderStreams() {
    }

    /**
     * The events of a non-streamed result: {@code Opened}, {@code Model}, one {@code TextDelta} with the whole
     * content (when non-empty), one complete {@code ToolCallFragment} per OpenAI-shaped tool call, {@code Usage};
     * a failed stage becomes {@code onError}. Cold: the stage is awaited per subscription.
     */
    public static Flow.Publisher<ProviderStreamEvent> fromResult(CompletionStage<ProviderResult> stage) {
        Objects.requireNonNull(stage, "stage");
        return subscriber -> {
            Objects.requireNonNull(subscriber, "subscriber");
            Replay replay = new Replay(subscriber);
            subscriber.onSubscribe(replay);
            stage.whenComplete((result, error) -> {
                if (error != null || result == null) {
                    replay.fail(error != null ? ErrorClassifier.unwrap(error)
                            : new NullPointerException("DispatchFunction completed with a null ProviderResult"));
                } else {
                    replay.ready(eventsOf(result));
                }
            });
        };
    }

    /** A publisher of exactly these events, then {@code onComplete}; each subscription replays them. */
    public static Flow.Publisher<ProviderStreamEvent> of(ProviderStreamEvent... events) {
        List<ProviderStreamEvent> list = List.of(events);
        return subscriber -> {
            Objects.requireNonNull(subscriber, "subscriber");
            Replay replay = new Replay(subscriber);
            subscriber.onSubscribe(replay);
            replay.ready(list);
        };
    }

    static List<ProviderStreamEvent> eventsOf(ProviderResult result) {
        List<ProviderStreamEvent> events = new ArrayList<>();
        Map<String, String> headers = result.headers();
        events.add(new ProviderStreamEvent.Opened(headers == null ? Map.of() : headers));
        events.add(new ProviderStreamEvent.Model(result.model()));
        if (!result.content().isEmpty()) {
            events.add(new ProviderStreamEvent.TextDelta(result.content()));
        }
        List<@Nullable Object> calls = result.toolCalls();
        if (calls != null) {
            int index = 0;
            for (Object call : calls) {
                events.add(fragmentOf(index++, call));
            }
        }
        events.add(new ProviderStreamEvent.Usage(result.usage()));
        return events;
    }

    @SuppressWarnings("unchecked")
    private static ProviderStreamEvent.ToolCallFragment fragmentOf(int index, @Nullable Object call) {
        if (!(call instanceof Map<?, ?> map) || !(map.get("function") instanceof Map<?, ?> function)) {
            throw new IllegalArgumentException("dispatch returned a tool call that is not OpenAI-shaped: "
                    + (call == null ? "null" : call.getClass().getName()));
        }
        Object arguments = function.get("arguments");
        Object extra = map.get("extra_content");
        return new ProviderStreamEvent.ToolCallFragment(index,
                map.get("id") instanceof String id ? id : null,
                function.get("name") instanceof String name ? name : null,
                arguments instanceof String a ? a : "",
                extra instanceof Map<?, ?> e ? (Map<String, @Nullable Object>) e : null);
    }

    /** Emits a list once it is known, honouring demand; signals are serialized by a work-in-progress counter. */
    private static final class Replay implements Flow.Subscription {
        private final Flow.Subscriber<? super ProviderStreamEvent> subscriber;
        private final AtomicLong demand = new AtomicLong();
        private final AtomicInteger wip = new AtomicInteger();
        private volatile @Nullable List<ProviderStreamEvent> events;
        private volatile @Nullable Throwable error;
        private volatile boolean cancelled;
        private int next;
        private boolean terminated;

        Replay(Flow.Subscriber<? super ProviderStreamEvent> subscriber) {
            this.subscriber = subscriber;
        }

        void ready(List<ProviderStreamEvent> list) {
            events = list;
            drain();
        }

        void fail(Throwable t) {
            error = t;
            drain();
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                error = new IllegalArgumentException("request must be positive, got " + n);
                events = null;
            } else {
                demand.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
            }
            drain();
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        private void drain() {
            if (wip.getAndIncrement() != 0) {
                return;
            }
            int missed = 1;
            do {
                while (!terminated && !cancelled) {
                    Throwable e = error;
                    if (e != null) {
                        terminated = true;
                        subscriber.onError(e);
                        break;
                    }
                    List<ProviderStreamEvent> list = events;
                    if (list == null) {
                        break;
                    }
                    if (next == list.size()) {
                        terminated = true;
                        subscriber.onComplete();
                        break;
                    }
                    if (demand.get() == 0) {
                        break;
                    }
                    demand.decrementAndGet();
                    subscriber.onNext(list.get(next++));
                }
                missed = wip.addAndGet(-missed);
            } while (missed != 0);
        }
    }
}
