package dev.llmix.spring.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.cache.TwoTierCache;
import dev.llmix.config.CachingStrategy;
import dev.llmix.config.LlmConfig;
import dev.llmix.keys.KeyPool;
import dev.llmix.spi.CacheHitTier;
import dev.llmix.spi.CallInput;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.spi.DispatchFunction;
import dev.llmix.spi.LlmUsage;
import dev.llmix.spi.ProviderResult;
import dev.llmix.spring.redis.L2TestSupport.CapturedLogs;
import dev.llmix.spring.redis.L2TestSupport.FastHealthScheduler;
import dev.llmix.testsupport.PipelineFixtures;
import dev.llmix.testsupport.RealRedis;
import dev.llmix.tools.Tool;
import dev.llmix.tools.ToolSet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The response cache through {@link CallPipeline} with a real Redis as L2: what a call writes, what another process
 * (or another LLMix binding) reads back, TTL expiry, malformed values, and Redis dying and returning mid-run.
 */
class RedisL2PipelineTest {

    @RegisterExtension
    static final RealRedis REDIS = RealRedis.create();

    /** response-cache.md §9 check 1: the key every binding computes for this request. */
    static final String HELLO_KEY = "llmix:resp:d276f20b49aea40a066d9ae08797ab429a903f8385b164e1c6e8eb4a7cf16661";
    static final LlmConfig CONFIG = LlmConfig.builder("openai", "gpt-4o").caching(CachingStrategy.REDIS).build();
    static final List<Map<String, Object>> HELLO = List.of(Map.of("role", "user", "content", "Hello"));

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static LettuceConnectionFactory factory;

    @TempDir
    Path stateDir;

    private final AtomicInteger dispatches = new AtomicInteger();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    /** Answers {@code "answer: <last message content>"} and counts its invocations. */
    private final DispatchFunction echo = ctx -> {
        dispatches.incrementAndGet();
        @SuppressWarnings("unchecked")
        Map<String, Object> last = (Map<String, Object>) ctx.messages().get(ctx.messages().size() - 1);
        return CompletableFuture.completedFuture(
                ProviderResult.of("answer: " + last.get("content"), "gpt-4o-2024-08-06", LlmUsage.of(1, 2, 3)));
    };

    @BeforeAll
    static void connect() {
        factory = LlmixRedisConnections.startedConnectionFactory(REDIS.url());
    }

    @AfterAll
    static void disconnect() {
        factory.destroy();
    }

    @BeforeEach
    void flush() {
        REDIS.flushAll();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    /** A redis cache with its own, empty L1; L2 writes run on the calling thread so tests can read them at once. */
    private TwoTierCache cache(int ttlSeconds) {
        return TwoTierCache.builder()
                .strategy(CachingStrategy.REDIS)
                .ttl(Duration.ofSeconds(ttlSeconds))
                .l2(new RedisResponseCacheStore(factory))
                .l2Executor(Runnable::run)
                .build();
    }

    private CallPipeline pipeline(TwoTierCache cache) {
        CallPipeline p = new CallPipeline(PipelineFixtures.deterministic(stateDir)
                .responseCache(cache)
                .build(), echo);
        p.setKeyPool("openai", new KeyPool(List.of("test-key")));
        closeables.add(p); // closes the cache too (closeResponseCache defaults to true)
        return p;
    }

    private static CallInput hello() {
        return CallInput.of(CONFIG, HELLO);
    }

    private static CallInput ask(String prompt) {
        return CallInput.of(CONFIG, List.of(Map.of("role", "user", "content", prompt)));
    }

    // ---- calls with tools (docs/tools.md) ------------------------------------------------------------------------

    @Test
    void aCallWithToolsNeitherReadsNorWritesTheRedisL2() {
        ToolSet tools = new ToolSet(List.of(Tool.function("get_weather", "Weather for a city")), null, null);
        CallPipeline p = pipeline(cache(60));
        p.call(hello()); // writes HELLO_KEY to L1 and L2
        CallPipeline fresh = pipeline(cache(60));

        CallResponse first = fresh.call(new CallInput(CONFIG, HELLO, null, tools, null));
        CallResponse second = fresh.call(new CallInput(CONFIG, HELLO, null, tools, null));

        assertThat(first.cacheHit()).isNull();
        assertThat(second.cacheHit()).isNull();
        assertThat(dispatches).hasValue(3);
        assertThat(REDIS.command("KEYS", "*")).isEqualTo(List.of(HELLO_KEY));
        assertThat(fresh.call(hello()).cacheHit()).isEqualTo(CacheHitTier.L2);
    }

    // ---- miss, write, shared hit ---------------------------------------------------------------------------------

    @Test
    void missDispatchesAndWritesThePayloadUnderTheSharedKeyWithTheTtl() {
        long before = System.currentTimeMillis() / 1000;
        CallResponse response = pipeline(cache(60)).call(hello());
        long after = System.currentTimeMillis() / 1000;

        assertThat(response.success()).isTrue();
        assertThat(response.cacheHit()).isNull();
        assertThat(dispatches).hasValue(1);
        assertThat(REDIS.command("KEYS", "*")).isEqualTo(List.of(HELLO_KEY));
        JsonNode payload = JSON.readTree((String) REDIS.command("GET", HELLO_KEY));
        assertThat(payload.propertyNames()).containsExactly("data", "cached_at");
        assertThat(payload.get("data").asString()).isEqualTo("answer: Hello");
        assertThat(payload.get("cached_at").isIntegralNumber()).isTrue();
        assertThat(payload.get("cached_at").asLong()).isBetween(before, after);
        assertThat((Long) REDIS.command("TTL", HELLO_KEY)).isBetween(59L, 60L);
    }

    @Test
    void aSecondPipelineWithAFreshL1GetsAnL2Hit() {
        pipeline(cache(60)).call(hello());
        CallPipeline second = pipeline(cache(60));

        CallResponse fromL2 = second.call(hello());
        CallResponse fromL1 = second.call(hello());

        assertThat(dispatches).hasValue(1);
        assertThat(fromL2.cacheHit()).isEqualTo(CacheHitTier.L2);
        assertThat(fromL2.content()).isEqualTo("answer: Hello");
        assertThat(fromL2.model()).isEqualTo("gpt-4o");
        assertThat(fromL2.usage()).isEqualTo(LlmUsage.ZERO);
        assertThat(fromL1.cacheHit()).isEqualTo(CacheHitTier.L1);
    }

    static Stream<Arguments> otherBindingsEntries() {
        long nowS = System.currentTimeMillis() / 1000;
        return Stream.of(
                Arguments.of("TypeScript 2.x", "{\"data\":\"from ts\",\"cached_at\":" + nowS + "}", "from ts"),
                Arguments.of("Python (fractional seconds)",
                        "{\"data\": \"from python\", \"cached_at\": " + (nowS - 5) + ".123456}", "from python"),
                Arguments.of("early TypeScript (cachedAt)", "{\"data\":\"from early ts\",\"cachedAt\":" + nowS + "}",
                        "from early ts"),
                Arguments.of("legacy milliseconds", "{\"data\":\"legacy\",\"cached_at\":" + (nowS * 1000 + 123) + "}",
                        "legacy"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherBindingsEntries")
    void anEntryWrittenByAnotherBindingIsServed(String writer, String payload, String data) {
        REDIS.command("SETEX", HELLO_KEY, "60", payload);

        CallResponse response = pipeline(cache(60)).call(hello());

        assertThat(response.success()).isTrue();
        assertThat(response.cacheHit()).isEqualTo(CacheHitTier.L2);
        assertThat(response.content()).isEqualTo(data);
        assertThat(dispatches).hasValue(0);
    }

    @Test
    void aCachedEntryIsThinkingStrippedOnTheWayOut() {
        REDIS.command("SETEX", HELLO_KEY, "60", "{\"data\":\"<think>reasoning</think>Answer\",\"cached_at\":" + System.currentTimeMillis() / 1000 + "}");

        CallResponse response = pipeline(cache(60)).call(hello());

        assertThat(response.cacheHit()).isEqualTo(CacheHitTier.L2);
        assertThat(response.content()).isEqualTo("Answer");
        assertThat(response.thinkingContent()).isEqualTo("reasoning");
    }

    @Test
    void anEntryIsGoneAfterItsTtlAndTheNextCallDispatchesAgain() {
        pipeline(cache(1)).call(hello());
        assertThat((Long) REDIS.command("PTTL", HELLO_KEY)).isBetween(1L, 1000L);

        L2TestSupport.await("Redis to expire the entry", Duration.ofSeconds(3),
                () -> Long.valueOf(0).equals(REDIS.command("EXISTS", HELLO_KEY)));
        CallResponse again = pipeline(cache(1)).call(hello());

        assertThat(again.cacheHit()).isNull();
        assertThat(again.content()).isEqualTo("answer: Hello");
        assertThat(dispatches).hasValue(2);
    }

    // ---- malformed values ------------------------------------------------------------------------------------------

    static Stream<Arguments> malformedValues() {
        return Stream.of(
                Arguments.of("not JSON", List.of("SET", HELLO_KEY, "<html>502 Bad Gateway</html>")),
                Arguments.of("wrong shape", List.of("SET", HELLO_KEY, "{\"content\":\"x\",\"cached_at\":1}")),
                Arguments.of("data not a string", List.of("SET", HELLO_KEY, "{\"data\":{\"text\":\"x\"}}")),
                Arguments.of("5 MB of garbage", List.of("SET", HELLO_KEY, "#".repeat(5 * 1024 * 1024))),
                Arguments.of("5 MB of nesting", List.of("SET", HELLO_KEY, "{\"data\":" + "[".repeat(5 * 1024 * 1024))),
                Arguments.of("a Redis list", List.of("RPUSH", HELLO_KEY, "a", "b")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedValues")
    void aMalformedValueUnderOurKeyIsIgnoredAndReplaced(String description, List<String> command) {
        REDIS.command(command.toArray(String[]::new));
        TwoTierCache cache = cache(60);

        CallResponse response = pipeline(cache).call(hello());

        assertThat(response.success()).isTrue();
        assertThat(response.cacheHit()).isNull();
        assertThat(response.content()).isEqualTo("answer: Hello");
        assertThat(dispatches).hasValue(1);
        assertThat(cache.stats().l2Healthy()).isTrue();
        JsonNode replaced = JSON.readTree((String) REDIS.command("GET", HELLO_KEY));
        assertThat(replaced.get("data").asString()).isEqualTo("answer: Hello");
    }

    // ---- Redis dies and comes back -----------------------------------------------------------------------------------

    @Test
    void redisKilledMidRunDegradesToL1AndDispatchAndRecoversWithoutARestart() throws Exception {
        TwoTierCache cache = TwoTierCache.builder()
                .strategy(CachingStrategy.REDIS)
                .ttl(Duration.ofSeconds(60))
                .l2(new RedisResponseCacheStore(factory))
                .healthScheduler(closing(new FastHealthScheduler(Duration.ofMillis(100))))
                .build();
        CallPipeline pipeline = pipeline(cache);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger sequence = new AtomicInteger();
        AtomicInteger calls = new AtomicInteger();
        Queue<Throwable> escaped = new ConcurrentLinkedQueue<>();
        Queue<CallResponse> wrong = new ConcurrentLinkedQueue<>();
        ExecutorService workers = Executors.newFixedThreadPool(16);

        try (CapturedLogs logs = new CapturedLogs()) {
            for (int t = 0; t < 16; t++) {
                workers.execute(() -> {
                    while (!stop.get()) {
                        // Each prompt is asked about twice, so the run mixes misses (dispatch + write) and hits.
                        String prompt = "question " + sequence.getAndIncrement() / 2;
                        try {
                            CallResponse r = pipeline.call(ask(prompt));
                            if (!r.success() || !r.content().equals("answer: " + prompt)) {
                                wrong.add(r);
                            }
                            calls.incrementAndGet();
                            Thread.sleep(1);
                        } catch (Throwable e) {
                            escaped.add(e);
                        }
                    }
                });
            }
            L2TestSupport.await("calls with a healthy Redis", Duration.ofSeconds(20),
                    () -> calls.get() >= 200 && dbSize() > 0);

            REDIS.kill();
            L2TestSupport.await("L2 to be marked unhealthy", Duration.ofSeconds(20), () -> !cache.stats().l2Healthy());
            int atUnhealthy = calls.get();
            L2TestSupport.await("calls while Redis is down", Duration.ofSeconds(20),
                    () -> calls.get() >= atUnhealthy + 200);
            assertThat(cache.stats().l2Healthy()).isFalse();

            REDIS.restart();
            L2TestSupport.await("L2 to recover", Duration.ofSeconds(20), () -> cache.stats().l2Healthy());
            long keysAtRecovery = dbSize();
            L2TestSupport.await("writes to reach Redis again", Duration.ofSeconds(20),
                    () -> dbSize() > keysAtRecovery);

            stop.set(true);
            workers.shutdown();
            assertThat(workers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

            assertThat(escaped).isEmpty();
            assertThat(wrong).isEmpty();
            assertThat(cache.stats().l2Errors()).isPositive();
            assertThat(logs.messagesOf(TwoTierCache.class.getName()))
                    .anyMatch(m -> m.contains("L2 marked unhealthy after 3 consecutive write failures.")
                            || m.contains("Redis L2 health check failed, disabling L2 temporarily."))
                    .anyMatch(m -> m.contains("Redis L2 recovered."));
            // No cache key or cached text in any log line, ours or the libraries'.
            assertThat(logs.everything()).doesNotContain("llmix:resp:").doesNotContain("answer: question");
        } finally {
            stop.set(true);
            workers.shutdownNow();
        }
    }

    private <T extends AutoCloseable> T closing(T resource) {
        closeables.add(resource);
        return resource;
    }

    private FastHealthScheduler closing(FastHealthScheduler scheduler) {
        closeables.add(scheduler::shutdownNow);
        return scheduler;
    }

    private static long dbSize() {
        return (Long) REDIS.command("DBSIZE");
    }
}
