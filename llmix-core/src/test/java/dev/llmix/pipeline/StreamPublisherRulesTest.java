package dev.llmix.pipeline;

import static dev.llmix.pipeline.ScriptedStreamDispatch.opened;
import static dev.llmix.pipeline.ScriptedStreamDispatch.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.llmix.cache.TwoTierCache;
import dev.llmix.config.CachingStrategy;
import dev.llmix.spi.CallInput;
import dev.llmix.testsupport.RecordingChunkSubscriber;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Reactive Streams rules a {@code Flow.Publisher} must keep (docs/streaming.md, "Reactive Streams rules"), checked
 * on both publishers {@code CallPipeline.stream} returns: the live stream over a streaming dispatch and the replay of
 * a cache entry. The TCK itself is not available offline, so these tests state its required rules directly; the rule
 * numbers are those of the Reactive Streams specification.
 */
class StreamPublisherRulesTest extends PipelineTestSupport {

    /** The two publishers under test. */
    enum Kind {
        /** A fresh stream: {@code deltas} text deltas, then done. */
        LIVE,
        /** A cache hit: thinking, content, done (whatever {@code deltas} asks). */
        REPLAY
    }

    /** A publisher of the given kind and the number of chunks (done included) it delivers. */
    record Source(Flow.Publisher<CallChunk> publisher, int elements, ScriptedStreamDispatch dispatch,
            CallPipeline pipeline) {
    }

    private Source source(Kind kind, int deltas) throws InterruptedException {
        if (kind == Kind.LIVE) {
            List<Object> script = new ArrayList<>();
            script.add(opened());
            for (int i = 0; i < deltas; i++) {
                script.add(text("t" + i + " "));
            }
            ScriptedStreamDispatch d = ScriptedStreamDispatch.always(script.toArray());
            CallPipeline p = pipeline(d);
            return new Source(p.stream(input()), deltas + 1, d, p);
        }
        ScriptedStreamDispatch d = ScriptedStreamDispatch.always(opened(), text("<think>a</think>B"));
        CallPipeline p = pipeline(options().responseCache(TwoTierCache.builder().strategy(CachingStrategy.MEMORY)
                .maxItems(8).ttl(Duration.ofSeconds(60)).build()), d);
        CallInput in = input(config().caching(CachingStrategy.MEMORY).build());
        RecordingChunkSubscriber fill = new RecordingChunkSubscriber();
        p.stream(in).subscribe(fill);
        assertThat(fill.awaitDone().success()).isTrue();
        return new Source(p.stream(in), 3, d, p);
    }

    /**
     * Records every signal with the checks the rules need: onSubscribe first and once, no overlapping signals, nothing
     * after a terminal signal, the stack depth of each onNext; optionally requests one more from inside onNext.
     */
    static final class RuleSubscriber implements Flow.Subscriber<CallChunk> {
        final List<CallChunk> items = new CopyOnWriteArrayList<>();
        final List<Integer> depths = new CopyOnWriteArrayList<>();
        final AtomicInteger active = new AtomicInteger();
        final AtomicInteger overlaps = new AtomicInteger();
        final AtomicInteger subscribes = new AtomicInteger();
        final AtomicInteger signalsBeforeSubscribe = new AtomicInteger();
        final AtomicInteger afterTerminal = new AtomicInteger();
        final CountDownLatch terminal = new CountDownLatch(1);
        final boolean requestOneInOnNext;
        final long initialRequest;
        volatile Flow.@Nullable Subscription subscription;
        volatile @Nullable Throwable error;
        volatile int completes;

        RuleSubscriber(long initialRequest, boolean requestOneInOnNext) {
            this.initialRequest = initialRequest;
            this.requestOneInOnNext = requestOneInOnNext;
        }

        private void enter() {
            if (active.incrementAndGet() > 1) {
                overlaps.incrementAndGet();
            }
            if (subscribes.get() == 0) {
                signalsBeforeSubscribe.incrementAndGet();
            }
            if (terminal.getCount() == 0) {
                afterTerminal.incrementAndGet();
            }
        }

        private void exit() {
            active.decrementAndGet();
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscribes.incrementAndGet();
            subscription = s;
            if (initialRequest > 0) {
                s.request(initialRequest);
            }
        }

        @Override
        public void onNext(CallChunk item) {
            enter();
            try {
                items.add(item);
                depths.add(Thread.currentThread().getStackTrace().length);
                if (requestOneInOnNext) {
                    subscription.request(1);
                }
            } finally {
                exit();
            }
        }

        @Override
        public void onError(Throwable t) {
            enter();
            error = t;
            terminal.countDown();
            exit();
        }

        @Override
        public void onComplete() {
            enter();
            completes++;
            terminal.countDown();
            exit();
        }

        boolean awaitTerminal() throws InterruptedException {
            return terminal.await(10, TimeUnit.SECONDS);
        }

        void assertClean() {
            assertThat(subscribes.get()).as("§1.9 onSubscribe exactly once").isEqualTo(1);
            assertThat(signalsBeforeSubscribe.get()).as("§1.9 nothing before onSubscribe").isZero();
            assertThat(overlaps.get()).as("§1.3 signals are serialized").isZero();
            assertThat(afterTerminal.get()).as("§1.7 nothing after a terminal signal").isZero();
        }
    }

    // §1.1, §3.9 (via §1.4): no more onNext than requested; more demand delivers more
    @ParameterizedTest
    @EnumSource(Kind.class)
    void deliversExactlyAsManyChunksAsRequested(Kind kind) throws Exception {
        Source src = source(kind, 5);
        RuleSubscriber s = new RuleSubscriber(0, false);
        src.publisher().subscribe(s);
        assertThat(s.items).isEmpty();
        s.subscription.request(1);
        assertThat(s.items).hasSize(1);
        s.subscription.request(1);
        assertThat(s.items).hasSize(2);
        s.subscription.request(src.elements());
        assertThat(s.awaitTerminal()).isTrue();
        assertThat(s.items).hasSize(src.elements());
        assertThat(s.completes).isEqualTo(1);
        s.assertClean();
    }

    // §1.4, §1.5: the done chunk is last, then exactly one onComplete; the stream ends released
    @ParameterizedTest
    @EnumSource(Kind.class)
    void doneIsTheLastChunkAndIsFollowedByOneOnComplete(Kind kind) throws Exception {
        Source src = source(kind, 5);
        RuleSubscriber s = new RuleSubscriber(Long.MAX_VALUE, false);
        src.publisher().subscribe(s);
        assertThat(s.awaitTerminal()).isTrue();
        assertThat(s.items).hasSize(src.elements());
        assertThat(s.items.subList(0, src.elements() - 1)).noneMatch(CallChunk::done);
        assertThat(s.items.get(src.elements() - 1).done()).isTrue();
        assertThat(s.completes).isEqualTo(1);
        assertThat(s.error).isNull();
        assertThat(src.pipeline().streamsInFlight()).isZero();
        s.assertClean();
    }

    // §1.9: a null subscriber is rejected with NullPointerException
    @ParameterizedTest
    @EnumSource(Kind.class)
    void aNullSubscriberIsRejected(Kind kind) throws Exception {
        Source src = source(kind, 2);
        assertThatNullPointerException().isThrownBy(() -> src.publisher().subscribe(null));
    }

    // §1.10, §1.11 (cold): each subscribe is an independent execution with the full sequence
    @ParameterizedTest
    @EnumSource(Kind.class)
    void everySubscriptionIsAnIndependentExecution(Kind kind) throws Exception {
        Source src = source(kind, 3);
        int dispatchesBefore = src.dispatch().count();
        RuleSubscriber a = new RuleSubscriber(Long.MAX_VALUE, false);
        RuleSubscriber b = new RuleSubscriber(Long.MAX_VALUE, false);
        src.publisher().subscribe(a);
        src.publisher().subscribe(b);
        assertThat(a.awaitTerminal()).isTrue();
        assertThat(b.awaitTerminal()).isTrue();
        assertThat(a.items).hasSize(src.elements());
        assertThat(b.items).hasSize(src.elements());
        assertThat(b.items.get(src.elements() - 1).response().content())
                .isEqualTo(a.items.get(src.elements() - 1).response().content());
        // A live stream dispatches once per subscription; a replay never dispatches.
        assertThat(src.dispatch().count() - dispatchesBefore).isEqualTo(kind == Kind.LIVE ? 2 : 0);
        a.assertClean();
        b.assertClean();
    }

    // §3.9: request(0) and a negative request signal onError(IllegalArgumentException) and end the execution
    @ParameterizedTest
    @EnumSource(Kind.class)
    void requestZeroOrNegativeSignalsIllegalArgument(Kind kind) throws Exception {
        for (long bad : new long[] {0, -1, Long.MIN_VALUE}) {
            Source src = source(kind, 3);
            RuleSubscriber s = new RuleSubscriber(0, false);
            src.publisher().subscribe(s);
            s.subscription.request(1);
            s.subscription.request(bad);
            assertThat(s.awaitTerminal()).isTrue();
            assertThat(s.error).as("request(%d)", bad).isInstanceOf(IllegalArgumentException.class);
            assertThat(s.completes).isZero();
            s.subscription.request(5);
            assertThat(s.items).hasSize(1);
            assertThat(src.pipeline().streamsInFlight()).isZero();
            s.assertClean();
        }
    }

    // §3.6, §3.7, §3.5: after cancel nothing is signalled, not even onError for request(0); cancel is idempotent
    @ParameterizedTest
    @EnumSource(Kind.class)
    void nothingFollowsACancelNotEvenAnErrorForABadRequest(Kind kind) throws Exception {
        Source src = source(kind, 5);
        RuleSubscriber s = new RuleSubscriber(0, false);
        src.publisher().subscribe(s);
        s.subscription.request(1);
        s.subscription.cancel();
        s.subscription.cancel();
        s.subscription.request(10);
        s.subscription.request(0);
        s.subscription.request(-1);
        assertThat(s.items).hasSize(1);
        assertThat(s.error).isNull();
        assertThat(s.completes).isZero();
        assertThat(src.pipeline().streamsInFlight()).isZero();
        SemaphoreSnapshot limiter = src.pipeline().snapshot().semaphores().get("openai");
        if (limiter != null) {
            assertThat(limiter.inFlight()).isZero();
        }
        s.assertClean();
    }

    // §3.6 after a terminal signal request and cancel are no-ops
    @ParameterizedTest
    @EnumSource(Kind.class)
    void requestAndCancelAfterCompletionAreNoOps(Kind kind) throws Exception {
        Source src = source(kind, 2);
        RuleSubscriber s = new RuleSubscriber(Long.MAX_VALUE, false);
        src.publisher().subscribe(s);
        assertThat(s.awaitTerminal()).isTrue();
        s.subscription.request(1);
        s.subscription.request(0);
        s.subscription.cancel();
        assertThat(s.items).hasSize(src.elements());
        assertThat(s.error).isNull();
        s.assertClean();
    }

    // §3.17: demand accumulates up to Long.MAX_VALUE without overflowing into an error
    @ParameterizedTest
    @EnumSource(Kind.class)
    void demandIsCappedAtLongMaxValue(Kind kind) throws Exception {
        Source src = source(kind, 5);
        RuleSubscriber s = new RuleSubscriber(0, false);
        src.publisher().subscribe(s);
        s.subscription.request(Long.MAX_VALUE - 1);
        s.subscription.request(Long.MAX_VALUE);
        s.subscription.request(Long.MAX_VALUE);
        assertThat(s.awaitTerminal()).isTrue();
        assertThat(s.error).isNull();
        assertThat(s.items).hasSize(src.elements());
        s.assertClean();
    }

    // §3.3: request from inside onNext does not recurse: the stack depth of onNext does not grow with the chunk count
    @ParameterizedTest
    @EnumSource(Kind.class)
    void reentrantRequestDoesNotRecurse(Kind kind) throws Exception {
        Source src = source(kind, 2_000);
        RuleSubscriber s = new RuleSubscriber(1, true);
        src.publisher().subscribe(s);
        assertThat(s.awaitTerminal()).isTrue();
        assertThat(s.items).hasSize(src.elements());
        int first = s.depths.get(0);
        assertThat(s.depths).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(first + 16));
        s.assertClean();
    }

    // §2.7, §3.2 and the Flow rule "request and cancel from any thread": concurrent requests stay serialized and in order
    @ParameterizedTest
    @EnumSource(Kind.class)
    void concurrentRequestsFromManyThreadsStaySerializedAndInOrder(Kind kind) throws Exception {
        int deltas = 400;
        Source src = source(kind, deltas);
        RuleSubscriber s = new RuleSubscriber(0, false);
        src.publisher().subscribe(s);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            int perThread = src.elements() / 4 + 1;
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        s.subscription.request(1);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(s.awaitTerminal()).isTrue();
        assertThat(s.error).isNull();
        assertThat(s.items).hasSize(src.elements());
        if (kind == Kind.LIVE) {
            for (int i = 0; i < deltas; i++) {
                assertThat(s.items.get(i).contentDelta()).isEqualTo("t" + i + " ");
            }
        }
        assertThat(src.pipeline().streamsInFlight()).isZero();
        s.assertClean();
    }

    // §1.2 / §3.10 (cold, lazy): a subscription that never requests does no work and holds nothing
    @ParameterizedTest
    @EnumSource(Kind.class)
    void aSubscriptionThatNeverRequestsHoldsNothing(Kind kind) throws Exception {
        Source src = source(kind, 3);
        int dispatchesBefore = src.dispatch().count();
        RuleSubscriber s = new RuleSubscriber(0, false);
        src.publisher().subscribe(s);
        assertThat(s.subscribes.get()).isEqualTo(1);
        assertThat(s.items).isEmpty();
        assertThat(src.dispatch().count()).isEqualTo(dispatchesBefore);
        assertThat(src.pipeline().streamsInFlight()).isZero();
        s.subscription.cancel();
        s.assertClean();
    }
}
