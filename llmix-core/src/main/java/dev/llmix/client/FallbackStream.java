package dev.llmix.client;

import dev.llmix.pipeline.CallChunk;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.spi.CallInput;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stream of a preset with a fallback chain: each try is an ordinary pipeline stream (its own cache key, breaker,
 * retries before the first chunk, key pool), and the chain moves on under the rules of a call ({@link FallbackCall}),
 * but only while the try is uncommitted: once a chunk has been delivered, its failed {@code done} ends the stream
 * (docs/streaming.md, "Fallback chains"). All tries share the deadline that starts at the first request.
 *
 * <p>The subscriber sees one subscription. Its demand is forwarded to the current try; a failed try's {@code done}
 * chunk and completion are swallowed, and the demand not yet used (all of it, as nothing was delivered) goes to the
 * next try. Signals stay serialized because only the current try delivers, and it starts after the previous one
 * delivered its last signal.
 */
final class FallbackStream implements Flow.Publisher<CallChunk> {

    private static final Logger LOG = LoggerFactory.getLogger(FallbackStream.class);
    private static final long NOT_STARTED = Long.MIN_VALUE;

    private final LlmixClient client;
    private final LlmixClient.PipelineCalls pipeline;
    private final String module;
    private final String preset;
    private final List<FallbackAlternative> chain;
    private final CallInput first;
    private final CallOptions options;

    FallbackStream(LlmixClient client, LlmixClient.PipelineCalls pipeline, String module, String preset,
            List<FallbackAlternative> chain, CallInput first, CallOptions options) {
        this.client = client;
        this.pipeline = pipeline;
        this.module = module;
        this.preset = preset;
        this.chain = chain;
        this.first = first;
        this.options = options;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super CallChunk> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        Arbiter arbiter = new Arbiter(subscriber);
        Try t = arbiter.open(first, 0);
        subscriber.onSubscribe(arbiter);
        arbiter.forward(t);
    }

    /** The subscription the subscriber sees; moves its demand from try to try. */
    private final class Arbiter implements Flow.Subscription {
        private final Flow.Subscriber<? super CallChunk> downstream;
        /** Demand of the subscriber so far, capped at {@code Long.MAX_VALUE}. */
        private final AtomicLong requested = new AtomicLong();
        private volatile Try current;
        private volatile boolean cancelled;
        /** The pipeline clock at the first request, where the pipeline starts the first try's deadline. */
        private volatile long startNanos = NOT_STARTED;
        /** Created at the first failed try; touched only by the delivering try, one at a time. */
        private @Nullable FallbackCall rest;

        Arbiter(Flow.Subscriber<? super CallChunk> downstream) {
            this.downstream = downstream;
        }

        /** Starts try {@code index} with {@code input}: it becomes the current one, then subscribes. */
        Try open(CallInput input, int index) {
            Try t = new Try(this, input, index);
            current = t;
            pipeline.stream(input).subscribe(t);
            return t;
        }

        @Override
        public void request(long n) {
            Try t = current;
            if (n <= 0) {
                Flow.Subscription s = t.subscription;
                if (s != null) {
                    // The pipeline answers with onError(IllegalArgumentException) as the Flow rules require.
                    s.request(n);
                } else {
                    cancel();
                    downstream.onError(new IllegalArgumentException("request(n) needs n > 0, got " + n));
                }
                return;
            }
            if (startNanos == NOT_STARTED) {
                startNanos = pipeline.nanoTime();
            }
            long r;
            long next;
            do {
                r = requested.get();
                next = r + n < 0 ? Long.MAX_VALUE : r + n;
            } while (!requested.compareAndSet(r, next));
            forward(current);
        }

        /**
         * Raises what try {@code t} was asked for to the subscriber's whole demand: no try has delivered a chunk before
         * the current one, so the current one owes all of it. A compare-and-set per try keeps concurrent requests and a
         * move from asking twice.
         */
        void forward(Try t) {
            Flow.Subscription s = t.subscription;
            if (s == null) {
                return;
            }
            while (true) {
                long total = requested.get();
                long sent = t.forwarded.get();
                if (sent >= total) {
                    return;
                }
                if (t.forwarded.compareAndSet(sent, total)) {
                    s.request(total - sent);
                    return;
                }
            }
        }

        @Override
        public void cancel() {
            cancelled = true;
            Flow.Subscription s = current.subscription;
            if (s != null) {
                s.cancel();
            }
        }

        /** The {@code done} chunk of try {@code t}: hand it to the subscriber, or move on to the next alternative. */
        void done(Try t, CallResponse r) {
            FallbackCall f = rest;
            if (f == null) {
                if (r.success()) {
                    // The preset's own provider answered: nothing is added, as for a call.
                    downstream.onNext(CallChunk.done(r));
                    return;
                }
                long start = startNanos == NOT_STARTED ? pipeline.nanoTime() : startNanos;
                f = new FallbackCall(client, pipeline, module, preset, chain, first, options, start);
                rest = f;
            }
            CallInput next = null;
            if (t.committed || cancelled) {
                // Chunks of this try were delivered: its failure is the stream's (docs/streaming.md).
                f.record(r);
            } else {
                try {
                    next = f.moveOn(t.input, r, t.index);
                } catch (RuntimeException e) {
                    // An alternative naming a preset the resolver does not know: the failure so far is the answer.
                    LOG.warn("LLMix {}/{}: cannot start fallback alternative {}: {}", module, preset, t.index + 1,
                            e.toString());
                }
            }
            if (next == null) {
                downstream.onNext(CallChunk.done(f.answer(r)));
                return;
            }
            t.handedOff = true;
            forward(open(next, t.index + 1));
        }
    }

    /** One try of the chain: a pipeline stream whose signals go to the subscriber unless the chain moves on. */
    private final class Try implements Flow.Subscriber<CallChunk> {
        private final Arbiter arbiter;
        private final CallInput input;
        private final int index;
        /** What this try was asked for in total. */
        private final AtomicLong forwarded = new AtomicLong();
        private volatile Flow.@Nullable Subscription subscription;
        /** A chunk of this try reached the subscriber: no move any more (signals of one try are serialized). */
        private boolean committed;
        /** The chain moved past this try: its completion is not the stream's. */
        private volatile boolean handedOff;

        Try(Arbiter arbiter, CallInput input, int index) {
            this.arbiter = arbiter;
            this.input = input;
            this.index = index;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (arbiter.cancelled) {
                s.cancel();
                return;
            }
            if (index > 0) {
                arbiter.forward(this);
            }
        }

        @Override
        public void onNext(CallChunk chunk) {
            if (!chunk.done()) {
                committed = true;
                arbiter.downstream.onNext(chunk);
                return;
            }
            arbiter.done(this, Objects.requireNonNull(chunk.response(), "done chunk without response"));
        }

        @Override
        public void onError(Throwable error) {
            if (!handedOff) {
                arbiter.downstream.onError(error);
            }
        }

        @Override
        public void onComplete() {
            if (!handedOff) {
                arbiter.downstream.onComplete();
            }
        }
    }
}
