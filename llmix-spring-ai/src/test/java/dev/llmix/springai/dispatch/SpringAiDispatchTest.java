package dev.llmix.springai.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.cache.TwoTierCache;
import dev.llmix.client.LlmixClient;
import dev.llmix.client.Message;
import dev.llmix.config.CachingStrategy;
import dev.llmix.config.CommonParams;
import dev.llmix.config.LlmConfig;
import dev.llmix.keys.KeyPool;
import dev.llmix.spi.CacheHitTier;
import dev.llmix.pipeline.CallChunk;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.pipeline.CallStreams;
import dev.llmix.tools.Tool;
import dev.llmix.tools.ToolCall;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.spi.DispatchFunction;
import dev.llmix.spi.LlmUsage;
import dev.llmix.pipeline.PipelineConfig;
import dev.llmix.springai.testsupport.FakeOpenAiServer;
import dev.llmix.springai.testsupport.SpringOpenAi;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Direction 2: Spring AI's {@code OpenAiChatModel} on a loopback fake serves LLMix provider {@code spring-openai}
 * (preset {@code demo/via-spring}: gpt-4o-mini, temperature 0.3, 64 tokens, memory caching; threshold 2, 2 retries).
 */
class SpringAiDispatchTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<Message> HI = List.of(Message.user("hi"));

    private final FakeOpenAiServer server = FakeOpenAiServer.start();
    private CallPipeline pipeline;
    private LlmixClient client;
    private Path stateDir;

    @AfterEach
    void close() throws IOException {
        if (pipeline != null) {
            pipeline.close();
        }
        server.close();
        if (stateDir != null) {
            Files.deleteIfExists(stateDir);
        }
    }

    private void start(DispatchFunction dispatch, KeyPool pool, UnaryOperator<PipelineConfig.Builder> tweak)
            throws IOException {
        stateDir = Files.createTempDirectory("llmix-springai-d2");
        PipelineConfig.Builder config = PipelineConfig.builder().stateDir(stateDir).maxRetries(2).retryBaseMs(1)
                .retryJitterMs(0).circuitBreakerThreshold(2)
                .responseCache(TwoTierCache.builder().strategy(CachingStrategy.MEMORY).maxItems(100)
                        .ttl(Duration.ofHours(1)).build());
        pipeline = new CallPipeline(tweak.apply(config).build(), dispatch);
        pipeline.setKeyPool("spring-openai", pool);
        LlmConfig viaSpring = LlmConfig.builder("spring-openai", "gpt-4o-mini")
                .common(CommonParams.builder().temperature(0.3).maxOutputTokens(64).build())
                .caching(CachingStrategy.MEMORY).build();
        client = new LlmixClient(pipeline, (m, p) -> viaSpring);
    }

    private void startDefault(UnaryOperator<PipelineConfig.Builder> tweak) throws IOException {
        start(SpringAiDispatch.builder(SpringOpenAi.model(server, "sk-spring")).provider("spring-openai").build(),
                new KeyPool(List.of(SpringAiDispatch.DELEGATE_CREDENTIALS_KEY)), tweak);
    }

    private CallResponse call() {
        return client.call("demo", "via-spring", HI);
    }

    private CallResponse callFresh() {
        return client.call(client.preset("demo", "via-spring"), HI,
                dev.llmix.client.CallOptions.builder().caching(CachingStrategy.DISABLED).build());
    }

    @Test
    void callGoesThroughTheSdkWithItsOwnCredentialsAndIsCached() throws IOException {
        startDefault(UnaryOperator.identity());

        CallResponse first = call();
        CallResponse second = call();

        assertThat(first.success()).as(first.error()).isTrue();
        assertThat(first.content()).isEqualTo("Hello from fake");
        assertThat(first.model()).isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(first.usage()).isEqualTo(new LlmUsage(11, 7, 18, first.usage().cachedInputTokens()));
        assertThat(server.requestCount()).isEqualTo(1);
        FakeOpenAiServer.Recorded request = server.requests().get(0);
        assertThat(request.path()).isEqualTo("/v1/chat/completions");
        assertThat(request.header("authorization")).isEqualTo("Bearer sk-spring");
        assertThat(request.body()).doesNotContain(SpringAiDispatch.DELEGATE_CREDENTIALS_KEY);
        JsonNode body = JSON.readTree(request.body());
        assertThat(body.get("model").asString()).isEqualTo("gpt-4o-mini");
        assertThat(body.get("temperature").asDouble()).isEqualTo(0.3);
        JsonNode maxTokens = body.has("max_tokens") ? body.get("max_tokens") : body.get("max_completion_tokens");
        assertThat(maxTokens.asInt()).isEqualTo(64);
        assertThat(second.cacheHit()).isEqualTo(CacheHitTier.L1);
    }

    @Test
    void rateLimitIsRetriedHalvesTheWindowAndKeepsTheBreakerClosed() throws IOException {
        startDefault(UnaryOperator.identity());
        server.enqueue(FakeOpenAiServer.error(429, "slow down", Map.of("retry-after", "0")));

        CallResponse response = callFresh();

        assertThat(response.success()).as(response.error()).isTrue();
        assertThat(server.requestCount()).isEqualTo(2);
        assertThat(pipeline.getSemaphoreWindow("spring-openai")).isEqualTo(17);
        assertThat(pipeline.getCircuitBreakerState("spring-openai", "")).isEqualTo("CLOSED");
    }

    @Test
    void serverErrorsAreRetriedAndOpenTheBreaker() throws IOException {
        startDefault(c -> c.maxRetries(1));
        server.always(FakeOpenAiServer.error(503, "overloaded", Map.of()));

        assertThat(callFresh().success()).isFalse();
        assertThat(server.requestCount()).isEqualTo(2);
        assertThat(callFresh().success()).isFalse();
        assertThat(server.requestCount()).isEqualTo(4);
        assertThat(pipeline.getCircuitBreakerState("spring-openai", "")).isEqualTo("OPEN");

        CallResponse third = callFresh();
        assertThat(third.error()).startsWith("Circuit breaker OPEN for (spring-openai, )");
        assertThat(server.requestCount()).isEqualTo(4);
    }

    @Test
    void badRequestIsNotRetried() throws IOException {
        startDefault(UnaryOperator.identity());
        server.enqueue(FakeOpenAiServer.error(400, "bad", Map.of()));

        assertThat(callFresh().success()).isFalse();
        assertThat(server.requestCount()).isEqualTo(1);
        assertThat(pipeline.snapshot().circuitBreakers().get("spring-openai:").consecutiveFailures()).isZero();
    }

    @Test
    void unauthorizedKillsThePlaceholderSoTheNextCallFailsLocally() throws IOException {
        startDefault(UnaryOperator.identity());
        server.enqueue(FakeOpenAiServer.error(401, "Incorrect API key provided: sk-spring", Map.of()));

        CallResponse first = callFresh();
        CallResponse second = callFresh();

        assertThat(first.success()).isFalse();
        assertThat(first.error()).doesNotContain("sk-spring");
        assertThat(server.requestCount()).isEqualTo(1);
        assertThat(second.error()).startsWith("All 1 keys are dead");
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void refusedConnectionIsANetworkErrorRetriedMaxRetriesPlusOneTimes() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        AtomicInteger calls = new AtomicInteger();
        ChatModel closed = SpringOpenAi.model("http://127.0.0.1:" + port + "/v1", "sk-spring");
        ChatModel counting = new ChatModel() {
            @Override
            public ChatResponse call(Prompt prompt) {
                calls.incrementAndGet();
                return closed.call(prompt);
            }

            @Override
            public org.springframework.ai.chat.prompt.ChatOptions getOptions() {
                return closed.getOptions();
            }
        };
        start(SpringAiDispatch.builder(counting).provider("spring-openai").build(),
                new KeyPool(List.of(SpringAiDispatch.DELEGATE_CREDENTIALS_KEY)), UnaryOperator.identity());

        CallResponse response = callFresh();

        assertThat(response.success()).isFalse();
        assertThat(calls.get()).isEqualTo(3);
        assertThat(pipeline.snapshot().circuitBreakers().get("spring-openai:").consecutiveFailures()).isEqualTo(1);
    }

    @Test
    void keyedModelsRotateRealKeysOnRateLimits() throws IOException {
        AtomicInteger built = new AtomicInteger();
        start(SpringAiDispatch.builder(SpringOpenAi.model(server, "k0")).provider("spring-openai")
                .keyedModels(key -> {
                    built.incrementAndGet();
                    return SpringOpenAi.model(server, key);
                }).build(), new KeyPool(List.of("k1", "k2")), UnaryOperator.identity());
        server.enqueue(FakeOpenAiServer.error(429, "slow down", Map.of("retry-after", "0")));

        CallResponse response = callFresh();

        assertThat(response.success()).as(response.error()).isTrue();
        List<FakeOpenAiServer.Recorded> requests = server.requests();
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).header("authorization")).isEqualTo("Bearer k1");
        assertThat(requests.get(1).header("authorization")).isEqualTo("Bearer k2");
        assertThat(built.get()).isEqualTo(2);
    }

    @Test
    void historyWithToolCallsReachesTheDelegateAsOpenAiMessages() throws IOException {
        startDefault(UnaryOperator.identity());
        List<Object> history = List.of(
                Map.of("role", "system", "content", "sys"),
                Map.of("role", "user", "content", "weather?"),
                Map.of("role", "assistant", "content", "", "tool_calls", List.of(Map.of("id", "c1", "type",
                        "function", "function", Map.of("name", "lookup", "arguments", "{\"q\":\"x\"}")))),
                Map.of("role", "tool", "tool_call_id", "c1", "content", "sunny"));

        CallResponse response = client.call(client.preset("demo", "via-spring"), history,
                dev.llmix.client.CallOptions.builder().caching(CachingStrategy.DISABLED).build());

        assertThat(response.success()).as(response.error()).isTrue();
        JsonNode messages = JSON.readTree(server.requests().get(0).body()).get("messages");
        assertThat(messages).hasSize(4);
        assertThat(messages.get(2).get("tool_calls").get(0).get("id").asString()).isEqualTo("c1");
        assertThat(messages.get(2).get("tool_calls").get(0).get("function").get("name").asString())
                .isEqualTo("lookup");
        assertThat(messages.get(3).get("role").asString()).isEqualTo("tool");
        assertThat(messages.get(3).get("tool_call_id").asString()).isEqualTo("c1");
        assertThat(messages.get(3).get("content").asString()).isEqualTo("sunny");
    }

    @Test
    void llmixToolsReachTheDelegateAndItsToolCallsComeBackUnrun() throws IOException {
        startDefault(UnaryOperator.identity());
        server.enqueue(FakeOpenAiServer.toolCall("c2", "lookup", "{\"q\":\"y\"}", 10, 5, 15));

        CallResponse response = client.call(client.preset("demo", "via-spring"), HI,
                dev.llmix.client.CallOptions.builder().caching(CachingStrategy.DISABLED)
                        .tools(Tool.function("lookup", "Looks a thing up",
                                "{\"type\":\"object\",\"properties\":{\"q\":{\"type\":\"string\"}}}"))
                        .build());

        assertThat(response.success()).as(response.error()).isTrue();
        JsonNode tools = JSON.readTree(server.requests().get(0).body()).get("tools");
        assertThat(tools).hasSize(1);
        assertThat(tools.get(0).get("function").get("name").asString()).isEqualTo("lookup");
        assertThat(response.toolCalls()).containsExactly(ToolCall.of("c2", "lookup", "{\"q\":\"y\"}"));
        assertThat(response.finishReason()).isEqualTo("tool_calls");
        assertThat(server.requestCount()).isEqualTo(1);
    }

    private static List<CallChunk> streamAll(java.util.concurrent.Flow.Publisher<CallChunk> publisher) {
        try (var chunks = CallStreams.blocking(publisher)) {
            return chunks.toList();
        }
    }

    @Test
    void streamedCallConsumesTheDelegatesStream() throws IOException {
        startDefault(UnaryOperator.identity());
        server.enqueue(FakeOpenAiServer.streamText(List.of("Hel", "lo"), 11, 7, 18, 0));

        List<CallChunk> chunks = streamAll(client.stream(client.preset("demo", "via-spring"), HI,
                dev.llmix.client.CallOptions.builder().caching(CachingStrategy.DISABLED).build()));

        assertThat(chunks.stream().filter(c -> !c.done()).map(CallChunk::contentDelta).toList())
                .containsExactly("Hel", "lo");
        CallResponse done = chunks.get(chunks.size() - 1).response();
        assertThat(done.success()).as(done.error()).isTrue();
        assertThat(done.content()).isEqualTo("Hello");
        assertThat(done.usage().totalTokens()).isEqualTo(18);
        assertThat(done.model()).isEqualTo(FakeOpenAiServer.RESPONSE_MODEL);
        assertThat(JSON.readTree(server.requests().get(0).body()).get("stream").asBoolean()).isTrue();
    }

    /** A Spring AI model without streaming support. */
    static final class CallOnlyModel implements ChatModel {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public ChatResponse call(Prompt prompt) {
            calls.incrementAndGet();
            return new ChatResponse(List.of(new org.springframework.ai.chat.model.Generation(
                    new org.springframework.ai.chat.messages.AssistantMessage("whole answer"))));
        }
    }

    @Test
    void aDelegateThatCannotStreamIsCalledOnceInstead() throws IOException {
        CallOnlyModel model = new CallOnlyModel();
        start(SpringAiDispatch.builder(model).provider("spring-openai").build(),
                new KeyPool(List.of(SpringAiDispatch.DELEGATE_CREDENTIALS_KEY)), UnaryOperator.identity());

        List<CallChunk> chunks = streamAll(client.stream(client.preset("demo", "via-spring"), HI,
                dev.llmix.client.CallOptions.builder().caching(CachingStrategy.DISABLED).build()));

        CallResponse done = chunks.get(chunks.size() - 1).response();
        assertThat(done.success()).as(done.error()).isTrue();
        assertThat(done.content()).isEqualTo("whole answer");
        assertThat(model.calls.get()).isEqualTo(1);
    }

    @Test
    void routingStreamsExactlyWhenItsTargetStreams() {
        DispatchFunction target = SpringAiDispatch.builder(SpringOpenAi.model(server, "sk-spring"))
                .provider("spring-openai").build();
        DispatchFunction plain = ctx -> java.util.concurrent.CompletableFuture.completedFuture(
                dev.llmix.spi.ProviderResult.of("plain", "m", LlmUsage.ZERO));
        var routing = (dev.llmix.spi.StreamingDispatchFunction) SpringAiDispatch.routing(
                Map.of("spring-openai", target), plain);

        assertThat(routing.supportsStreaming(context("spring-openai"))).isTrue();
        assertThat(routing.supportsStreaming(context("other"))).isFalse();
    }

    private static dev.llmix.spi.DispatchContext context(String provider) {
        return new dev.llmix.spi.DispatchContext(provider, "m", "k", HI, Map.of(),
                LlmConfig.builder(provider, "m").build());
    }

    @Test
    void routingSendsUnknownProvidersToTheFallbackOrFailsLocally() {
        DispatchFunction target = SpringAiDispatch.builder(SpringOpenAi.model(server, "sk-spring"))
                .provider("spring-openai").build();
        DispatchFunction routing = SpringAiDispatch.routing(Map.of("spring-openai", target), null);

        var failed = routing.dispatch(new dev.llmix.spi.DispatchContext("other", "m", "k", HI, Map.of(),
                LlmConfig.builder("other", "m").build())).toCompletableFuture();

        assertThat(failed).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(
                java.util.concurrent.ExecutionException.class).havingCause()
                .isInstanceOf(dev.llmix.LlmixLocalException.class).withMessage("No dispatch for provider \"other\"; Spring AI providers: [spring-openai]");
    }
}
