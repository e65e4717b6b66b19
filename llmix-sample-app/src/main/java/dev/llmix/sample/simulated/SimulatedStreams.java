package dev.llmix.sample.simulated;

import dev.llmix.spi.DispatchContext;
import dev.llmix.spi.ProviderResult;
import dev.llmix.spi.ProviderStreamEvent;
import dev.llmix.spi.StreamingDispatchFunction;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The simulated provider as a stream: its 429s, 503s and latency happen before the stream (as for calls), then the
 * answer arrives in word-sized text deltas every {@code chunkDelayMs}, with the {@code <think>} opener split as
 * {@code <thi} + {@code nk>} so the dashboard shows LLMix stripping a tag cut across deltas. Deltas are scheduled only
 * while the subscriber has demand.
 */
public final class SimulatedStreams implements StreamingDispatchFunction {

    private final SimulatedProvider provider;
    private final ScheduledExecutorService scheduler;
    private final long chunkDelayMs;

    /**
     * @param provider     decides failures and the answer
     * @param scheduler    paces the deltas
     * @param chunkDelayMs pause before each delta
     */
    public SimulatedStreams(SimulatedProvider provider, ScheduledExecutorService scheduler, long chunkDelayMs) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.chunkDelayMs = Math.max(0, chunkDelayMs);
    }

    @Override
    public Flow.Publisher<ProviderStreamEvent> dispatchStream(DispatchContext context) {
        return subscriber -> {
            Objects.requireNonNull(subscriber, "subscriber");
            Exchange exchange = new Exchange(subscriber);
            subscriber.onSubscribe(exchange);
            provider.dispatch(context).whenComplete((result, error) -> {
                if (error != null) {
                    exchange.fail(error);
                } else {
                    exchange.start(events(result));
                }
            });
        };
    }

    /** Opened, model, word-sized deltas (the think opener split in two), usage. */
    static List<ProviderStreamEvent> events(ProviderResult result) {
        List<ProviderStreamEvent> events = new ArrayList<>();
        events.add(new ProviderStreamEvent.Opened(result.headers() == null ? Map.of() : result.headers()));
        events.add(new ProviderStreamEvent.Model(result.model()));
        String text = result.content().replace("<think>", "<thi\u0000nk>");
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            boolean cut = i == text.length() || text.charAt(i) == '\u0000'
                    || (text.charAt(i) == ' ' && i > start);
            if (cut) {
                String piece = text.substring(start, i);
                if (!piece.isEmpty()) {
                    events.add(new ProviderStreamEvent.TextDelta(piece));
                }
                start = i < text.length() && text.charAt(i) == '\u0000' ? i + 1 : i;
            }
        }
        events.add(new ProviderStreamEvent.Finish("stop"));
        events.add(new ProviderStreamEvent.Usage(result.usage()));
        return events;
    }

    /** Emits the events one per tick while there is demand. */
    private final class Exchange implements Flow.Subscription {
        private final Flow.Subscriber<? super ProviderStreamEvent> subscriber;
        private final ArrayDeque<ProviderStreamEvent> left = new ArrayDeque<>();
        private long demand;
        private boolean started;
        private boolean ticking;
        private boolean done;

        Exchange(Flow.Subscriber<? super ProviderStreamEvent> subscriber) {
            this.subscriber = subscriber;
        }

        synchronized void start(List<ProviderStreamEvent> events) {
            left.addAll(events);
            started = true;
            schedule();
        }

        void fail(Throwable error) {
            synchronized (this) {
                if (done) {
                    return;
                }
                done = true;
            }
            subscriber.onError(error);
        }

        @Override
        public synchronized void request(long n) {
            demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
            schedule();
        }

        @Override
        public synchronized void cancel() {
            done = true;
        }

        private void schedule() {
            if (started && !done && !ticking && demand > 0) {
                ticking = true;
                scheduler.schedule(this::tick, chunkDelayMs, TimeUnit.MILLISECONDS);
            }
        }

        private void tick() {
            ProviderStreamEvent next;
            boolean complete;
            synchronized (this) {
                ticking = false;
                if (done) {
                    return;
                }
                next = left.poll();
                complete = next == null;
                if (complete) {
                    done = true;
                } else {
                    demand--;
                }
            }
            if (complete) {
                subscriber.onComplete();
                return;
            }
            subscriber.onNext(next);
            synchronized (this) {
                schedule();
            }
        }
    }
}
