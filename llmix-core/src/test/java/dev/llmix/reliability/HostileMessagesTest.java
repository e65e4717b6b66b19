package dev.llmix.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.cache.TwoTierCache;
import dev.llmix.config.CachingStrategy;
import dev.llmix.config.LlmConfig;
import dev.llmix.config.TimeoutConfig;
import dev.llmix.keys.KeyPool;
import dev.llmix.spi.CacheHitTier;
import dev.llmix.spi.CallInput;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.pipeline.PipelineConfig;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile call input and hostile provider answers through the whole pipeline and the real HTTP adapter. A call never
 * throws, never hangs and never leaks a library-internal exception: the allowed outcome is a {@link CallResponse},
 * successful or failed with a clear {@code error} (for messages that are not JSON values: the offending type named).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileMessagesTest {

    private static final long LIMIT_MS = 20_000;

    @TempDir
    Path stateDir;

    private final LoopbackProvider provider = new LoopbackProvider();
    private CallPipeline pipeline;

    @BeforeEach
    void start() {
        TwoTierCache cache = TwoTierCache.builder().strategy(CachingStrategy.MEMORY).maxItems(100).build();
        pipeline = new CallPipeline(PipelineConfig.builder()
                .maxRetries(0).retryBaseMs(1).retryMaxDelayMs(1).retryJitterMs(0)
                .semaphoreInitial(8).semaphoreMin(2).circuitBreakerThreshold(Integer.MAX_VALUE)
                .responseCache(cache).stateDir(stateDir).env(name -> null).build(), provider.dispatch());
        pipeline.setKeyPool("openai", new KeyPool(List.of("sk-hostile-messages-key")));
    }

    @AfterEach
    void stop() {
        pipeline.close();
        provider.close();
    }

    private LlmConfig cached() {
        return provider.preset().caching(CachingStrategy.MEMORY).build();
    }

    /** Runs the call synchronously and asynchronously; both must answer (never throw) within the limit. */
    private CallResponse answer(String what, LlmConfig config, List<?> messages) {
        Hostile.Outcome sync = Hostile.expectTyped(what + " (call)", LIMIT_MS,
                () -> pipeline.call(CallInput.of(config, messages)));
        Hostile.Outcome async = Hostile.expectTyped(what + " (callAsync)", LIMIT_MS,
                () -> pipeline.callAsync(CallInput.of(config, messages)).get(LIMIT_MS, TimeUnit.MILLISECONDS));
        CallResponse r = (CallResponse) sync.value();
        assertThat(r).isNotNull();
        assertThat(async.value()).isNotNull();
        if (!r.success()) {
            assertThat(r.error()).as(what).isNotBlank();
        }
        return r;
    }

    // --- messages ---------------------------------------------------------------------------------------------------

    @Test
    void messagesThatAreNotJsonValuesFailClearlyBeforeAnyDispatch() {
        Map<String, Object> cyclicMap = new HashMap<>();
        cyclicMap.put("self", cyclicMap);
        List<Object> cyclicList = new ArrayList<>();
        cyclicList.add(cyclicList);
        Object deep = "leaf";
        for (int i = 0; i < 100_000; i++) {
            deep = List.of(deep);
        }
        Map<String, List<?>> cases = new LinkedHashMap<>();
        cases.put("java.lang.Object", List.of(new Object()));
        cases.put("java.lang.Thread", List.of(Map.of("role", "user", "content", Thread.currentThread())));
        cases.put("java.util.Optional", List.of(Map.of("role", "user", "content", Optional.of("x"))));
        cases.put("java.time.Instant", List.of(Map.of("role", "user", "content", Instant.EPOCH)));
        cases.put("char[]", List.of(Map.of("role", "user", "content", "hi".toCharArray())));
        cases.put("record", List.of(new Message("user", "hi")));
        cases.put("non-string key", List.of(Map.of(1, "x")));
        cases.put("cycle (map)", List.of(cyclicMap));
        cases.put("cycle (list)", List.of(cyclicList));
        cases.put("100,000 levels", List.of(deep));

        for (Map.Entry<String, List<?>> c : cases.entrySet()) {
            for (LlmConfig config : List.of(provider.preset().build(), cached())) {
                CallResponse r = answer(c.getKey(), config, c.getValue());
                assertThat(r.success()).as(c.getKey()).isFalse();
                assertThat(r.error()).as(c.getKey()).doesNotContain("NullPointerException", "StackOverflowError");
            }
        }
        assertThat(cases.keySet()).hasSize(10);
        CallResponse object = pipeline.call(CallInput.of(provider.preset().build(), cases.get("java.lang.Object")));
        assertThat(object.error()).contains("java.lang.Object");
        CallResponse thread = pipeline.call(CallInput.of(provider.preset().build(), cases.get("java.lang.Thread")));
        assertThat(thread.error()).contains("java.lang.Thread");
        assertThat(provider.dispatches.get()).as("nothing reaches the provider").isZero();
        assertThat(provider.requestCount()).isZero();
    }

    record Message(String role, String content) {
    }

    @Test
    void tenMegabyteMessageIsSentOnceAndThenServedFromTheCache() throws Exception {
        String big = "x".repeat(10 << 20);
        List<?> messages = List.of(Map.of("role", "user", "content", big));
        long start = System.nanoTime();
        CallResponse first = answer("10 MB message", cached(), messages);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(first.success()).as("error: %s", first.error()).isTrue();
        RecordedRequest request = provider.server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request).isNotNull();
        assertThat(request.getBodySize()).isGreaterThan(10L << 20);
        CallResponse again = pipeline.call(CallInput.of(cached(), messages));
        assertThat(again.cacheHit()).isEqualTo(CacheHitTier.L1);
        assertThat(provider.requestCount()).as("one request; the async twin was a cache hit").isEqualTo(1);
        Reports.record("10 MB message: first call (sync + async twin) through adapter and loopback", ms + " ms");
    }

    @Test
    void loneSurrogatesInMessagesAreSentAsValidUtf8OrRefusedClearly() throws Exception {
        for (String content : List.of("\ud800", "a\udfffb", "\udc00\ud800", "end\ud83d")) {
            CallResponse r = answer(Hostile.printable(content), cached(), List.of(Map.of("role", "user",
                    "content", content)));
            Reports.record("lone surrogate " + Hostile.printable(content), r.success() ? "sent" : r.error());
            if (r.success()) {
                RecordedRequest request = provider.server.takeRequest(5, TimeUnit.SECONDS);
                assertThat(request).isNotNull();
                byte[] body = request.getBody() == null ? new byte[0] : request.getBody().toByteArray();
                assertThat(isValidUtf8(body)).as("request body is valid UTF-8").isTrue();
            }
        }
    }

    // --- provider answers -------------------------------------------------------------------------------------------

    @Test
    void malformedProviderBodiesBecomeFailedResponsesNotExceptions() {
        List<String> bodies = List.of(
                "", "{", "null", "[]", "\"text\"", "123", "{\"choices\":null}", "{\"choices\":[]}",
                "{\"choices\":[null]}", "{\"choices\":[{\"message\":null}]}",
                "{\"choices\":[{\"message\":{\"content\":123}}]}",
                "{\"choices\":[{\"message\":{\"content\":{\"nested\":true}}}]}",
                "{\"choices\":[{\"message\":{\"content\":\"ok\"}}],\"usage\":{\"prompt_tokens\":-1}}",
                "{\"choices\":[{\"message\":{\"content\":\"ok\"}}],\"usage\":{\"prompt_tokens\":1e400}}",
                "{\"choices\":[{\"message\":{\"content\":\"ok\"}}],\"usage\":\"lots\"}",
                "{\"choices\":[{\"message\":{\"content\":\"ok\",\"tool_calls\":\"not a list\"}}]}",
                "{\"choices\":[{\"message\":{\"content\":\"ok\"}}]}garbage",
                "{\"choices\":[{\"message\":{\"content\":\"<think>never closed\"}}]}",
                "[".repeat(100_000),
                "{\"a\":".repeat(50_000),
                "\u0000\u0001\u0002",
                "x".repeat(1 << 20));
        int i = 0;
        List<String> accepted = new ArrayList<>();
        for (String body : bodies) {
            provider.behave(r -> LoopbackProvider.json(200, body));
            String what = "body #" + i + " " + Hostile.printable(body.length() > 60 ? body.substring(0, 60) : body);
            if (answer(what, provider.preset().build(), LoopbackProvider.message("malformed-" + i++)).success()) {
                accepted.add(what);
            }
        }
        Reports.record("malformed 200 bodies answered as success (of " + bodies.size() + ")", accepted.toString());
        // Bytes that are not UTF-8 at all.
        provider.behave(r -> new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .body(new Buffer().write(new byte[] {'{', '"', (byte) 0xFF, (byte) 0xC3, '"', ':', '1', '}'}))
                .build());
        answer("invalid UTF-8 body", provider.preset().build(), LoopbackProvider.message("malformed-utf8"));
        assertNothingHeld();
    }

    @Test
    void hugeAndHostileResponseHeadersNeverBreakTheCallOrTheWindow() {
        List<MockResponse> answers = new ArrayList<>();
        answers.add(ok().addHeader("x-huge", "v".repeat(64 * 1024)).build());
        MockResponse.Builder many = ok();
        for (int i = 0; i < 1_000; i++) {
            many.addHeader("x-many-" + i, "value-" + i);
        }
        answers.add(many.build());
        for (String[] rl : new String[][] {{"99999999999999999999999", "1"}, {"-5", "-5"}, {"NaN", "Infinity"},
                {"1e309", "0"}, {"0x10", "0x20"}, {"", ""}, {"5", "99999999999999999999999"}}) {
            answers.add(ok().addHeader("x-ratelimit-remaining-requests", rl[0])
                    .addHeader("x-ratelimit-limit-requests", rl[1]).build());
        }
        answers.add(new MockResponse.Builder().code(429).addHeader("Retry-After", "99999999999")
                .body("{\"error\":{\"message\":\"later\"}}").build());
        answers.add(new MockResponse.Builder().code(429).addHeader("Retry-After", "Wed, 21 Oct 2999 07:28:00 GMT")
                .body("{}").build());
        answers.add(new MockResponse.Builder().code(503).addHeader("Retry-After", "-1").body("{}").build());
        int i = 0;
        for (MockResponse a : answers) {
            provider.behave(r -> a);
            LlmConfig config = provider.preset().timeout(new TimeoutConfig(5, null)).build();
            answer("headers #" + i, config, LoopbackProvider.message("headers-" + i++));
            Integer w = pipeline.getSemaphoreWindow("openai");
            assertThat(w).as("window after answer %s", i).isBetween(2, 8);
        }
        assertNothingHeld();
    }

    private static MockResponse.Builder ok() {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .body(LoopbackProvider.OK_BODY);
    }

    private void assertNothingHeld() {
        try {
            PipelineFaultInjectionTest.assertNoResourcesHeld(pipeline);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static boolean isValidUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
