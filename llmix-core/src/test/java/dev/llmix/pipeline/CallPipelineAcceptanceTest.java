package dev.llmix.pipeline;

import dev.llmix.testsupport.ScriptedDispatch;
import dev.llmix.spi.CacheHitTier;
import dev.llmix.spi.CallInput;
import dev.llmix.spi.LlmUsage;
import dev.llmix.spi.ProviderException;
import dev.llmix.spi.ProviderResult;
import static dev.llmix.testsupport.ScriptedDispatch.result;
import static dev.llmix.testsupport.ScriptedDispatch.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmix.cache.TwoTierCache;
import dev.llmix.config.CachingStrategy;
import dev.llmix.keys.KeyPool;
import dev.llmix.spi.TransformKwargsCallback;
import dev.llmix.tools.ToolCall;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The acceptance checks 1–34 of pipeline.md §14, one test each (a few checks have a second half). */
class CallPipelineAcceptanceTest extends PipelineTestSupport {

    private static final TransformKwargsCallback APPEND_V1 = (ctx, kwargs) -> {
        Map<String, @Nullable Object> out = new LinkedHashMap<>(kwargs);
        out.put("baseUrl", ctx.baseUrl() + "/v1");
        return out;
    };

    private static final TransformKwargsCallback COPY_BASE_URL = (ctx, kwargs) -> {
        Map<String, @Nullable Object> out = new LinkedHashMap<>(kwargs);
        out.put("baseUrl", ctx.baseUrl());
        return out;
    };

    private static TwoTierCache memoryCache() {
        return TwoTierCache.builder().strategy(CachingStrategy.MEMORY).maxItems(8).ttl(Duration.ofSeconds(60))
                .build();
    }

    // 1
    @Test
    void happyPathReturnsContentModelProviderAndUsage() {
        CallResponse r = pipeline(ScriptedDispatch.ok("Hello, world!")).call(input());
        assertThat(r.success()).isTrue();
        assertThat(r.content()).isEqualTo("Hello, world!");
        assertThat(r.model()).isEqualTo("gpt-4");
        assertThat(r.provider()).isEqualTo("openai");
        assertThat(r.usage().totalTokens()).isEqualTo(30);
        assertThat(r.error()).isNull();
        assertThat(r.cacheHit()).isNull();
    }

    // 2
    @Test
    void providerErrorBecomesAFailedResponseWithZeroUsage() {
        CallResponse r = pipeline(ScriptedDispatch.failing(status(500))).call(input());
        assertThat(r.success()).isFalse();
        assertThat(r.content()).isEmpty();
        assertThat(r.error()).isEqualTo("HTTP 500 from provider");
        assertThat(r.usage()).isEqualTo(LlmUsage.ZERO);
    }

    // 3
    @Test
    void thinkingBlockIsStrippedIntoThinkingContent() {
        CallResponse r = pipeline(ScriptedDispatch.ok("<think>reasoning here</think>The answer is 42."))
                .call(input());
        assertThat(r.content()).isEqualTo("The answer is 42.");
        assertThat(r.thinkingContent()).isEqualTo("reasoning here");
    }

    // 4
    @Test
    void keepThinkingOutputReturnsTheContentVerbatim() {
        CallResponse r = pipeline(ScriptedDispatch.ok("<think>reasoning</think>The answer."))
                .call(input(config().common(common().keepThinkingOutput(true).build()).build()));
        assertThat(r.content()).contains("<think>");
        assertThat(r.thinkingContent()).isNull();
    }

    // 5
    @Test
    void concurrentCallsWithTheSameSingleflightKeyDispatchOnce() {
        ScriptedDispatch dispatch = ScriptedDispatch.delayed(50, ctx -> "Hello, world!");
        CallPipeline p = pipeline(dispatch);
        CallInput in = new CallInput(CONFIG, HI, "dedup-key");
        CompletableFuture<CallResponse> a = p.callAsync(in);
        CompletableFuture<CallResponse> b = p.callAsync(in);
        assertThat(a.join().success()).isTrue();
        assertThat(b.join().success()).isTrue();
        assertThat(dispatch.count()).isEqualTo(1);
        assertThat(p.singleflightCount()).isZero();
    }

    // 6
    @Test
    void permitIsReleasedAfterAFailedCall() {
        ScriptedDispatch dispatch = ScriptedDispatch.sequence(status(500), "ok");
        CallPipeline p = pipeline(options().semaphoreInitial(1).semaphoreMin(1), dispatch);
        assertThat(p.call(input()).success()).isFalse();
        assertThat(p.call(input()).success()).isTrue();
    }

    // 7
    @Test
    void exhaustedKeyPoolFailsFastWithoutHanging() {
        CallPipeline p = pipeline(options().semaphoreInitial(1).semaphoreMin(1), ScriptedDispatch.ok("x"));
        KeyPool pool = new KeyPool(List.of("test-key"));
        pool.markDead("test-key");
        p.setKeyPool("openai", pool);
        p.call(input()); // warm-up: class loading must not count against the 200 ms bound on a busy machine
        for (int i = 0; i < 2; i++) {
            long start = System.nanoTime();
            CallResponse r = p.call(input());
            assertThat(r.success()).isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(200));
        }
        assertThat(p.getSemaphoreWindow("openai")).isEqualTo(1);
    }

    // 8
    @Test
    void breakerOpensAfterTheThresholdAndThenFailsFast() {
        ScriptedDispatch dispatch = ScriptedDispatch.failing(status(500));
        CallPipeline p = pipeline(options().circuitBreakerThreshold(2).circuitBreakerCooldown(Duration.ofSeconds(60)),
                dispatch);
        assertThat(p.call(input()).success()).isFalse();
        assertThat(p.call(input()).success()).isFalse();
        CallResponse third = p.call(input());
        assertThat(third.error()).contains("Circuit breaker OPEN");
        assertThat(third.error()).isEqualTo("Circuit breaker OPEN for (openai, )");
        assertThat(dispatch.count()).isEqualTo(2);
    }

    // 9
    @Test
    void badRequestNeverTripsTheBreaker() {
        ScriptedDispatch dispatch = ScriptedDispatch.failing(status(400));
        CallPipeline p = pipeline(options().circuitBreakerThreshold(2), dispatch);
        for (int i = 0; i < 3; i++) {
            p.call(input());
        }
        assertThat(dispatch.count()).isEqualTo(3);
    }

    // 10
    @Test
    void localErrorFromDispatchDoesNotCountAgainstTheBreaker() {
        ScriptedDispatch dispatch = new ScriptedDispatch((ctx, n) -> {
            throw new IllegalArgumentException("bad request shape");
        });
        CallPipeline p = pipeline(options().circuitBreakerThreshold(1), dispatch);
        assertThat(p.call(input()).error()).isEqualTo("bad request shape");
        assertThat(p.call(input()).success()).isFalse();
        assertThat(dispatch.count()).isEqualTo(2);
        assertThat(p.getCircuitBreakerState("openai", "")).isEqualTo("CLOSED");
    }

    // 11
    @Test
    void rateLimitRotatesToTheNextKeyForTheRetry() {
        ScriptedDispatch dispatch = ScriptedDispatch.sequence(status(429), "ok");
        CallPipeline p = pipeline(options().maxRetries(2), dispatch);
        p.setKeyPool("openai", new KeyPool(List.of("key-a", "key-b")));
        assertThat(p.call(input()).success()).isTrue();
        assertThat(dispatch.keysSeen()).containsExactly("key-a", "key-b");
    }

    // 12
    @Test
    void killSwitchBlocksEveryCallBeforeAnythingElse() throws Exception {
        Files.writeString(stateDir.resolve("killswitch"), "maintenance");
        ScriptedDispatch dispatch = ScriptedDispatch.ok("x");
        CallPipeline p = new CallPipeline(options().build(), dispatch);
        try {
            CallResponse r = p.call(input());
            assertThat(r.success()).isFalse();
            assertThat(r.error()).contains("Kill switch active");
            assertThat(dispatch.count()).isZero();
            assertThat(p.getCircuitBreakerState("openai", "")).isNull();
        } finally {
            p.close();
        }
    }

    // 13
    @Test
    void retriesRecoverAfterTwoServiceUnavailables() {
        ScriptedDispatch dispatch = ScriptedDispatch.sequence(status(503), status(503), "recovered");
        CallResponse r = pipeline(options().maxRetries(3), dispatch).call(input());
        assertThat(r.success()).isTrue();
        assertThat(r.content()).isEqualTo("recovered");
        assertThat(dispatch.count()).isEqualTo(3);
    }

    // 14
    @Test
    void halfOpenCountsEachSuccessfulRetrySequenceAsOneOutcome() {
        AtomicLong nanos = new AtomicLong();
        List<Object> script = new ArrayList<>(List.of(status(503), status(503)));
        for (int i = 0; i < 5; i++) {
            script.add(status(503));
            script.add("ok");
        }
        ScriptedDispatch dispatch = ScriptedDispatch.sequence(script.toArray());
        CallPipeline p = pipeline(options().circuitBreakerThreshold(1).circuitBreakerCooldown(Duration.ofMillis(10))
                .maxRetries(1).nanoClock(nanos::get), dispatch);
        assertThat(p.call(input()).success()).isFalse();
        assertThat(p.getCircuitBreakerState("openai", "")).isEqualTo("OPEN");
        nanos.addAndGet(Duration.ofMillis(20).toNanos());
        for (int i = 0; i < 5; i++) {
            assertThat(p.call(input()).success()).as("call %d", i).isTrue();
        }
        assertThat(p.getCircuitBreakerState("openai", "")).isEqualTo("HALF_OPEN");
    }

    // 15
    @Test
    void halfOpenCountsEachFailedRetrySequenceAsOneOutcome() {
        AtomicLong nanos = new AtomicLong();
        ScriptedDispatch dispatch = ScriptedDispatch.failing(status(503));
        CallPipeline p = pipeline(options().circuitBreakerThreshold(1).circuitBreakerCooldown(Duration.ofMillis(10))
                .maxRetries(1).nanoClock(nanos::get), dispatch);
        p.call(input());
        nanos.addAndGet(Duration.ofMillis(20).toNanos());
        for (int i = 0; i < 5; i++) {
            assertThat(p.call(input()).success()).isFalse();
        }
        assertThat(p.getCircuitBreakerState("openai", "")).isEqualTo("HALF_OPEN");
        assertThat(dispatch.count()).isEqualTo(12);
    }

    // 16
    @Test
    void breakerIsKeyedByTheEffectiveBaseUrlFromTheTransform() {
        ScriptedDispatch dispatch = new ScriptedDispatch((ctx, n) -> {
            Object url = ctx.kwargs().get("baseUrl");
            return "https://bad.example/v1".equals(url) ? CompletableFuture.failedFuture(status(500))
                    : CompletableFuture.completedFuture(result((String) url));
        });
        CallPipeline p = pipeline(options().circuitBreakerThreshold(1).transformKwargsOverride("openai", APPEND_V1),
                dispatch);
        assertThat(p.call(input(config().baseUrl("https://bad.example").build())).success()).isFalse();
        CallResponse good = p.call(input(config().baseUrl("https://good.example").build()));
        assertThat(good.content()).isEqualTo("https://good.example/v1");
        assertThat(p.getCircuitBreakerState("openai", "https://bad.example/v1")).isEqualTo("OPEN");
        assertThat(p.getCircuitBreakerState("openai", "https://good.example/v1")).isEqualTo("CLOSED");
    }

    // 17
    @Test
    void cacheKeyIncludesTheEffectiveBaseUrl() {
        ScriptedDispatch dispatch = new ScriptedDispatch((ctx, n) ->
                CompletableFuture.completedFuture(result((String) ctx.kwargs().get("baseUrl"))));
        CallPipeline p = pipeline(options().responseCache(memoryCache()).transformKwargsOverride("openai", APPEND_V1),
                dispatch);
        CallResponse a = p.call(input(config().baseUrl("https://a.example").caching(CachingStrategy.MEMORY).build()));
        CallResponse b = p.call(input(config().baseUrl("https://b.example").caching(CachingStrategy.MEMORY).build()));
        CallResponse again = p.call(input(config().baseUrl("https://a.example").caching(CachingStrategy.MEMORY)
                .build()));
        assertThat(a.content()).isEqualTo("https://a.example/v1");
        assertThat(b.content()).isEqualTo("https://b.example/v1");
        assertThat(again.content()).isEqualTo("https://a.example/v1");
        assertThat(again.cacheHit()).isEqualTo(CacheHitTier.L1);
        assertThat(dispatch.count()).isEqualTo(2);
    }

    // 18
    @Test
    void singleflightKeyIncludesTheEffectiveBaseUrl() {
        ScriptedDispatch dispatch = ScriptedDispatch.delayed(50, ctx -> (String) ctx.kwargs().get("baseUrl"));
        CallPipeline p = pipeline(options().transformKwargsOverride("openai", COPY_BASE_URL), dispatch);
        CompletableFuture<CallResponse> a = p.callAsync(input(config().baseUrl("https://a.example").build()));
        CompletableFuture<CallResponse> b = p.callAsync(input(config().baseUrl("https://b.example").build()));
        assertThat(a.join().content()).isEqualTo("https://a.example");
        assertThat(b.join().content()).isEqualTo("https://b.example");
        assertThat(dispatch.count()).isEqualTo(2);
    }

    // 19
    @Test
    void providerOptionsKeyOrderDoesNotSplitTheSingleflight() {
        ScriptedDispatch dispatch = ScriptedDispatch.delayed(50, ctx -> "x");
        CallPipeline p = pipeline(dispatch);
        Map<String, Object> nested1 = new LinkedHashMap<>();
        nested1.put("x", 1);
        nested1.put("y", 2);
        Map<String, @Nullable Object> options1 = new LinkedHashMap<>();
        options1.put("alpha", 1);
        options1.put("nested", nested1);
        Map<String, Object> nested2 = new LinkedHashMap<>();
        nested2.put("y", 2);
        nested2.put("x", 1);
        Map<String, @Nullable Object> options2 = new LinkedHashMap<>();
        options2.put("nested", nested2);
        options2.put("alpha", 1);
        CompletableFuture<CallResponse> a = p.callAsync(input(config().providerOptions(options1).build()));
        CompletableFuture<CallResponse> b = p.callAsync(input(config().providerOptions(options2).build()));
        assertThat(a.join().success()).isTrue();
        assertThat(b.join().success()).isTrue();
        assertThat(dispatch.count()).isEqualTo(1);
    }

    // 20
    @Test
    void differentTopKValuesAreDifferentRequests() {
        ScriptedDispatch dispatch = ScriptedDispatch.delayed(50, ctx -> String.valueOf(ctx.kwargs().get("top_k")));
        CallPipeline p = pipeline(dispatch);
        p.setKeyPool("deepinfra", new KeyPool(List.of("di-key")));
        CompletableFuture<CallResponse> a = p.callAsync(input(config().provider("deepinfra")
                .common(common().topK(16).build()).build()));
        CompletableFuture<CallResponse> b = p.callAsync(input(config().provider("deepinfra")
                .common(common().topK(32).build()).build()));
        assertThat(a.join().content()).isEqualTo("16");
        assertThat(b.join().content()).isEqualTo("32");
        assertThat(dispatch.count()).isEqualTo(2);
    }

    // 21
    @Test
    void everyCommonParameterReachesTheDispatchKwargs() {
        ScriptedDispatch dispatch = ScriptedDispatch.ok("x");
        CallPipeline p = pipeline(dispatch);
        p.setKeyPool("deepinfra", new KeyPool(List.of("di-key")));
        p.call(input(config().provider("deepinfra").common(common().temperature(0.15).topP(0.92).maxOutputTokens(384)
                .topK(64).presencePenalty(0.25).frequencyPenalty(0.35).stopSequences(List.of("END")).seed(19).build())
                .build()));
        assertThat(dispatch.lastKwargs()).isEqualTo(Map.of("temperature", 0.15, "top_p", 0.92, "max_tokens", 384,
                "top_k", 64, "presence_penalty", 0.25, "frequency_penalty", 0.35, "stop", List.of("END"),
                "seed", 19));
    }

    // 22
    @Test
    void googleThinkingWithoutBudgetSendsNoBudget() {
        ScriptedDispatch dispatch = ScriptedDispatch.ok("x");
        CallPipeline p = pipeline(dispatch);
        p.setKeyPool("google", new KeyPool(List.of("g-key")));
        p.call(input(config().provider("google").model("gemini-2.5-flash")
                .common(common().enableThinking(true).build()).build()));
        assertThat(dispatch.count()).isEqualTo(1);
        assertThat(String.valueOf(dispatch.lastKwargs())).doesNotContain("thinkingBudget");
    }

    // 23
    @Test
    void resultsWithToolCallsAreNotCached() {
        List<@Nullable Object> toolCalls = List.of(Map.of("id", "call_1", "type", "function",
                "function", Map.of("name", "lookup", "arguments", "{}")));
        ScriptedDispatch dispatch = ScriptedDispatch.sequence(
                new ProviderResult("", "gpt-4", LlmUsage.of(10, 20, 30), null, toolCalls));
        CallPipeline p = pipeline(options().responseCache(memoryCache()), dispatch);
        CallInput in = input(config().caching(CachingStrategy.MEMORY).build());
        CallResponse first = p.call(in);
        CallResponse second = p.call(in);
        assertThat(dispatch.count()).isEqualTo(2);
        assertThat(first.toolCalls()).containsExactly(ToolCall.of("call_1", "lookup", "{}"));
        assertThat(second.toolCalls()).containsExactly(ToolCall.of("call_1", "lookup", "{}"));
        assertThat(second.cacheHit()).isNull();
    }

    // 24
    @Test
    void cacheHitReportsTheConfiguredModelAndZeroUsage() {
        ScriptedDispatch dispatch = ScriptedDispatch.sequence(
                ProviderResult.of("cached text", "gpt-4-0613", LlmUsage.of(10, 20, 30)));
        CallPipeline p = pipeline(options().responseCache(memoryCache()), dispatch);
        CallInput in = input(config().caching(CachingStrategy.MEMORY).build());
        CallResponse first = p.call(in);
        CallResponse second = p.call(in);
        assertThat(dispatch.count()).isEqualTo(1);
        assertThat(first.model()).isEqualTo("gpt-4-0613");
        assertThat(first.usage()).isEqualTo(LlmUsage.of(10, 20, 30));
        assertThat(second.cacheHit()).isEqualTo(CacheHitTier.L1);
        assertThat(second.usage()).isEqualTo(LlmUsage.ZERO);
        assertThat(second.model()).isEqualTo("gpt-4");
        assertThat(second.content()).isEqualTo("cached text");
    }

    // 25
    @Test
    void cacheStoresTheRawTextSoAHitHonoursKeepThinkingOutput() {
        ScriptedDispatch dispatch = ScriptedDispatch.ok("<think>a</think>B");
        CallPipeline p = pipeline(options().responseCache(memoryCache()), dispatch);
        CallResponse first = p.call(input(config().caching(CachingStrategy.MEMORY).build()));
        CallResponse second = p.call(input(config().caching(CachingStrategy.MEMORY)
                .common(common().keepThinkingOutput(true).build()).build()));
        assertThat(first.content()).isEqualTo("B");
        assertThat(first.thinkingContent()).isEqualTo("a");
        assertThat(second.cacheHit()).isEqualTo(CacheHitTier.L1);
        assertThat(second.content()).isEqualTo("<think>a</think>B");
        assertThat(second.thinkingContent()).isNull();
        assertThat(dispatch.count()).isEqualTo(1);
    }

    // 26
    @Test
    void cacheIsNotUsedWhenThePresetHasNoCachingBlock() {
        ScriptedDispatch dispatch = ScriptedDispatch.ok("x");
        CallPipeline p = pipeline(options().responseCache(memoryCache()), dispatch);
        assertThat(p.call(input()).cacheHit()).isNull();
        assertThat(p.call(input()).cacheHit()).isNull();
        assertThat(dispatch.count()).isEqualTo(2);
    }

    // 27
    @Test
    void rateLimitHeadersSetTheWindow() {
        ScriptedDispatch withHeaders = ScriptedDispatch.sequence(new ProviderResult("x", "gpt-4",
                LlmUsage.of(1, 1, 2), Map.of("x-ratelimit-remaining-requests", "1",
                        "x-ratelimit-limit-requests", "500"), null));
        CallPipeline p = pipeline(withHeaders);
        p.call(input());
        assertThat(p.getSemaphoreWindow("openai")).isEqualTo(4);

        CallPipeline plain = pipeline(ScriptedDispatch.ok("x"));
        plain.call(input());
        assertThat(plain.getSemaphoreWindow("openai")).isEqualTo(32);
    }

    // 28
    @Test
    void rateLimitHalvesTheWindowAndTheSuccessfulRetryGrowsIt() {
        CallPipeline p = pipeline(options().maxRetries(1), ScriptedDispatch.sequence(status(429), "ok"));
        assertThat(p.call(input()).success()).isTrue();
        assertThat(p.getSemaphoreWindow("openai")).isEqualTo(17);
    }

    // 29
    @Test
    void authFailuresMarkKeysDeadUntilThePoolIsExhausted() {
        ScriptedDispatch dispatch = ScriptedDispatch.sequence(status(401), status(403));
        CallPipeline p = pipeline(options().maxRetries(3), dispatch);
        p.setKeyPool("openai", new KeyPool(List.of("k1", "k2")));
        assertThat(p.call(input()).success()).isFalse();
        assertThat(dispatch.count()).isEqualTo(1);
        assertThat(p.call(input()).success()).isFalse();
        assertThat(dispatch.keysSeen()).containsExactly("k1", "k2");
        CallResponse third = p.call(input());
        assertThat(third.error())
                .isEqualTo("All 2 keys are dead (401/403). Replace keys or wait for provider resolution.");
        assertThat(dispatch.count()).isEqualTo(2);
        assertThat(p.getCircuitBreakerState("openai", "")).isEqualTo("CLOSED");
    }

    // 30
    @Test
    void retryAfterHeaderSetsTheBackOffWhateverItsCase() {
        List<Long> sleeps = new CopyOnWriteArrayList<>();
        ProviderException withHeader = new ProviderException("busy", 503, Map.of("Retry-After", "2"));
        CallPipeline p = pipeline(options().maxRetries(1).retryBaseMs(1000).retryMaxDelayMs(30_000)
                .sleeper(sleeps::add), ScriptedDispatch.sequence(withHeader, "ok"));
        assertThat(p.call(input()).success()).isTrue();
        assertThat(sleeps).containsExactly(2000L);

        sleeps.clear();
        CallPipeline q = pipeline(options().maxRetries(1).retryBaseMs(1000).retryMaxDelayMs(30_000)
                .sleeper(sleeps::add), ScriptedDispatch.sequence(status(503), "ok"));
        assertThat(q.call(input()).success()).isTrue();
        assertThat(sleeps).containsExactly(1000L);
    }

    // 31
    @Test
    void missingKeyPoolFailsWithoutRetryOrBreakerImpact() {
        ScriptedDispatch dispatch = ScriptedDispatch.ok("x");
        CallPipeline p = new CallPipeline(options().maxRetries(3).build(), dispatch);
        try {
            CallResponse r = p.call(input());
            assertThat(r.success()).isFalse();
            assertThat(r.error()).startsWith("No API key pool for provider \"openai\"")
                    .isEqualTo("No API key pool for provider \"openai\". Set OPENAI_API_KEY or OPENAI_KEYS.");
            assertThat(dispatch.count()).isZero();
            assertThat(p.getCircuitBreakerState("openai", "")).isEqualTo("CLOSED");
        } finally {
            p.close();
        }
    }

    // 32
    @Test
    void closedPipelineRejectsCallsAndLeavesASharedCacheOpen() {
        TwoTierCache shared = memoryCache();
        CallInput cached = input(config().caching(CachingStrategy.MEMORY).build());
        CallPipeline first = pipeline(options().responseCache(shared).closeResponseCache(false),
                ScriptedDispatch.ok("from provider"));
        assertThat(first.call(cached).success()).isTrue();
        first.close();
        first.close();
        CallResponse after = first.call(input());
        assertThat(after.success()).isFalse();
        assertThat(after.error()).isEqualTo("AdaptiveSemaphore is closed");

        ScriptedDispatch second = ScriptedDispatch.ok("unused");
        CallResponse hit = pipeline(options().responseCache(shared), second).call(cached);
        assertThat(hit.cacheHit()).isEqualTo(CacheHitTier.L1);
        assertThat(hit.content()).isEqualTo("from provider");
        assertThat(second.count()).isZero();
    }

    // 33
    @Test
    void invalidOptionsAreRejectedAtConstruction() {
        assertThatThrownBy(() -> PipelineConfig.builder().semaphoreInitial(2).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("minConcurrency must be <= initial");
        assertThatThrownBy(() -> PipelineConfig.builder().maxRetries(-1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxRetries must be a non-negative integer, got -1");
    }

    // 34
    @Test
    void invalidGlobalConcurrencyFailsConstruction() {
        PipelineConfig options = options().env(name -> name.equals("LLM_GLOBAL_CONCURRENCY") ? "0" : null).build();
        assertThatThrownBy(() -> new CallPipeline(options, ScriptedDispatch.ok("x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("LLM_GLOBAL_CONCURRENCY must be a positive integer, got \"0\"");
    }
}
