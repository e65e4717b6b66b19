package dev.llmix.pipeline;

import dev.llmix.spi.LlmUsage;
import dev.llmix.internal.ReplaySubscription;
import dev.llmix.config.LlmConfig;
import java.util.List;
import java.util.Objects;
import java.util.Spliterator;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

/**
 * Blocking views of a chunk publisher, for callers that prefer iteration to {@link Flow.Subscriber} callbacks: the
 * returned {@link Stream} subscribes on first access, prefetches at most {@value #PREFETCH} chunks and ends after the
 * {@code done} chunk. Close it (try-with-resources) to cancel the call; {@code close()} may come from any thread and
 * then ends a consumer blocked in iteration.
 */
public final class CallStreams {

    /** Chunks requested ahead of the consumer. */
    public static final int PREFETCH = 16;

    /** The text of the failed {@code done} chunk after an interrupt while waiting. */
    public static final String INTERRUPTED_MESSAGE = "Interrupted while waiting for the LLM stream";

    private CallStreams() {
    }

    /** A cold publisher of exactly these chunks (the last should be {@code done}), then {@code onComplete}. */
    public static Flow.Publisher<CallChunk> of(CallChunk... chunks) {
        List<CallChunk> list = List.of(chunks);
        return subscriber -> {
            Objects.requireNonNull(subscriber, "subscriber");
            ReplaySubscription<CallChunk> replay = new ReplaySubscription<>(subscriber);
            subscriber.onSubscribe(replay);
            replay.ready(list);
        };
    }

    /**
     * A blocking view of {@code publisher}. An interrupt while blocked cancels the stream, keeps the interrupt flag and
     * yields a failed {@code done} chunk (with an empty model and provider; use {@link #blocking(Flow.Publisher,
     * LlmConfig)} to name them).
     */
    public static Stream<CallChunk> blocking(Flow.Publisher<CallChunk> publisher) {
        return blocking(publisher, null);
    }

    /** A blocking view of {@code publisher} whose interrupt failure names {@code config}'s model and provider. */
    public static Stream<CallChunk> blocking(Flow.Publisher<CallChunk> publisher, @Nullable LlmConfig config) {
        Objects.requireNonNull(publisher, "publisher");
        BlockingChunks chunks = new BlockingChunks(publisher, config);
        return StreamSupport.stream(chunks, false).onClose(chunks::close);
    }

    /** Subscriber and spliterator in one: signals land in a queue bounded by the prefetch, the consumer takes. */
    private static final class BlockingChunks implements Flow.Subscriber<CallChunk>, Spliterator<CallChunk> {
        private static final Object END = new Object();

        private final Flow.Publisher<CallChunk> publisher;
        private final @Nullable LlmConfig config;
        private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        private final AtomicBoolean closed = new AtomicBoolean();
        private volatile Flow.@Nullable Subscription subscription;
        private boolean subscribed;
        private boolean ended;
        private int consumed;

        BlockingChunks(Flow.Publisher<CallChunk> publisher, @Nullable LlmConfig config) {
            this.publisher = publisher;
            this.config = config;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (closed.get()) {
                s.cancel();
            } else {
                s.request(PREFETCH);
            }
        }

        @Override
        public void onNext(CallChunk chunk) {
            queue.offer(chunk);
        }

        @Override
        public void onError(Throwable error) {
            queue.offer(error);
        }

        @Override
        public void onComplete() {
            queue.offer(END);
        }

        void close() {
            if (closed.compareAndSet(false, true)) {
                Flow.Subscription s = subscription;
                if (s != null) {
                    s.cancel();
                }
                queue.offer(END);
            }
        }

        @Override
        public boolean tryAdvance(Consumer<? super CallChunk> action) {
            if (ended) {
                return false;
            }
            if (!subscribed) {
                subscribed = true;
                if (closed.get()) {
                    ended = true;
                    return false;
                }
                publisher.subscribe(this);
            }
            Object next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                ended = true;
                action.accept(CallChunk.done(interrupted()));
                return true;
            }
            if (next == END || closed.get()) {
                ended = true;
                return false;
            }
            if (next instanceof Throwable t) {
                ended = true;
                if (t instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException(t);
            }
            CallChunk chunk = (CallChunk) next;
            if (chunk.done()) {
                ended = true;
            } else if (++consumed == PREFETCH / 2) {
                // Replenish in halves: fewer request() calls, never more than PREFETCH chunks outstanding.
                consumed = 0;
                Flow.Subscription s = subscription;
                if (s != null) {
                    s.request(PREFETCH / 2);
                }
            }
            action.accept(chunk);
            return true;
        }

        private CallResponse interrupted() {
            LlmConfig c = config;
            if (c != null) {
                return CallResponse.failure(c, INTERRUPTED_MESSAGE, CallFailures.shutDown(c.provider()));
            }
            return new CallResponse("", "", "", LlmUsage.ZERO, false, INTERRUPTED_MESSAGE, null, null, null);
        }

        @Override
        public @Nullable Spliterator<CallChunk> trySplit() {
            return null;
        }

        @Override
        public long estimateSize() {
            return Long.MAX_VALUE;
        }

        @Override
        public int characteristics() {
            return ORDERED | NONNULL;
        }
    }
}
