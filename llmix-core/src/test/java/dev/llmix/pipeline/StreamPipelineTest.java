package dev.llmix.pipeline;

import dev.llmix.spi.CacheHitTier;
import dev.llmix.spi.CallEvent;
import dev.llmix.spi.CallInput;
import dev.llmix.spi.CallOutcome;
import dev.llmix.spi.DispatchContext;
import dev.llmix.spi.LlmUsage;
import dev.llmix.spi.ProviderException;
import dev.llmix.testsupport.ScriptedDispatch;
import dev.llmix.spi.ProviderStreamEvent;
import dev.llmix.spi.ProviderStreams;
import dev.llmix.spi.StreamingDispatchFunction;
import static dev.llmix.pipeline.ScriptedStreamDispatch.HANG;
import static dev.llmix.pipeline.ScriptedStreamDispatch.opened;
import static dev.llmix.pipeline.ScriptedStreamDispatch.script;
import static dev.llmix.pipeline.ScriptedStreamDispatch.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.cache.CacheKeys;
import dev.llmix.cache.TwoTierCache;
import dev.llmix.config.CachingStrategy;
import dev.llmix.config.TimeoutConfig;
import dev.llmix.resilience.CircuitState;
import dev.llmix.testsupport.RecordingChunkSubscriber;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The pipeline semantics of streamed calls (docs/streaming.md), against a scripted streaming dispatch: replay, cache
 * write, retries only before the first chunk, breaker outcomes, permit release, timeouts, cancellation, fallback and
 * the listener. Numbers refer to the acceptance checks of the streaming contract.
 */
class StreamPipelineTest extends PipelineTestSupport {

    private static TwoTierCache memoryCache() {
        return TwoTierCache.builder().strategy(CachingStrategy.MEMORY).maxItems(8).ttl(Duration.ofSeconds(60))
                .build();
    }

    private static CallInput cached() {
        return input(config().caching(CachingStrategy.MEMORY).build());
    }

    private static RecordingChunkSubscriber run(CallPipeline p, CallInput in) {
        RecordingChunkSubscriber s = new RecordingChunkSubscriber();
        p.stream(in).subscribe(s);
        return s;
    }

    private static void assertReleased(CallPipeline p) {
        SemaphoreSnapshot s = p.snapshot().semaphores().get("openai");
        if (s != null) {
            assertThat(s.inFlight()).isZero();
            assertThat(s.waiters()).isZero();
        }
        assertThat(p.streamsInFlight()).isZero();
    }

    private static int failures(CallPipeline p) {
        return p.snapshot().circuitBreakers().get("openai:").consecutiveFailures();
    }

    @Test
    void textDeltasArriveAsChunksAndDoneCarriesTheAssembledResponse() throws Exception {
        ScriptedStreamDispatch d = ScriptedStreamDispatch.always(opened(), new ProviderStreamEvent.Model("gpt-4-0613"),
                text("Hel"), text("lo"), new ProviderStreamEvent.Finish("stop"),
                new ProviderStreamEvent.Usage(new LlmUsage(9, 2, 11, 3L)));
        CallPipeline p = pipeline(d);
        RecordingChunkSubscriber s = run(p, input());
        CallResponse done = s.awaitDone();
        assertThat(s.deltas()).extracting(CallChunk::contentDelta).containsExactly("Hel", "lo");
        assertThat(done.success()).isTrue();
        assertThat(done.content()).isEqualTo("Hello");
        assertThat(done.model()).isEqualTo("gpt-4-0613");
        assertThat(done.usage()).isEqualTo(new LlmUsage(9, 2, 11, 3L));
        assertThat(done.finishReason()).isEqualTo("stop");
        assertThat(s.completed()).isTrue();
        assertThat(s.signalsAfterTerminal()).isZero();
        assertReleased(p);
    }

    // 17
    @Test
    void splitThinkTagsNeverReachAChunk() throws Exception {
        CallPipeline p = pipeline(ScriptedStreamDispatch.always(opened(), text("<thi"), text("nk>secret</thi"),
                text("nk>\n  Answer")));
        RecordingChunkSubscriber s = run(p, input());
        CallResponse done = s.awaitDone();
        assertThat(s.thinking()).isEqualTo("secret");
        assertThat(s.content()).isEqualTo("Answer");
        assertThat(s.deltas()).allSatisfy(c -> {
            assertThat(c.contentDelta()).doesNotContain("<", ">");
            assertThat(c.thinkingDelta()).doesNotContain("<", ">");
        });
        assertThat(done.content()).isEqualTo("Answer");
        assertThat(done.thinkingContent()).isEqualTo("secret");
    }

    // 19
    @Test
    void anIdenticalSecondStreamReplaysTheCacheEntry() throws Exception {
        ScriptedStreamDispatch d = ScriptedStreamDispatch.always(opened(), text("<think>a</think>B"));
        CallPipeline p = pipeline(options().responseCache(memoryCache()), d);
        run(p, cached()).awaitDone();
        int window = p.getSemaphoreWindow("openai");
        RecordingChunkSubscriber second = run(p, cached());
        CallResponse done = second.awaitDone();
        assertThat(second.deltas()).containsExactly(CallChunk.text("", "a"), CallChunk.text("B", ""));
        assertThat(done.cacheHit()).isEqualTo(CacheHitTier.L1);
        assertThat(done.usage()).isEqualTo(LlmUsage.ZERO);
        assertThat(done.model()).isEqualTo("gpt-4");
        assertThat(d.count()).isEqualTo(1);
        assertThat(p.getSemaphoreWindow("openai")).isEqualTo(window);
        assertThat(p.snapshot().circuitBreakers().get("openai:").consecutiveFailures()).isZero();
    }

    // 20
    @Test
    void aStreamFillsTheCacheForACallAndACallForAStream() throws Exception {
        ScriptedStreamDispatch d = ScriptedStreamDispatch.always(opened(), text("<think>a</think>B"));
        TwoTierCache cache = memoryCache();
        CallPipeline p = pipeline(options().responseCache(cache), d);
        run(p, cached()).awaitDone();
        CallResponse call = p.call(cached());
        assertThat(call.cacheHit()).isEqualTo(CacheHitTier.L1);
        assertThat(call.content()).isEqualTo("B");
        // The entry sits under the key a call computes, holding the raw text.
        String key = p.cacheKey(cached().config(), HI, "");
        assertThat(key).startsWith(CacheKeys.DEFAULT_PREFIX);
        assertThat(cache.get(key).value()).isEqualTo("<think>a</think>B");

        CallPipeline p2 = pipeline(options().responseCache(memoryCache()), ScriptedDispatch.ok("<think>t</think>C"));
        assertThat(p2.call(cached()).cacheHit()).isNull();
        RecordingChunkSubscriber replay = run(p2, cached());
        assertThat(replay.awaitDone().cacheHit()).isEqualTo(CacheHitTier.L1);
        assertThat(replay.content()).isEqualTo("C");
    }

    // 21
    @Test
    void noCacheEntryAfterAFailureAfterContentOrACancelOrToolCalls() throws Exception {
        TwoTierCache cache = memoryCache();
        ScriptedStreamDispatch failing = ScriptedStreamDispatch.always(opened(), text("part"),
                ProviderException.network("connection reset", null));
        CallPipeline p = pipeline(options().responseCache(cache), failing);
        assertThat(run(p, cached()).awaitDone().success()).isFalse();

        ScriptedStreamDispatch hanging = ScriptedStreamDispatch.always(opened(), text("part"), HANG);
        CallPipeline p2 = pipeline(options().responseCache(cache), hanging);
        RecordingChunkSubscriber s = run(p2, cached());
        s.awaitChunks(1);
        s.cancel();

        ScriptedStreamDispatch tools = ScriptedStreamDispatch.always(opened(),
                new ProviderStreamEvent.ToolCallFragment(0, "call_1", "get_weather", "{}", null));
        CallPipeline p3 = pipeline(options().responseCache(cache), tools);
        CallResponse done = run(p3, cached()).awaitDone();
        assertThat(done.toolCalls()).hasSize(1);
        assertThat(cache.stats().l1Size()).isZero();
    }

    // 22
    @Test
    void failuresBeforeTheFirstChunkAreRetriedAndOnlyTheLastAttemptIsDelivered() throws Exception {
        ScriptedStreamDispatch d = ScriptedStreamDispatch.sequence(
                script(ScriptedDispatch.status(503)), script(opened(), ScriptedDispatch.status(503)),
                script(opened(), text("ok")));
        CallPipeline p = pipeline(options().maxRetries(3), d);
        RecordingChunkSubscriber s = run(p, input());
        CallResponse done = s.awaitDone();
        assertThat(done.success()).isTrue();
        assertThat(s.content()).isEqualTo("ok");
        assertThat(s.deltas()).hasSize(1);
        assertThat(d.count()).isEqualTo(3);
        assertThat(failures(p)).isZero();
        assertReleased(p);
    }

    // 23, 7
    @Test
    void aFailureAfterTheFirstChunkIsNotRetried() throws Exception {
        ScriptedStreamDispatch d = ScriptedStreamDispatch.always(opened(), text("Hel"),
                ProviderException.network("connection reset", null));
        CallPipeline p = pipeline(options().maxRetries(3), d);
        RecordingChunkSubscriber s = run(p, input());
        CallResponse done = s.awaitDone();
        assertThat(s.content()).isEqualTo("Hel");
        assertThat(done.success()).isFalse();
        assertThat(done.error()).isEqualTo("connection reset");
        assertThat(done.content()).isEmpty();
        assertThat(d.count()).isEqualTo(1);
        assertThat(failures(p)).isEqualTo(1);
        assertReleased(p);
    }

    // 24
    @Test
    void theFirstChunkTimeoutAbortsTheAttemptAndARetrySucceeds() throws Exception {
        ScriptedStreamDispatch d = ScriptedStreamDispatch.sequence(script(opened(), HANG),
                script(opened(), text("late but fine")));
        CallInput in = input(config().timeout(new TimeoutConfig(10, 0.2)).build());
        CallPipeline p = pipeline(options().maxRetries(1), d);
        RecordingChunkSubscriber s = run(p, in);
        assertThat(s.awaitDone().content()).isEqualTo("late but fine");
        assertThat(d.count()).isEqualTo(2);
        assertThat(d.cancels.get()).isEqualTo(1);

        CallPipeline once = pipeline(ScriptedStreamDispatch.always(opened(), HANG));
        CallResponse failed = run(once, in).awaitDone();
        assertThat(failed.error()).isEqualTo(
                "LLM stream timed out after 0.2 s waiting for the first chunk (timeout.streamFirstChunkTime)");
        assertReleased(once);
    }

    // 24 (fallback attempts have no first-chunk timer)
    @Test
    void aFallbackDispatchIsNotBoundByTheFirstChunkTimeout() throws Exception {
        CallPipeline p = pipeline(ScriptedDispatch.delayed(500, ctx -> "slow"));
        CallResponse done = run(p, input(config().timeout(new TimeoutConfig(10, 0.2)).build())).awaitDone();
        assertThat(done.success()).isTrue();
        assertThat(done.content()).isEqualTo("slow");
    }

    // 25
    @Test
    void theTotalTimeEndsAStreamThatNeverFinishes() throws Exception {
        CallPipeline p = pipeline(ScriptedStreamDispatch.always(opened(), text("a"), HANG));
        RecordingChunkSubscriber s = run(p, input(config().timeout(new TimeoutConfig(0.5, null)).build()));
        CallResponse done = s.awaitDone();
        assertThat(done.error()).isEqualTo("LLM stream timed out after 0.5 s (timeout.totalTime)");
        assertThat(failures(p)).isEqualTo(1);
        assertReleased(p);
    }

    // 26
    @Test
    void aStalledSubscriberTimesOutLocallyWithoutTouchingTheBreakerOrTheWindow() throws Exception {
        Object[] events = new Object[40];
        events[0] = opened();
        for (int i = 1; i < events.length; i++) {
            events[i] = text("c" + i);
        }
        ScriptedStreamDispatch d = ScriptedStreamDispatch.always(events);
        CallPipeline p = pipeline(options().streamBufferChunks(4), d);
        int window = 32;
        RecordingChunkSubscriber s = new RecordingChunkSubscriber(1);
        p.stream(input(config().timeout(new TimeoutConfig(0.5, null)).build())).subscribe(s);
        s.awaitChunks(1);
        // Request the done chunk only after the deadline has passed: the stream stalled on the subscriber.
        Thread.sleep(800);
        s.request(100);
        CallResponse done = s.awaitDone();
        assertThat(done.error()).isEqualTo(
                "LLM stream timed out after 0.5 s (timeout.totalTime) while the subscriber requested no more chunks");
        assertThat(s.deltas().size()).isLessThanOrEqualTo(1 + 4);
        assertThat(failures(p)).isZero();
        assertThat(p.getSemaphoreWindow("openai")).isEqualTo(window);
        assertReleased(p);
    }

    // 27
    @Test
    void aCancelledHalfOpenProbeReopensTheBreaker() throws Exception {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        ScriptedStreamDispatch d = ScriptedStreamDispatch.sequence(script(ScriptedDispatch.status(500)),
                script(opened(), text("x"), HANG));
        CallPipeline p = pipeline(options().circuitBreakerThreshold(1).permittedHalfOpenCalls(1)
                .circuitBreakerCooldown(Duration.ofSeconds(1)).nanoClock(now::get), d);
        assertThat(run(p, input()).awaitDone().success()).isFalse();
        assertThat(p.getCircuitBreakerState("openai", "")).isEqualTo("OPEN");
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        RecordingChunkSubscriber probe = run(p, input());
        probe.awaitChunks(1);
        probe.cancel();
        assertThat(p.snapshot().circuitBreakers().get("openai:").state()).isEqualTo(CircuitState.OPEN);
        assertThat(p.snapshot().circuitBreakers().get("openai:").cooldownMs()).isEqualTo(2000);
        assertReleased(p);
    }

    // 27
    @Test
    void aMissingKeyPoolRecordsNoBreakerOutcome() throws Exception {
        CallPipeline p = pipeline(ScriptedStreamDispatch.always(opened(), text("x")));
        CallResponse done = run(p, input(config().provider("anthropic").model("claude").build())).awaitDone();
        assertThat(done.success()).isFalse();
        assertThat(p.snapshot().circuitBreakers().get("anthropic:").consecutiveFailures()).isZero();
    }

    // 28
    @Test
    void aCancelAfterThreeChunksReleasesEverythingAndDeliversNothingMore() throws Exception {
        List<CallEvent> events = new CopyOnWriteArrayList<>();
        ScriptedStreamDispatch d = ScriptedStreamDispatch.always(opened(), text("a"), text("b"), text("c"), HANG);
        CallPipeline p = pipeline(options().responseCache(memoryCache())
                .callListener((e, ctx) -> events.add(e)), d);
        RecordingChunkSubscriber s = run(p, cached());
        s.awaitChunks(3);
        s.cancel();
        assertThat(d.cancels.get()).isEqualTo(1);
        assertThat(s.chunks()).hasSize(3).noneMatch(CallChunk::done);
        assertThat(failures(p)).isZero();
        assertThat(events).singleElement().extracting(CallEvent::outcome).isEqualTo(CallOutcome.CANCELLED);
        assertThat(p.clearCache()).isTrue();
        assertReleased(p);
    }

    // 28
    @Test
    void aCancelWhileQueuedForAPermitWithdrawsTheRequest() throws Exception {
        ScriptedStreamDispatch d = ScriptedStreamDispatch.always(opened(), text("x"), HANG);
        CallPipeline p = pipeline(options().semaphoreInitial(1).semaphoreMin(1), d);
        RecordingChunkSubscriber holder = run(p, input());
        holder.awaitChunks(1);
        RecordingChunkSubscriber queued = run(p, input());
        assertThat(p.snapshot().semaphores().get("openai").waiters()).isEqualTo(1);
        queued.cancel();
        assertThat(p.snapshot().semaphores().get("openai").waiters()).isZero();
        holder.cancel();
        assertThat(d.count()).isEqualTo(1);
        assertReleased(p);
    }

    // 30
    @Test
    void requestZeroSignalsAnIllegalArgumentAndReleases() throws Exception {
        CallPipeline p = pipeline(ScriptedStreamDispatch.always(opened(), text("x"), HANG));
        RecordingChunkSubscriber s = run(p, input());
        s.awaitChunks(1);
        s.request(0);
        assertThat(s.awaitTerminal(Duration.ofSeconds(5))).isTrue();
        assertThat(s.error()).isInstanceOf(IllegalArgumentException.class);
        assertReleased(p);
    }

    // 30 (bounded buffer)
    @Test
    void theBufferNeverHoldsMoreThanStreamBufferChunks() throws Exception {
        Object[] events = new Object[200];
        events[0] = opened();
        for (int i = 1; i < events.length; i++) {
            events[i] = text("x");
        }
        List<Long> requested = new CopyOnWriteArrayList<>();
        ScriptedStreamDispatch inner = ScriptedStreamDispatch.always(events);
        StreamingDispatchFunction counting = ctx -> subscriber -> inner.dispatchStream(ctx).subscribe(
                new Flow.Subscriber<>() {
                    @Override
                    public void onSubscribe(Flow.Subscription s) {
                        subscriber.onSubscribe(new Flow.Subscription() {
                            @Override
                            public void request(long n) {
                                requested.add(n);
                                s.request(n);
                            }

                            @Override
                            public void cancel() {
                                s.cancel();
                            }
                        });
                    }

                    @Override
                    public void onNext(ProviderStreamEvent item) {
                        subscriber.onNext(item);
                    }

                    @Override
                    public void onError(Throwable throwable) {
                        subscriber.onError(throwable);
                    }

                    @Override
                    public void onComplete() {
                        subscriber.onComplete();
                    }
                });
        CallPipeline p = pipeline(options().streamBufferChunks(8).streamingDispatch(counting), inner);
        RecordingChunkSubscriber s = new RecordingChunkSubscriber(2);
        p.stream(input()).subscribe(s);
        s.awaitChunks(2);
        // Two chunks taken, eight buffered at most, plus the Opened event that yields no chunk: eleven events asked.
        assertThat(requested.stream().mapToLong(Long::longValue).sum()).isLessThanOrEqualTo(2 + 8 + 1);
        s.request(Long.MAX_VALUE);
        assertThat(s.awaitDone().content()).hasSize(199);
    }

    // 32
    @Test
    void anActiveKillSwitchGivesOneFailedDoneAndNoDispatch() throws Exception {
        Files.writeString(stateDir.resolve("killswitch"), "maintenance");
        ScriptedStreamDispatch d = ScriptedStreamDispatch.always(opened(), text("x"));
        CallPipeline p = pipeline(d);
        RecordingChunkSubscriber s = run(p, input());
        CallResponse done = s.awaitDone();
        assertThat(s.chunks()).hasSize(1);
        assertThat(done.error()).startsWith("Kill switch active: ");
        assertThat(d.count()).isZero();
    }

    // 33
    @Test
    void streamsNeverShareASingleflight() throws Exception {
        ScriptedStreamDispatch d = ScriptedStreamDispatch.always(opened(), text("x"));
        CallPipeline p = pipeline(d);
        CallInput keyed = new CallInput(CONFIG, HI, "same");
        RecordingChunkSubscriber a = new RecordingChunkSubscriber(0);
        RecordingChunkSubscriber b = new RecordingChunkSubscriber(0);
        p.stream(keyed).subscribe(a);
        p.stream(keyed).subscribe(b);
        a.request(10);
        b.request(10);
        a.awaitDone();
        b.awaitDone();
        assertThat(d.count()).isEqualTo(2);
        assertThat(p.singleflightCount()).isZero();
    }

    // 34
    @Test
    void aPlainDispatchFallsBackToOneChunkAndADoneEqualToTheCall() throws Exception {
        CallPipeline p = pipeline(ScriptedDispatch.ok("<think>t</think>Hello"));
        RecordingChunkSubscriber s = run(p, input());
        CallResponse done = s.awaitDone();
        assertThat(s.deltas()).containsExactly(CallChunk.text("Hello", "t"));
        assertThat(done).isEqualTo(p.call(input()));

        ScriptedStreamDispatch refusing = new ScriptedStreamDispatch(n -> List.of()) {
            @Override
            public boolean supportsStreaming(DispatchContext context) {
                return false;
            }
        };
        CallPipeline q = pipeline(options().streamingDispatch(refusing), ScriptedDispatch.ok("<think>t</think>Hello"));
        RecordingChunkSubscriber t = run(q, input());
        assertThat(t.awaitDone()).isEqualTo(done);
        assertThat(refusing.count()).isZero();
    }

    // 35
    @Test
    void theBlockingViewEndsAfterDoneAndCancelsOnClose() throws Exception {
        CallPipeline p = pipeline(ScriptedStreamDispatch.always(opened(), text("a"), text("b")));
        List<CallChunk> all;
        try (Stream<CallChunk> chunks = CallStreams.blocking(p.stream(input()))) {
            all = chunks.toList();
        }
        assertThat(all).hasSize(3);
        assertThat(all.get(2).response().content()).isEqualTo("ab");

        ScriptedStreamDispatch hanging = ScriptedStreamDispatch.always(opened(), text("a"), text("b"), HANG);
        CallPipeline q = pipeline(hanging);
        List<CallChunk> two = new ArrayList<>();
        try (Stream<CallChunk> chunks = CallStreams.blocking(q.stream(input()))) {
            chunks.limit(2).forEach(two::add);
        }
        assertThat(two).extracting(CallChunk::contentDelta).containsExactly("a", "b");
        assertThat(hanging.cancels.get()).isEqualTo(1);
        assertReleased(q);
    }

    // 35
    @Test
    void anInterruptWhileBlockedGivesAFailedDoneAndKeepsTheFlag() throws Exception {
        ScriptedStreamDispatch hanging = ScriptedStreamDispatch.always(opened(), HANG);
        CallPipeline p = pipeline(hanging);
        CompletableFuture<@Nullable Object[]> seen = new CompletableFuture<>();
        Thread consumer = new Thread(() -> {
            try (Stream<CallChunk> chunks = CallStreams.blocking(p.stream(input()), CONFIG)) {
                List<CallChunk> list = chunks.toList();
                seen.complete(new Object[] {list, Thread.currentThread().isInterrupted()});
            }
        });
        consumer.start();
        while (hanging.count() == 0) {
            Thread.sleep(5);
        }
        consumer.interrupt();
        Object[] result = seen.get(10, java.util.concurrent.TimeUnit.SECONDS);
        @SuppressWarnings("unchecked")
        List<CallChunk> list = (List<CallChunk>) result[0];
        assertThat(list).singleElement().satisfies(c -> {
            assertThat(c.isFailure()).isTrue();
            assertThat(c.response().error()).isEqualTo(CallStreams.INTERRUPTED_MESSAGE);
        });
        assertThat(result[1]).isEqualTo(true);
        assertReleased(p);
    }

    // 39
    @Test
    void theListenerSeesAStreamWithItsTimeToFirstChunk() throws Exception {
        AtomicLong now = new AtomicLong(0);
        List<CallEvent> events = new CopyOnWriteArrayList<>();
        StreamingDispatchFunction ticking = ctx -> subscriber -> ProviderStreams.of(opened(), text("a"), text("b"))
                .subscribe(new Flow.Subscriber<>() {
                    @Override
                    public void onSubscribe(Flow.Subscription s) {
                        subscriber.onSubscribe(s);
                    }

                    @Override
                    public void onNext(ProviderStreamEvent item) {
                        now.addAndGet(1_000);
                        subscriber.onNext(item);
                    }

                    @Override
                    public void onError(Throwable t) {
                        subscriber.onError(t);
                    }

                    @Override
                    public void onComplete() {
                        subscriber.onComplete();
                    }
                });
        CallPipeline p = pipeline(options().nanoClock(now::get).streamingDispatch(ticking)
                .callListener((e, ctx) -> events.add(e)), ScriptedDispatch.ok("unused"));
        run(p, input()).awaitDone();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.streamed()).isTrue();
            assertThat(e.outcome()).isEqualTo(CallOutcome.SUCCESS);
            assertThat(e.timeToFirstChunkNanos()).isEqualTo(2_000);
            assertThat(e.chunks()).isEqualTo(2);
        });
    }

    // 2.3: a closed pipeline
    @Test
    void aClosedPipelineGivesTheClosedMessage() throws Exception {
        CallPipeline p = pipeline(ScriptedStreamDispatch.always(opened(), text("x")));
        p.close();
        assertThat(run(p, input()).awaitDone().error()).isEqualTo("AdaptiveSemaphore is closed");
    }

    @Test
    void streamBufferChunksBelowOneIsRejected() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> options().streamBufferChunks(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("streamBufferChunks must be >= 1, got 0");
    }
}
