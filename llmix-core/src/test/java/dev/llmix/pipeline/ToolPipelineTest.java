package dev.llmix.pipeline;

import dev.llmix.spi.CacheHitTier;
import dev.llmix.spi.CallInput;
import dev.llmix.spi.LlmUsage;
import dev.llmix.spi.ProviderResult;
import dev.llmix.testsupport.ScriptedDispatch;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.cache.CacheKeyParams;
import dev.llmix.cache.CacheKeys;
import dev.llmix.internal.json.CanonicalJson;
import dev.llmix.spi.ResponseCacheStore;
import dev.llmix.cache.TwoTierCache;
import dev.llmix.client.Message;
import dev.llmix.config.CachingStrategy;
import dev.llmix.spi.TransformKwargsCallback;
import dev.llmix.tools.Tool;
import dev.llmix.tools.ToolCall;
import dev.llmix.tools.ToolChoice;
import dev.llmix.tools.ToolSet;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Tools acceptance checks 7–9 (pipeline side) and 22–26: kwargs, cache bypass and singleflight with tools. */
class ToolPipelineTest extends PipelineTestSupport {

    private static final Tool GET_WEATHER = Tool.function("get_weather", "Weather for a city",
            "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}");
    private static final Tool GET_TIME = Tool.function("get_time", "Current time");
    private static final ToolSet WEATHER = new ToolSet(List.of(GET_WEATHER), null, null);

    /** A store that counts every access, to show that calls with tools never touch the cache. */
    private static final class CountingStore implements ResponseCacheStore {
        final AtomicInteger gets = new AtomicInteger();
        final AtomicInteger sets = new AtomicInteger();

        @Override
        public @Nullable String get(String key) {
            gets.incrementAndGet();
            return null;
        }

        @Override
        public void setex(String key, long ttlSeconds, String value) {
            sets.incrementAndGet();
        }

        @Override
        public void ping() {
        }

        @Override
        public void close() {
        }
    }

    private static TwoTierCache memoryCache() {
        return TwoTierCache.builder().strategy(CachingStrategy.MEMORY).maxItems(8).ttl(Duration.ofSeconds(60))
                .build();
    }

    private static CallInput withTools(ToolSet tools) {
        return new CallInput(config().caching(CachingStrategy.MEMORY).build(), HI, null, tools, null);
    }

    // 22
    @Test
    void dispatchKwargsCarryTheToolKeysAfterThePortableOnes() {
        ScriptedDispatch dispatch = ScriptedDispatch.ok("hi");
        CallPipeline p = pipeline(dispatch);

        p.call(new CallInput(CONFIG, HI, null, new ToolSet(List.of(GET_WEATHER), ToolChoice.required(), false),
                null));

        Map<String, ?> kwargs = dispatch.lastKwargs();
        assertThat(kwargs.keySet()).containsExactly("temperature", "tools", "tool_choice", "parallel_tool_calls");
        assertThat(kwargs.get("tools")).isEqualTo(List.of(GET_WEATHER.toWire()));
        assertThat(kwargs.get("tool_choice")).isEqualTo("required");
        assertThat(kwargs.get("parallel_tool_calls")).isEqualTo(false);
    }

    // 22
    @Test
    void aTransformOverrideMayRemoveToolChoice() {
        TransformKwargsCallback drop = (ctx, kw) -> {
            Map<String, @Nullable Object> copy = new LinkedHashMap<>(kw);
            copy.remove("tool_choice");
            return copy;
        };
        ScriptedDispatch dispatch = ScriptedDispatch.ok("hi");
        CallPipeline p = pipeline(options().transformKwargsOverride("openai", drop), dispatch);

        p.call(new CallInput(CONFIG, HI, null, new ToolSet(List.of(GET_WEATHER), ToolChoice.auto(), null), null));

        assertThat(dispatch.lastKwargs()).containsKey("tools").doesNotContainKey("tool_choice");
    }

    // 22
    @Test
    void toolLessKwargsAreUnchanged() {
        ScriptedDispatch dispatch = ScriptedDispatch.ok("hi");
        pipeline(dispatch).call(input());
        assertThat(dispatch.lastKwargs().keySet()).containsExactly("temperature");
    }

    // 7, 23
    @Test
    void callsWithToolsNeitherReadNorWriteTheCache() {
        CountingStore store = new CountingStore();
        TwoTierCache cache = TwoTierCache.builder().strategy(CachingStrategy.REDIS).l2(store).maxItems(8)
                .ttl(Duration.ofSeconds(60)).build();
        ScriptedDispatch dispatch = ScriptedDispatch.ok("It is sunny");
        CallPipeline p = pipeline(options().responseCache(cache), dispatch);
        CallInput in = new CallInput(config().caching(CachingStrategy.REDIS).build(), HI, null, WEATHER, null);

        CallResponse first = p.call(in);
        CallResponse second = p.call(in);

        assertThat(dispatch.count()).isEqualTo(2);
        assertThat(store.gets).hasValue(0);
        assertThat(store.sets).hasValue(0);
        assertThat(cache.stats().l1Size()).isZero();
        assertThat(first.cacheHit()).isNull();
        assertThat(second.cacheHit()).isNull();
    }

    // 7
    @Test
    void aToolCallReplyIsTypedAndNotCached() {
        ProviderResult reply = new ProviderResult("", "gpt-4", LlmUsage.of(1, 1, 2), null,
                List.of(Map.of("id", "call_1", "type", "function", "function",
                        Map.of("name", "get_weather", "arguments", "{\"city\":\"Paris\"}"))), "tool_calls", null);
        TwoTierCache cache = memoryCache();
        CallPipeline p = pipeline(options().responseCache(cache), ScriptedDispatch.sequence(reply));

        CallResponse r = p.call(input(config().caching(CachingStrategy.MEMORY).build()));

        assertThat(r.content()).isEmpty();
        assertThat(r.toolCalls()).containsExactly(ToolCall.of("call_1", "get_weather", "{\"city\":\"Paris\"}"));
        assertThat(r.toolCalls().get(0).argumentsAsMap()).isEqualTo(Map.of("city", "Paris"));
        assertThat(r.finishReason()).isEqualTo("tool_calls");
        assertThat(r.hasToolCalls()).isTrue();
        assertThat(cache.stats().l1Size()).isZero();
    }

    // 8
    @Test
    void aToolCallThatIsNotOpenAiShapedFailsTheCall() {
        ProviderResult reply = new ProviderResult("", "gpt-4", LlmUsage.of(1, 1, 2), null, List.of(42));
        CallResponse r = pipeline(ScriptedDispatch.sequence(reply)).call(input());

        assertThat(r.success()).isFalse();
        assertThat(r.error()).isEqualTo("dispatch returned a tool call that is not OpenAI-shaped: java.lang.Integer");
    }

    // 9
    @Test
    void aRefusalIsReportedAndNotCached() {
        ProviderResult reply = new ProviderResult("", "gpt-4", LlmUsage.of(1, 1, 2), null, null, "stop",
                "I can't help");
        TwoTierCache cache = memoryCache();
        ScriptedDispatch dispatch = ScriptedDispatch.sequence(reply);
        CallPipeline p = pipeline(options().responseCache(cache), dispatch);
        CallInput in = input(config().caching(CachingStrategy.MEMORY).build());

        CallResponse r = p.call(in);
        p.call(in);

        assertThat(r.refusal()).isEqualTo("I can't help");
        assertThat(dispatch.count()).isEqualTo(2);
    }

    // 24
    @Test
    void theSameMessagesWithoutToolsAreCachedUnderTheFifteenFieldKey() {
        TwoTierCache cache = memoryCache();
        ScriptedDispatch dispatch = ScriptedDispatch.ok("sunny");
        CallPipeline p = pipeline(options().responseCache(cache), dispatch);
        CallInput in = input(config().caching(CachingStrategy.MEMORY).build());

        CallResponse miss = p.call(in);
        CallResponse hit = p.call(in);

        assertThat(miss.cacheHit()).isNull();
        assertThat(hit.cacheHit()).isEqualTo(CacheHitTier.L1);
        String key = CacheKeyParams.builder().provider("openai").model("gpt-4").messages(HI).temperature(0.7)
                .key(CacheKeys.DEFAULT_PREFIX);
        assertThat(cache.get(key)).isNotNull();
    }

    // 25
    @Test
    void concurrentEqualToolCallsShareOneDispatchAndDifferentToolsDoNot() {
        ScriptedDispatch dispatch = ScriptedDispatch.delayed(50, ctx -> "done");
        CallPipeline p = pipeline(dispatch);
        CompletableFuture<CallResponse> a = p.callAsync(withTools(WEATHER));
        CompletableFuture<CallResponse> b = p.callAsync(withTools(WEATHER));
        CompletableFuture.allOf(a, b).join();
        assertThat(dispatch.count()).isEqualTo(1);

        ScriptedDispatch d2 = ScriptedDispatch.delayed(50, ctx -> "done");
        CallPipeline p2 = pipeline(d2);
        CompletableFuture<CallResponse> c = p2.callAsync(withTools(WEATHER));
        CompletableFuture<CallResponse> d = p2.callAsync(withTools(new ToolSet(List.of(GET_WEATHER, GET_TIME), null,
                null)));
        CompletableFuture<CallResponse> e = p2.callAsync(withTools(WEATHER.withChoice(ToolChoice.required())));
        CompletableFuture.allOf(c, d, e).join();
        assertThat(d2.count()).isEqualTo(3);

        ScriptedDispatch d3 = ScriptedDispatch.delayed(50, ctx -> "done");
        CallPipeline p3 = pipeline(d3);
        CompletableFuture<CallResponse> f = p3.callAsync(new CallInput(CONFIG, HI, "shared", WEATHER, null));
        CompletableFuture<CallResponse> g = p3.callAsync(new CallInput(CONFIG, HI, "shared",
                WEATHER.withChoice(ToolChoice.required()), null));
        CompletableFuture.allOf(f, g).join();
        assertThat(d3.count()).isEqualTo(1);
    }

    // 26
    @Test
    void anAssistantTurnWithCallsCanonicalisesWithNullContent() {
        ToolCall call = ToolCall.of("call_1", "get_weather", "{\"city\":\"Paris\"}");
        assertThat(CanonicalJson.stringify(Message.assistant(null, List.of(call)).toMap())).isEqualTo(
                "{\"content\":null,\"role\":\"assistant\",\"tool_calls\":[{\"function\":{\"arguments\":"
                        + "\"{\\\"city\\\":\\\"Paris\\\"}\",\"name\":\"get_weather\"},\"id\":\"call_1\","
                        + "\"type\":\"function\"}]}");
    }

    @Test
    void responseJsonOmitsEmptyToolCallsAndAbsentReasons() {
        CallResponse r = pipeline(ScriptedDispatch.ok("hi")).call(input());
        String json = tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(r);
        assertThat(json).doesNotContain("toolCalls").doesNotContain("finishReason").doesNotContain("refusal");
        assertThat(r.toolCalls()).isEmpty();
    }

    // 45 (cache predicate)
    @Test
    void theCacheablePredicateDecidesTheWrite() {
        TwoTierCache cache = memoryCache();
        ScriptedDispatch dispatch = ScriptedDispatch.sequence("bad", "good");
        CallPipeline p = pipeline(options().responseCache(cache), dispatch);
        CallInput in = new CallInput(config().caching(CachingStrategy.MEMORY).build(), HI, null, null,
                "good"::equals);

        assertThat(p.call(in).content()).isEqualTo("bad");
        assertThat(p.call(in).content()).isEqualTo("good");
        CallResponse hit = p.call(in);

        assertThat(hit.content()).isEqualTo("good");
        assertThat(hit.cacheHit()).isEqualTo(CacheHitTier.L1);
        assertThat(dispatch.count()).isEqualTo(2);
    }
}
