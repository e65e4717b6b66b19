package dev.llmix.provider.http;

import dev.llmix.providers.ProviderAdapters;
import static dev.llmix.provider.http.AdapterTestSupport.body;
import static dev.llmix.provider.http.AdapterTestSupport.config;
import static dev.llmix.provider.http.AdapterTestSupport.json;
import static dev.llmix.provider.http.AdapterTestSupport.options;
import static dev.llmix.provider.http.AdapterTestSupport.take;
import static dev.llmix.testsupport.SseResponses.DROP;
import static dev.llmix.testsupport.SseResponses.HANG;
import static dev.llmix.testsupport.SseResponses.data;
import static dev.llmix.testsupport.SseResponses.event;
import static dev.llmix.testsupport.SseResponses.sse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.config.LlmConfig;
import dev.llmix.keys.KeyPool;
import dev.llmix.pipeline.CallChunk;
import dev.llmix.spi.CallInput;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.spi.LlmUsage;
import dev.llmix.pipeline.PipelineConfig;
import dev.llmix.spi.ToolCallDelta;
import dev.llmix.testsupport.RecordingChunkSubscriber;
import dev.llmix.testsupport.SseResponses;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Streams through the pipeline and the built-in adapters against a loopback server that writes real SSE bodies with
 * controllable timing and faults (docs/streaming.md). Numbers refer to the acceptance checks of the streaming
 * contract.
 */
class StreamingAdaptersTest extends LoopbackServerTest {

    @TempDir
    Path stateDir;

    private final List<CallPipeline> pipelines = new ArrayList<>();
    private final List<Long> sleeps = new CopyOnWriteArrayList<>();

    @AfterEach
    void closePipelines() {
        pipelines.forEach(CallPipeline::close);
    }

    private PipelineConfig.Builder pipelineOptions() {
        return PipelineConfig.builder().maxRetries(0).retryBaseMs(1).retryMaxDelayMs(1).retryJitterMs(0)
                .jitterRandom(() -> 0).stateDir(stateDir).env(name -> null);
    }

    private CallPipeline pipeline(PipelineConfig.Builder b, AdapterOptions adapterOptions) {
        CallPipeline p = new CallPipeline(b.build(), ProviderAdapters.routing(adapterOptions));
        pipelines.add(p);
        for (String provider : List.of("openai", "openrouter", "anthropic", "gemini", "sno-gpu")) {
            p.setKeyPool(provider, new KeyPool(List.of("test-key", "second-key")));
        }
        return p;
    }

    private CallPipeline pipeline() {
        return pipeline(pipelineOptions(), options().build());
    }

    private LlmConfig cfg(String provider, String model) {
        return LlmConfig.builder(provider, model).baseUrl(AdapterTestSupport.base(server, "/v1")).build();
    }

    private LlmConfig openai() {
        return cfg("openai", "gpt-4");
    }

    private static RecordingChunkSubscriber stream(CallPipeline p, LlmConfig config) {
        RecordingChunkSubscriber s = new RecordingChunkSubscriber();
        p.stream(CallInput.of(config, AdapterTestSupport.HELLO)).subscribe(s);
        return s;
    }

    private static String chunk(String delta) {
        return data("{\"model\":\"gpt-4-0613\",\"choices\":[{\"index\":0,\"delta\":" + delta
                + ",\"finish_reason\":null}]}");
    }

    private static void assertReleased(CallPipeline p) {
        var s = p.snapshot().semaphores().get(p.snapshot().semaphores().keySet().iterator().next());
        assertThat(s.inFlight()).isZero();
        assertThat(s.waiters()).isZero();
        assertThat(p.streamsInFlight()).isZero();
    }

    private static int failures(CallPipeline p) {
        return p.snapshot().circuitBreakers().values().iterator().next().consecutiveFailures();
    }

    @Test
    void headersThatDoNotComeWithinTheRequestTimeoutEndTheStreamWithTheRequestTimeoutText() throws Exception {
        server.enqueue(sse(chunk("{\"content\":\"late\"}"), data("[DONE]")).newBuilder()
                .headersDelay(3, java.util.concurrent.TimeUnit.SECONDS).build());
        CallPipeline p = pipeline(pipelineOptions().maxRetries(0),
                options().defaultTimeout(Duration.ofMillis(300)).build());

        RecordingChunkSubscriber s = stream(p, openai());
        CallResponse done = s.awaitDone();

        assertThat(done.success()).isFalse();
        assertThat(done.error()).isEqualTo("provider request failed: request timed out after 300 ms");
        assertThat(s.deltas()).isEmpty();
        assertReleased(p);
    }

    // 2
    @Test
    void openAiTextUsageAndTheStreamedRequest() throws Exception {
        server.enqueue(sse(chunk("{\"role\":\"assistant\"}"), chunk("{\"content\":\"Hel\"}"),
                chunk("{\"content\":\"lo\"}"),
                data("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}"),
                data("{\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,\"total_tokens\":11,"
                        + "\"prompt_tokens_details\":{\"cached_tokens\":3}}}"),
                data("[DONE]")));
        RecordingChunkSubscriber s = stream(pipeline(), openai());
        CallResponse done = s.awaitDone();
        assertThat(s.deltas()).extracting(CallChunk::contentDelta).containsExactly("Hel", "lo");
        assertThat(done.content()).isEqualTo("Hello");
        assertThat(done.usage()).isEqualTo(new LlmUsage(9, 2, 11, 3L));
        assertThat(done.model()).isEqualTo("gpt-4-0613");
        RecordedRequest r = take(server);
        assertThat(r.getHeaders().get("accept")).isEqualTo("text/event-stream");
        JsonNode body = body(r);
        assertThat(body.get("stream").asBoolean()).isTrue();
        assertThat(body.at("/stream_options/include_usage").asBoolean()).isTrue();
    }

    // 3
    @Test
    void openAiToolCallFragmentsAreDeliveredInWireOrderAndAssembled() throws Exception {
        server.enqueue(sse(
                chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"type\":\"function\",\"function\":"
                        + "{\"name\":\"get_weather\",\"arguments\":\"\"}}]}"),
                chunk("{\"tool_calls\":[{\"index\":1,\"id\":\"call_b\",\"type\":\"function\",\"function\":"
                        + "{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\"}}]}"),
                chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]}"),
                chunk("{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"\\\"Rome\\\"}\"}}]}"),
                chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}]}"),
                data("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}"),
                data("[DONE]")));
        LlmConfig config = openai().toBuilder().caching(dev.llmix.config.CachingStrategy.MEMORY).build();
        dev.llmix.cache.TwoTierCache cache = dev.llmix.cache.TwoTierCache.builder()
                .strategy(dev.llmix.config.CachingStrategy.MEMORY).build();
        RecordingChunkSubscriber s = stream(pipeline(pipelineOptions().responseCache(cache), options().build()),
                config);
        CallResponse done = s.awaitDone();
        assertThat(s.deltas()).extracting(c -> c.toolCallDeltas().get(0)).containsExactly(
                new ToolCallDelta(0, "call_a", "get_weather", ""),
                new ToolCallDelta(1, "call_b", "get_weather", "{\"city\":"),
                new ToolCallDelta(0, null, null, "{\"city\":"),
                new ToolCallDelta(1, null, null, "\"Rome\"}"),
                new ToolCallDelta(0, null, null, "\"Paris\"}"));
        assertThat(done.toolCalls().stream().map(dev.llmix.tools.ToolCall::toMap).toList()).containsExactly(
                Map.of("id", "call_a", "type", "function",
                        "function", Map.of("name", "get_weather", "arguments", "{\"city\":\"Paris\"}")),
                Map.of("id", "call_b", "type", "function",
                        "function", Map.of("name", "get_weather", "arguments", "{\"city\":\"Rome\"}")));
        assertThat(cache.stats().l1Size()).isZero();
    }

    // 4, 5
    @Test
    void reasoningDeltasBecomeThinkingAndAReasoningOnlyAnswerFollowsTheProvider() throws Exception {
        Object[] reasoningOnly = {chunk("{\"reasoning_content\":\"Let me \"}"),
                chunk("{\"reasoning\":\"think\",\"reasoning_content\":\"think\"}"),
                data("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}"), data("[DONE]")};
        server.enqueue(sse(reasoningOnly));
        RecordingChunkSubscriber s = stream(pipeline(), openai());
        CallResponse done = s.awaitDone();
        assertThat(s.deltas()).extracting(CallChunk::thinkingDelta).containsExactly("Let me ", "think");
        assertThat(done.content()).isEmpty();
        assertThat(done.thinkingContent()).isEqualTo("Let me think");

        server.enqueue(sse(reasoningOnly));
        RecordingChunkSubscriber r = stream(pipeline(), cfg("openrouter", "deepseek/deepseek-r1"));
        CallResponse viaOpenRouter = r.awaitDone();
        assertThat(r.content()).isEqualTo("Let me think");
        assertThat(viaOpenRouter.content()).isEqualTo("Let me think");
    }

    // 6
    @Test
    void commentsAloneNeverSatisfyTheFirstChunkTimer() throws Exception {
        server.enqueue(sse(": OPENROUTER PROCESSING\n\n", Duration.ofMillis(400), ": OPENROUTER PROCESSING\n\n",
                Duration.ofMillis(600), chunk("{\"content\":\"late\"}"), data("[DONE]")));
        LlmConfig config = openai().toBuilder().timeout(new dev.llmix.config.TimeoutConfig(10, 0.2)).build();
        RecordingChunkSubscriber s = stream(pipeline(), config);
        CallResponse done = s.awaitDone();
        assertThat(done.error()).isEqualTo(
                "LLM stream timed out after 0.2 s waiting for the first chunk (timeout.streamFirstChunkTime)");
        assertThat(s.deltas()).isEmpty();
    }

    // 7
    @Test
    void aMidStreamErrorAfterChunksIsFinalAndOneBeforeThemIsRetried() throws Exception {
        server.enqueue(sse(chunk("{\"content\":\"a\"}"), chunk("{\"content\":\"b\"}"),
                data("{\"error\":{\"message\":\"server fault\",\"type\":\"server_error\"}}")));
        CallPipeline p = pipeline(pipelineOptions().maxRetries(3), options().build());
        RecordingChunkSubscriber s = stream(p, openai());
        CallResponse done = s.awaitDone();
        assertThat(done.error()).isEqualTo("server fault");
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(failures(p)).isEqualTo(1);

        server.enqueue(sse(data("{\"error\":{\"code\":502,\"message\":\"upstream down\"}}")));
        server.enqueue(sse(chunk("{\"content\":\"fine\"}"), data("[DONE]")));
        CallPipeline q = pipeline(pipelineOptions().maxRetries(1), options().build());
        assertThat(stream(q, openai()).awaitDone().content()).isEqualTo("fine");
    }

    // 8
    @Test
    void incompleteAndMalformedStreamsFail() throws Exception {
        server.enqueue(sse(chunk("{\"content\":\"a\"}")));
        assertThat(stream(pipeline(), openai()).awaitDone().error()).startsWith("provider stream ended unexpectedly: ");

        server.enqueue(sse(chunk("{\"content\":\"a\"}"),
                data("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}")));
        assertThat(stream(pipeline(), openai()).awaitDone().content()).isEqualTo("a");

        server.enqueue(sse(data("{not json")));
        assertThat(stream(pipeline(), openai()).awaitDone().error()).startsWith("invalid provider stream: ");
    }

    // 8
    @Test
    void anOversizedLineFailsAndReleases() throws Exception {
        SseResponses.Script script = new SseResponses.Script(List.of("data: " + "x".repeat(2 * 1024 * 1024), HANG));
        server.enqueue(sse(script));
        CallPipeline p = pipeline();
        CallResponse done = stream(p, openai()).awaitDone();
        assertThat(done.error()).isEqualTo("provider stream event exceeds the limit of 1048576 bytes");
        assertReleased(p);
    }

    // 9
    @Test
    void a429BeforeTheStreamRotatesTheKeyHonoursRetryAfterAndRetries() throws Exception {
        server.enqueue(new MockResponse.Builder().code(429).addHeader("retry-after", "2")
                .addHeader("Content-Type", "application/json")
                .body("{\"error\":{\"message\":\"slow down\"}}").build());
        server.enqueue(sse(chunk("{\"content\":\"ok\"}"), data("[DONE]")));
        CallPipeline p = pipeline(pipelineOptions().maxRetries(1).sleeper(sleeps::add), options().build());
        CallResponse done = stream(p, openai()).awaitDone();
        assertThat(done.content()).isEqualTo("ok");
        assertThat(sleeps).containsExactly(2000L);
        assertThat(take(server).getHeaders().get("authorization")).isEqualTo("Bearer test-key");
        assertThat(take(server).getHeaders().get("authorization")).isEqualTo("Bearer second-key");
        // Halved from 32 by the 429, then one additive step for the streamed success.
        assertThat(p.getSemaphoreWindow("openai")).isEqualTo(17);
    }

    // 10
    @Test
    void anthropicTextUsageModelAndHeaders() throws Exception {
        server.enqueue(sse(
                event("message_start", "{\"type\":\"message_start\",\"message\":{\"model\":\"claude-x-1\","
                        + "\"usage\":{\"input_tokens\":25,\"output_tokens\":1}}}"),
                event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                        + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
                event("ping", "{\"type\":\"ping\"}"),
                event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                        + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}"),
                event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                        + "\"delta\":{\"type\":\"text_delta\",\"text\":\"!\"}}"),
                event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
                event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
                        + "\"usage\":{\"output_tokens\":15}}"),
                event("message_stop", "{\"type\":\"message_stop\"}")));
        RecordingChunkSubscriber s = stream(pipeline(), cfg("anthropic", "claude-x"));
        CallResponse done = s.awaitDone();
        assertThat(s.deltas()).extracting(CallChunk::contentDelta).containsExactly("Hello", "!");
        assertThat(done.usage()).isEqualTo(LlmUsage.of(25, 15, 40));
        assertThat(done.model()).isEqualTo("claude-x-1");
        RecordedRequest r = take(server);
        assertThat(body(r).get("stream").asBoolean()).isTrue();
        assertThat(r.getHeaders().get("x-api-key")).isEqualTo("test-key");
        assertThat(r.getHeaders().get("anthropic-version")).isNotBlank();
    }

    // 11, 12
    @Test
    void anthropicThinkingCachedUsageAndToolInput() throws Exception {
        server.enqueue(sse(
                event("message_start", "{\"type\":\"message_start\",\"message\":{\"model\":\"claude-x\","
                        + "\"usage\":{\"input_tokens\":1,\"cache_creation_input_tokens\":2,"
                        + "\"cache_read_input_tokens\":5,\"output_tokens\":1}}}"),
                event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                        + "\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}"),
                event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                        + "\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"Weather?\"}}"),
                event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                        + "\"delta\":{\"type\":\"signature_delta\",\"signature\":\"sig\"}}"),
                event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
                event("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,"
                        + "\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get_weather\","
                        + "\"input\":{}}}"),
                toolInput(""), toolInput("{\"location\":"), toolInput(" \"Paris\""), toolInput(", \"unit\":"),
                toolInput(" \"celsius\""), toolInput("}"),
                event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}"),
                event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},"
                        + "\"usage\":{\"input_tokens\":20,\"output_tokens\":30}}"),
                event("message_stop", "{\"type\":\"message_stop\"}")));
        RecordingChunkSubscriber s = stream(pipeline(), cfg("anthropic", "claude-x"));
        CallResponse done = s.awaitDone();
        assertThat(s.thinking()).isEqualTo("Weather?");
        assertThat(done.usage()).isEqualTo(new LlmUsage(27, 30, 57, 5L));
        assertThat(s.deltas().stream().filter(c -> !c.toolCallDeltas().isEmpty()).findFirst().orElseThrow()
                .toolCallDeltas()).containsExactly(new ToolCallDelta(0, "toolu_1", "get_weather", ""));
        @SuppressWarnings("unchecked")
        Map<String, Object> function = (Map<String, Object>) ((Map<String, Object>) (Map<?, ?>) done.toolCalls().get(0).toMap())
                .get("function");
        assertThat(function.get("arguments")).isEqualTo("{\"location\": \"Paris\", \"unit\": \"celsius\"}");
    }

    private static String toolInput(String partial) {
        return event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,"
                + "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":"
                + AdapterTestSupport.MAPPER.writeValueAsString(partial) + "}}");
    }

    // 13
    @Test
    void anthropicOverloadedBeforeTextIsRetriedAndAfterTextIsFinal() throws Exception {
        String start = event("message_start", "{\"type\":\"message_start\",\"message\":{\"model\":\"claude-x\","
                + "\"usage\":{\"input_tokens\":3}}}");
        String overloaded = event("error", "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
                + "\"message\":\"Overloaded\"}}");
        String text = event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}");
        String stop = event("message_stop", "{\"type\":\"message_stop\"}");
        server.enqueue(sse(start, overloaded));
        server.enqueue(sse(start, event("brand_new_event", "{}"), text, stop));
        CallPipeline p = pipeline(pipelineOptions().maxRetries(1), options().build());
        assertThat(stream(p, cfg("anthropic", "claude-x")).awaitDone().content()).isEqualTo("Hi");

        server.enqueue(sse(start, text, overloaded));
        CallPipeline q = pipeline(pipelineOptions().maxRetries(1), options().build());
        CallResponse done = stream(q, cfg("anthropic", "claude-x")).awaitDone();
        assertThat(done.error()).isEqualTo("Overloaded");
        assertThat(server.getRequestCount()).isEqualTo(3);
        assertThat(failures(q)).isEqualTo(1);
    }

    // 14
    @Test
    void geminiPathKeyThoughtsUsageModelAndFunctionCalls() throws Exception {
        server.enqueue(sse(
                data("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"hmm\",\"thought\":true}]}}],"
                        + "\"usageMetadata\":{\"promptTokenCount\":10},\"modelVersion\":\"gemini-2.5-flash-001\"}"),
                data("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Sunny\"}]}}],"
                        + "\"usageMetadata\":{\"promptTokenCount\":10,\"candidatesTokenCount\":2}}"),
                data("{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"get_weather\","
                        + "\"args\":{\"city\":\"Paris\"}}}]},\"finishReason\":\"STOP\"}],\"usageMetadata\":"
                        + "{\"promptTokenCount\":10,\"candidatesTokenCount\":4,\"thoughtsTokenCount\":6,"
                        + "\"totalTokenCount\":20}}")));
        LlmConfig config = LlmConfig.builder("gemini", "gemini-2.5-flash")
                .baseUrl(AdapterTestSupport.base(server, "/v1beta")).build();
        RecordingChunkSubscriber s = stream(pipeline(), config);
        CallResponse done = s.awaitDone();
        assertThat(s.thinking()).isEqualTo("hmm");
        assertThat(s.content()).isEqualTo("Sunny");
        assertThat(done.usage()).isEqualTo(LlmUsage.of(10, 10, 20));
        assertThat(done.model()).isEqualTo("gemini-2.5-flash-001");
        // Gemini sent no id: the synthesised llmix_call_ id of the non-streamed mapping (docs/tools.md).
        assertThat(done.toolCalls()).singleElement().satisfies(c -> {
            assertThat(c.id()).matches("llmix_call_[0-9a-f]{16}");
            assertThat(c.name()).isEqualTo("get_weather");
            assertThat(c.arguments()).isEqualTo("{\"city\":\"Paris\"}");
        });
        assertThat(done.finishReason()).isEqualTo("tool_calls");
        RecordedRequest r = take(server);
        assertThat(r.getTarget()).isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
        assertThat(r.getHeaders().get("x-goog-api-key")).isEqualTo("test-key");
        assertThat(r.getTarget()).doesNotContain("test-key");
    }

    // 15
    @Test
    void geminiErrorsBeforeAnyChunkAreRetriedAndAnEndWithoutFinishFails() throws Exception {
        server.enqueue(sse(data("{\"error\":{\"code\":503,\"message\":\"high demand\",\"status\":\"UNAVAILABLE\"}}")));
        server.enqueue(sse(data("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"ok\"}]},"
                + "\"finishReason\":\"STOP\"}]}")));
        LlmConfig config = LlmConfig.builder("gemini", "gemini-2.5-flash")
                .baseUrl(AdapterTestSupport.base(server, "/v1beta")).build();
        CallPipeline p = pipeline(pipelineOptions().maxRetries(1), options().build());
        assertThat(stream(p, config).awaitDone().content()).isEqualTo("ok");

        server.enqueue(sse(data("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"cut\"}]}}]}")));
        assertThat(stream(pipeline(), config).awaitDone().error())
                .isEqualTo("provider stream ended unexpectedly: no finishReason");
    }

    // 16
    @Test
    void snoGpuStreamsOnItsGatewayPathAndAJsonReplyBecomesOneChunk() throws Exception {
        LlmConfig config = config("""
                {"provider":"sno-gpu","model":"qwen3.6-27b-reason","baseUrl":"%s","providerOptions":{"sno-gpu":\
                {"gpuPath":"reason","enableThinking":true}}}""".formatted(AdapterTestSupport.base(server, "")));
        server.enqueue(sse(chunk("{\"reasoning_content\":\"plan\"}"), chunk("{\"content\":\"answer\"}"),
                data("[DONE]")));
        CallPipeline p = pipeline(pipelineOptions(), options().internalToken("internal-secret").build());
        RecordingChunkSubscriber s = stream(p, config);
        CallResponse done = s.awaitDone();
        assertThat(s.thinking()).isEqualTo("plan");
        assertThat(done.content()).isEqualTo("answer");
        RecordedRequest r = take(server);
        assertThat(r.getTarget()).isEqualTo("/reason/v1/chat/completions");
        assertThat(r.getHeaders().get("x-internal-token")).isEqualTo("internal-secret");
        assertThat(r.getHeaders().get("x-sno-llm-key")).isEqualTo("internal-secret");
        assertThat(body(r).get("stream").asBoolean()).isTrue();
        assertThat(body(r).at("/extra_body/enable_thinking").asBoolean()).isTrue();

        server.enqueue(json(200, "{\"choices\":[{\"message\":{\"content\":\"whole\"}}]}"));
        RecordingChunkSubscriber j = stream(p, config);
        assertThat(j.awaitDone().content()).isEqualTo("whole");
        assertThat(j.deltas()).extracting(CallChunk::contentDelta).containsExactly("whole");
    }

    // 23
    @Test
    void aConnectionResetAfterTheFirstChunkIsFinalAndReleases() throws Exception {
        server.enqueue(sse(chunk("{\"content\":\"Hel\"}"), Duration.ofMillis(50), DROP));
        CallPipeline p = pipeline(pipelineOptions().maxRetries(3), options().build());
        RecordingChunkSubscriber s = stream(p, openai());
        CallResponse done = s.awaitDone();
        assertThat(s.content()).isEqualTo("Hel");
        assertThat(done.success()).isFalse();
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(failures(p)).isEqualTo(1);
        assertReleased(p);
    }

    // 28 over HTTP: a cancel closes the connection at the server
    @Test
    void aCancelClosesTheProviderConnection() throws Exception {
        SseResponses.Script script = new SseResponses.Script(List.of(chunk("{\"content\":\"a\"}"),
                chunk("{\"content\":\"b\"}"), chunk("{\"content\":\"c\"}"), HANG));
        server.enqueue(sse(script));
        CallPipeline p = pipeline();
        RecordingChunkSubscriber s = stream(p, openai());
        s.awaitChunks(3);
        s.cancel();
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!script.clientGone() && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertThat(script.clientGone()).isTrue();
        assertThat(s.chunks()).noneMatch(CallChunk::done);
        assertReleased(p);
    }

    // 30: without demand the socket is not read, so the server's writes block
    @Test
    void aSlowSubscriberStopsTheSocketReads() throws Exception {
        // 200,000 events of about 100 bytes: far more than loopback socket buffers can absorb.
        SseResponses.Script script = new SseResponses.Script(List.of(
                new SseResponses.Repeat(chunk("{\"content\":\"" + "x".repeat(20) + "\"}"), 200_000),
                data("[DONE]")));
        server.enqueue(sse(script));
        CallPipeline p = pipeline(pipelineOptions().streamBufferChunks(16), options().build());
        RecordingChunkSubscriber s = new RecordingChunkSubscriber(1);
        p.stream(CallInput.of(openai(), AdapterTestSupport.HELLO)).subscribe(s);
        s.awaitChunks(1);
        for (int i = 0; i < 20; i++) {
            s.request(1);
            Thread.sleep(5);
        }
        long written = script.bytesWritten();
        Thread.sleep(300);
        // The writer is blocked by TCP flow control: nothing, or only what socket buffers absorb, was added.
        assertThat(script.finished()).isFalse();
        assertThat(script.bytesWritten()).isLessThan(16L * 1024 * 1024);
        assertThat(script.bytesWritten() - written).isLessThan(8L * 1024 * 1024);
        assertThat(s.deltas().size()).isLessThanOrEqualTo(21);
        s.cancel();
        assertReleased(p);
    }
}
