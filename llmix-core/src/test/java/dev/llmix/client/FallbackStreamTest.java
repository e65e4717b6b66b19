package dev.llmix.client;

import static dev.llmix.testsupport.SseResponses.DROP;
import static dev.llmix.testsupport.SseResponses.HANG;
import static dev.llmix.testsupport.SseResponses.data;
import static dev.llmix.testsupport.SseResponses.event;
import static dev.llmix.testsupport.SseResponses.sse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.llmix.cache.TwoTierCache;
import dev.llmix.config.CachingStrategy;
import dev.llmix.config.LlmConfig;
import dev.llmix.config.TimeoutConfig;
import dev.llmix.keys.KeyPool;
import dev.llmix.pipeline.CallAttempt;
import dev.llmix.pipeline.CallChunk;
import dev.llmix.pipeline.CallFailureType;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.pipeline.PipelineConfig;
import dev.llmix.provider.http.AdapterOptions;
import dev.llmix.providers.ProviderAdapters;
import dev.llmix.spi.CacheHitTier;
import dev.llmix.spi.CallEvent;
import dev.llmix.spi.CallListener;
import dev.llmix.spi.FallbackEvent;
import dev.llmix.testsupport.PipelineFixtures;
import dev.llmix.testsupport.RecordingChunkSubscriber;
import dev.llmix.testsupport.SseResponses;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streams of a preset with a fallback chain against two loopback servers that write real SSE bodies: openai is the
 * preset's provider, anthropic the alternative (docs/streaming.md, "Fallback chains").
 */
class FallbackStreamTest {

    private static final List<Message> HI = List.of(Message.user("hi"));

    @TempDir
    Path stateDir;

    private final MockWebServer openai = new MockWebServer();
    private final MockWebServer anthropic = new MockWebServer();
    private final List<FallbackEvent> fallbacks = new CopyOnWriteArrayList<>();
    private final List<String> finished = new CopyOnWriteArrayList<>();
    private @Nullable CallPipeline pipeline;

    @BeforeEach
    void start() throws Exception {
        openai.start();
        anthropic.start();
    }

    @AfterEach
    void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
        openai.close();
        anthropic.close();
    }

    private static final LlmConfig REPLY = LlmConfig.builder("openai", "gpt-4").build();

    private LlmixClient client(LlmConfig reply, Map<String, LlmConfig> others, FallbackAlternative alternative,
            PipelineConfig.Builder options) {
        CallListener recorder = new CallListener() {
            @Override
            public void callFinished(CallEvent event, @Nullable Object context) {
                finished.add(event.provider() + ":" + event.outcome().tagValue());
            }

            @Override
            public void fallback(FallbackEvent event) {
                fallbacks.add(event);
            }
        };
        pipeline = new CallPipeline(options.callListener(recorder).build(), ProviderAdapters.routing(Map.of(
                "openai", AdapterOptions.builder().baseUrl(base(openai)).build(),
                "anthropic", AdapterOptions.builder().baseUrl(base(anthropic)).build())));
        pipeline.setKeyPool("openai", new KeyPool(List.of("sk-openai-test-1")));
        pipeline.setKeyPool("anthropic", new KeyPool(List.of("sk-ant-test-1")));
        FallbackChains chains = FallbackChains.of(Map.of("chat/reply", List.of(alternative)));
        return new LlmixClient(pipeline, (module, preset) -> {
            LlmConfig other = others.get(preset);
            return other != null ? other : reply;
        }, chains);
    }

    private LlmixClient client() {
        return client(REPLY, Map.of(), FallbackAlternative.of("anthropic", "claude-haiku-4-5"),
                PipelineFixtures.deterministic(stateDir).circuitBreakerThreshold(2));
    }

    private static String base(MockWebServer server) {
        String root = server.url("/").toString();
        return root.substring(0, root.length() - 1) + "/v1";
    }

    private static RecordingChunkSubscriber stream(LlmixClient client) {
        RecordingChunkSubscriber s = new RecordingChunkSubscriber();
        client.stream("chat", "reply", HI).subscribe(s);
        return s;
    }

    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void primary503StormOpensTheBreakerAndStreamsAreAnsweredByTheAlternative() throws Exception {
        openai.setDispatcher(always(() -> status(503)));
        anthropic.setDispatcher(always(() -> anthropicStream("Hel", "lo")));
        LlmixClient client = client();

        CallResponse last = null;
        for (int i = 0; i < 4; i++) {
            RecordingChunkSubscriber s = stream(client);
            last = s.awaitDone();
            // Nothing of the failed primary reaches the subscriber: only the alternative's chunks, then done.
            assertThat(s.deltas()).extracting(CallChunk::contentDelta).containsExactly("Hel", "lo");
            assertThat(s.completed()).isTrue();
            assertThat(last.success()).isTrue();
            assertThat(last.content()).isEqualTo("Hello");
            assertThat(last.provider()).isEqualTo("anthropic");
            assertThat(last.answeredByFallback()).isTrue();
        }

        assertThat(pipeline.getCircuitBreakerState("openai", "")).isEqualTo("OPEN");
        assertThat(last.attempts()).extracting(CallAttempt::provider, CallAttempt::failure).containsExactly(
                tuple("openai", CallFailureType.CIRCUIT_OPEN), tuple("anthropic", null));
        // Two 503s open the breaker (threshold 2); later streams go straight to the alternative.
        assertThat(openai.getRequestCount()).isEqualTo(2);
        assertThat(anthropic.getRequestCount()).isEqualTo(4);
        assertThat(fallbacks).extracting(FallbackEvent::reason).containsExactly("provider_error", "provider_error",
                "circuit_open", "circuit_open");
        assertThat(fallbacks).allSatisfy(e -> {
            assertThat(e.fromProvider()).isEqualTo("openai");
            assertThat(e.toProvider()).isEqualTo("anthropic");
            assertThat(e.toModel()).isEqualTo("claude-haiku-4-5");
        });
        for (int i = 0; i < 4; i++) {
            RecordedRequest r = anthropic.takeRequest();
            assertThat(r.getHeaders().get("x-api-key")).isEqualTo("sk-ant-test-1");
            assertThat(r.getBody().utf8()).contains("claude-haiku-4-5").doesNotContain("sk-openai");
        }
        // Each try is a stream of its own for the listener, ended before the next one starts.
        assertThat(finished).startsWith("openai:failure", "anthropic:success", "openai:failure", "anthropic:success",
                "openai:circuit_open", "anthropic:success");
        assertThat(pipeline.streamsInFlight()).isZero();
        assertThat(client.inFlight()).isZero();
    }

    @Test
    void primary400DoesNotFallBack() throws Exception {
        openai.setDispatcher(always(() -> status(400)));
        anthropic.setDispatcher(always(() -> anthropicStream("never")));
        LlmixClient client = client();

        RecordingChunkSubscriber s = stream(client);
        CallResponse done = s.awaitDone();

        assertThat(s.deltas()).isEmpty();
        assertThat(done.success()).isFalse();
        assertThat(done.provider()).isEqualTo("openai");
        assertThat(done.failure()).hasValueSatisfying(f -> assertThat(f.status()).isEqualTo(400));
        assertThat(done.attempts()).extracting(CallAttempt::provider).containsExactly("openai");
        assertThat(fallbacks).isEmpty();
        assertThat(openai.getRequestCount()).isEqualTo(1);
        assertThat(anthropic.getRequestCount()).isZero();
    }

    @Test
    void killSwitchDoesNotFallBack() throws Exception {
        openai.setDispatcher(always(() -> status(503)));
        anthropic.setDispatcher(always(() -> anthropicStream("never")));
        LlmixClient client = client();
        pipeline.killSwitch().engage("maintenance");

        CallResponse done = stream(client).awaitDone();

        assertThat(done.failure()).hasValueSatisfying(f -> assertThat(f.type()).isEqualTo(CallFailureType.KILL_SWITCH));
        assertThat(fallbacks).isEmpty();
        assertThat(openai.getRequestCount()).isZero();
        assertThat(anthropic.getRequestCount()).isZero();
    }

    @Test
    void failureAfterTheFirstChunkDoesNotFallBack() throws Exception {
        openai.setDispatcher(always(() -> sse(openaiChunk("Hel"), Duration.ofMillis(50), DROP)));
        anthropic.setDispatcher(always(() -> anthropicStream("never")));
        LlmixClient client = client();

        RecordingChunkSubscriber s = stream(client);
        CallResponse done = s.awaitDone();

        // The delivered chunk stays delivered; the stream ends with the primary's failure.
        assertThat(s.deltas()).extracting(CallChunk::contentDelta).containsExactly("Hel");
        assertThat(done.success()).isFalse();
        assertThat(done.provider()).isEqualTo("openai");
        assertThat(done.error()).contains("provider stream ended unexpectedly");
        assertThat(done.attempts()).extracting(CallAttempt::provider).containsExactly("openai");
        assertThat(fallbacks).isEmpty();
        assertThat(finished).containsExactly("openai:failure");
        assertThat(anthropic.getRequestCount()).isZero();
    }

    @Test
    void hangingPrimaryAndSlowAlternativeTimeOutAsOneStream() throws Exception {
        // Whole-stream budget 3 s; the primary's first chunk times out after 1 s, leaving about 2 s for the
        // alternative preset, which sends its first event after 2.5 s: with a budget of its own (3 s) it would have
        // answered.
        LlmConfig reply = REPLY.toBuilder().timeout(new TimeoutConfig(3, 1)).build();
        LlmConfig backup = LlmConfig.builder("anthropic", "claude-haiku-4-5").timeout(new TimeoutConfig(3, null))
                .build();
        SseResponses.Script slow = new SseResponses.Script(
                Stream.concat(Stream.of((Object) Duration.ofMillis(2500)), anthropicEvents("late").stream())
                        .collect(Collectors.toList()));
        openai.setDispatcher(always(() -> sse(HANG)));
        anthropic.setDispatcher(always(() -> sse(slow)));
        LlmixClient client = client(reply, Map.of("backup", backup), FallbackAlternative.preset("backup"),
                PipelineFixtures.deterministic(stateDir));

        RecordingChunkSubscriber s = stream(client);
        CallResponse done = s.awaitDone();

        assertThat(s.deltas()).isEmpty();
        assertThat(done.success()).isFalse();
        assertThat(done.provider()).isEqualTo("anthropic");
        assertThat(done.attempts()).extracting(CallAttempt::provider, CallAttempt::success).containsExactly(
                tuple("openai", false), tuple("anthropic", false));
        assertThat(done.attempts().get(0).failure()).isIn(CallFailureType.TIMEOUT, CallFailureType.NETWORK);
        // The alternative ran on what was left of the 3 s, not on a budget of its own. The pipeline's deadline and the
        // adapter's request timeout (set from the same remaining time) race; either text names what was left.
        Matcher m = Pattern.compile("timed out after ([0-9.]+) (s|ms)\\b").matcher(String.valueOf(done.error()));
        assertThat(m.find()).as(done.error()).isTrue();
        double seconds = Double.parseDouble(m.group(1)) / ("ms".equals(m.group(2)) ? 1000 : 1);
        assertThat(seconds).isLessThan(3.0);
        assertThat(slow.finished()).isFalse();
        assertThat(openai.getRequestCount()).isEqualTo(1);
        assertThat(anthropic.getRequestCount()).isEqualTo(1);
        assertThat(fallbacks).singleElement().satisfies(e -> assertThat(e.toProvider()).isEqualTo("anthropic"));
    }

    @Test
    void eachAlternativeUsesItsOwnCacheKeyAndAReplayOnTheAlternativeEndsTheChain() throws Exception {
        openai.setDispatcher(always(() -> status(503)));
        anthropic.setDispatcher(always(() -> anthropicStream("Hel", "lo")));
        LlmConfig cached = REPLY.toBuilder().caching(CachingStrategy.MEMORY).build();
        LlmixClient client = client(cached, Map.of(), FallbackAlternative.of("anthropic", "claude-haiku-4-5"),
                PipelineFixtures.deterministic(stateDir).circuitBreakerThreshold(5)
                        .responseCache(TwoTierCache.builder().strategy(CachingStrategy.MEMORY).build()));
        stream(client).awaitDone();

        RecordingChunkSubscriber again = stream(client);
        CallResponse done = again.awaitDone();

        assertThat(again.content()).isEqualTo("Hello");
        assertThat(done.cacheHit()).isEqualTo(CacheHitTier.L1);
        assertThat(done.attempts()).extracting(CallAttempt::provider, CallAttempt::outcome).containsExactly(
                tuple("openai", "provider_error"), tuple("anthropic", "cache_hit"));
        // The primary is asked again (its own key has no entry); the alternative answers from its own entry.
        assertThat(openai.getRequestCount()).isEqualTo(2);
        assertThat(anthropic.getRequestCount()).isEqualTo(1);
    }

    @Test
    void theBlockingFormFollowsTheChain() {
        openai.setDispatcher(always(() -> status(503)));
        anthropic.setDispatcher(always(() -> anthropicStream("Hel", "lo")));
        LlmixClient client = client();

        List<CallChunk> chunks;
        try (Stream<CallChunk> s = client.streamBlocking("chat", "reply", HI)) {
            chunks = s.collect(Collectors.toList());
        }

        assertThat(chunks).extracting(CallChunk::contentDelta).containsExactly("Hel", "lo", "");
        CallResponse done = chunks.get(chunks.size() - 1).response();
        assertThat(done.provider()).isEqualTo("anthropic");
        assertThat(done.answeredByFallback()).isTrue();
        assertThat(client.inFlight()).isZero();
    }

    @Test
    void demandGivenBeforeTheMoveReachesTheAlternative() throws Exception {
        openai.setDispatcher(always(() -> status(503)));
        anthropic.setDispatcher(always(() -> anthropicStream("a", "b", "c")));
        LlmixClient client = client();

        RecordingChunkSubscriber s = new RecordingChunkSubscriber(1);
        client.stream("chat", "reply", HI).subscribe(s);
        s.awaitChunks(1);
        s.request(1);
        s.awaitChunks(2);
        s.request(2);
        CallResponse done = s.awaitDone();

        assertThat(s.deltas()).extracting(CallChunk::contentDelta).containsExactly("a", "b", "c");
        assertThat(done.content()).isEqualTo("abc");
        assertThat(s.signalsAfterTerminal()).isZero();
    }

    @Test
    void aCancelAfterTheMoveCancelsTheAlternative() throws Exception {
        openai.setDispatcher(always(() -> status(503)));
        SseResponses.Script endless = new SseResponses.Script(List.of(anthropicEvents("a").get(0),
                anthropicEvents("a").get(1), anthropicEvents("a").get(2), HANG));
        anthropic.setDispatcher(always(() -> sse(endless)));
        LlmixClient client = client();

        RecordingChunkSubscriber s = stream(client);
        s.awaitChunks(1);
        s.cancel();

        assertThat(client.inFlight()).isZero();
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (pipeline.streamsInFlight() > 0 && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        assertThat(pipeline.streamsInFlight()).isZero();
        assertThat(s.chunks()).noneMatch(CallChunk::done);
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static Dispatcher always(Supplier<MockResponse> response) {
        return new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return response.get();
            }
        };
    }

    private static MockResponse status(int code) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json")
                .body("{\"error\":{\"message\":\"status " + code + "\"}}").build();
    }

    private static String openaiChunk(String text) {
        return data("{\"model\":\"gpt-4\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + text
                + "\"},\"finish_reason\":null}]}");
    }

    /** A complete Anthropic stream with one text delta per piece. */
    private static MockResponse anthropicStream(String... pieces) {
        return sse(new SseResponses.Script(List.copyOf(anthropicEvents(pieces))));
    }

    private static List<Object> anthropicEvents(String... pieces) {
        List<Object> steps = new java.util.ArrayList<>();
        steps.add(event("message_start", "{\"type\":\"message_start\",\"message\":{\"model\":\"claude-haiku-4-5\","
                + "\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}"));
        steps.add(event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
        for (String piece : pieces) {
            steps.add(event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\"" + piece + "\"}}"));
        }
        steps.add(event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
        steps.add(event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
                + "\"usage\":{\"output_tokens\":3}}"));
        steps.add(event("message_stop", "{\"type\":\"message_stop\"}"));
        return steps;
    }
}
