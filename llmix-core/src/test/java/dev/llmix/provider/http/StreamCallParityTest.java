package dev.llmix.provider.http;

import static dev.llmix.provider.http.AdapterTestSupport.json;
import static dev.llmix.testsupport.SseResponses.data;
import static dev.llmix.testsupport.SseResponses.event;
import static dev.llmix.testsupport.SseResponses.sse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.cache.TwoTierCache;
import dev.llmix.config.CachingStrategy;
import dev.llmix.config.LlmConfig;
import dev.llmix.keys.KeyPool;
import dev.llmix.pipeline.CallChunk;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.pipeline.PipelineConfig;
import dev.llmix.providers.ProviderAdapters;
import dev.llmix.spi.CallInput;
import dev.llmix.testsupport.RecordingChunkSubscriber;
import dev.llmix.tools.ToolCall;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A streamed answer and the non-streamed answer of the equivalent JSON reply give the same {@code CallResponse}
 * (docs/streaming.md, docs/tools.md): tool calls with their ids and continuation data, finish reason and refusal,
 * through the real adapters against a loopback server writing real SSE bodies. Numbers refer to the acceptance checks
 * of the streaming contract.
 */
class StreamCallParityTest extends LoopbackServerTest {

    @TempDir
    Path stateDir;

    private CallPipeline pipeline;
    private final TwoTierCache cache = TwoTierCache.builder().strategy(CachingStrategy.MEMORY).maxItems(8)
            .ttl(Duration.ofSeconds(60)).build();

    @AfterEach
    void closePipeline() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    private CallPipeline pipeline() {
        pipeline = new CallPipeline(PipelineConfig.builder().maxRetries(0).retryBaseMs(1).retryMaxDelayMs(1)
                .retryJitterMs(0).jitterRandom(() -> 0).stateDir(stateDir).env(name -> null).responseCache(cache)
                .build(), ProviderAdapters.routing(AdapterTestSupport.options().build()));
        for (String provider : List.of("openai", "anthropic", "gemini")) {
            pipeline.setKeyPool(provider, new KeyPool(List.of("test-key")));
        }
        return pipeline;
    }

    private LlmConfig cfg(String provider, String model, String basePath) {
        return LlmConfig.builder(provider, model).baseUrl(AdapterTestSupport.base(server, basePath))
                .caching(CachingStrategy.MEMORY).build();
    }

    private static CallInput input(LlmConfig config) {
        return CallInput.of(config, AdapterTestSupport.HELLO);
    }

    /** Streams {@code config}'s answer (the server's next response must be the SSE body). */
    private RecordingChunkSubscriber stream(LlmConfig config) {
        RecordingChunkSubscriber s = new RecordingChunkSubscriber();
        pipeline.stream(input(config)).subscribe(s);
        return s;
    }

    private static CallResponse withoutThinking(CallResponse r) {
        return new CallResponse(r.content(), r.model(), r.provider(), r.usage(), r.success(), r.error(), null,
                r.cacheHit(), r.toolCalls(), r.finishReason(), r.refusal(), r.callFailure(), r.attempts(), r.cost());
    }

    private static String anthropic(String type, String payload) {
        return event(type, payload);
    }

    // 43: Anthropic thinking (with signature_delta) then tool_use
    @Test
    void anthropicThinkingThenToolUseStreamsTheCallOfTheJsonReply() throws Exception {
        pipeline();
        LlmConfig config = cfg("anthropic", "claude-x", "/v1");
        server.enqueue(sse(
                anthropic("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\","
                        + "\"model\":\"claude-x-1\",\"usage\":{\"input_tokens\":20,\"output_tokens\":1}}}"),
                anthropic("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                        + "\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}"),
                anthropic("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                        + "\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"Need the \"}}"),
                anthropic("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                        + "\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"weather.\"}}"),
                anthropic("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                        + "\"delta\":{\"type\":\"signature_delta\",\"signature\":\"EqQBCgIYAhIM\"}}"),
                anthropic("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
                anthropic("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,"
                        + "\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_01A\",\"name\":\"get_weather\","
                        + "\"input\":{}}}"),
                anthropic("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,"
                        + "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\"}}"),
                anthropic("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,"
                        + "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\":\"}}"),
                anthropic("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,"
                        + "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\\\"Paris\\\"}\"}}"),
                anthropic("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}"),
                anthropic("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},"
                        + "\"usage\":{\"output_tokens\":30}}"),
                anthropic("message_stop", "{\"type\":\"message_stop\"}")));
        RecordingChunkSubscriber s = stream(config);
        CallResponse streamed = s.awaitDone();

        server.enqueue(json(200, "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":"
                + "\"claude-x-1\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"Need the weather.\","
                + "\"signature\":\"EqQBCgIYAhIM\"},{\"type\":\"tool_use\",\"id\":\"toolu_01A\",\"name\":"
                + "\"get_weather\",\"input\":{\"city\":\"Paris\"}}],\"stop_reason\":\"tool_use\","
                + "\"usage\":{\"input_tokens\":20,\"output_tokens\":30}}"));
        CallResponse called = pipeline.call(input(config));

        assertThat(called.toolCalls()).containsExactly(new ToolCall("toolu_01A", "get_weather",
                "{\"city\":\"Paris\"}", Map.of("anthropic", Map.of("thinking_blocks", List.of(Map.of(
                        "type", "thinking", "thinking", "Need the weather.", "signature", "EqQBCgIYAhIM"))))));
        assertThat(called.finishReason()).isEqualTo("tool_calls");
        // Native reasoning is streamed as thinking (a call has no native reasoning to carry); all else is equal.
        assertThat(s.thinking()).isEqualTo("Need the weather.");
        assertThat(streamed.thinkingContent()).isEqualTo("Need the weather.");
        assertThat(withoutThinking(streamed)).isEqualTo(called);
    }

    // 43: Gemini functionCall with thoughtSignature and no id
    @Test
    void geminiFunctionCallsWithoutIdsGetTheSynthesisedIdsAndSignaturesOfTheJsonReply() throws Exception {
        pipeline();
        LlmConfig config = cfg("gemini", "gemini-2.5-flash", "/v1beta");
        String first = "{\"functionCall\":{\"name\":\"get_weather\",\"args\":{\"city\":\"Paris\"}},"
                + "\"thoughtSignature\":\"c2lnbmF0dXJlLTE=\"}";
        String second = "{\"functionCall\":{\"name\":\"get_time\",\"args\":{\"zone\":\"CET\"}}}";
        String usage = "\"usageMetadata\":{\"promptTokenCount\":10,\"candidatesTokenCount\":4,"
                + "\"thoughtsTokenCount\":6,\"totalTokenCount\":20},\"modelVersion\":\"gemini-2.5-flash-001\","
                + "\"responseId\":\"resp-42\"";
        server.enqueue(sse(
                data("{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[" + first + "]}}],"
                        + "\"modelVersion\":\"gemini-2.5-flash-001\",\"responseId\":\"resp-42\"}"),
                data("{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[" + second + "]},"
                        + "\"finishReason\":\"STOP\"}]," + usage + "}")));
        CallResponse streamed = stream(config).awaitDone();

        server.enqueue(json(200, "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[" + first + ","
                + second + "]},\"finishReason\":\"STOP\"}]," + usage + "}"));
        CallResponse called = pipeline.call(input(config));

        assertThat(called.toolCalls()).hasSize(2);
        assertThat(called.toolCalls()).allSatisfy(c -> assertThat(c.id()).matches("llmix_call_[0-9a-f]{16}"));
        assertThat(called.toolCalls().get(0).extraContent())
                .isEqualTo(Map.of("google", Map.of("thought_signature", "c2lnbmF0dXJlLTE=")));
        assertThat(called.finishReason()).isEqualTo("tool_calls");
        assertThat(streamed).isEqualTo(called);
    }

    // 43: OpenAI delta.refusal fragments; the refusal is not cached
    @Test
    void openAiRefusalFragmentsGiveTheRefusalOfTheJsonReplyAndAreNotCached() throws Exception {
        pipeline();
        LlmConfig config = cfg("openai", "gpt-4o", "/v1");
        String head = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-2024-08-06\","
                + "\"choices\":[{\"index\":0,\"delta\":";
        server.enqueue(sse(
                data(head + "{\"role\":\"assistant\",\"content\":null,\"refusal\":\"\"},\"finish_reason\":null}]}"),
                data(head + "{\"refusal\":\"I'm sorry, \"},\"finish_reason\":null}]}"),
                data(head + "{\"refusal\":\"I can't help with that.\"},\"finish_reason\":null}]}"),
                data(head + "{},\"finish_reason\":\"stop\"}]}"),
                data("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-2024-08-06\","
                        + "\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":7,"
                        + "\"total_tokens\":16}}"),
                data("[DONE]")));
        RecordingChunkSubscriber s = stream(config);
        CallResponse streamed = s.awaitDone();
        assertThat(s.deltas()).as("a refusal is never part of a chunk").isEmpty();
        assertThat(cache.stats().l1Size()).as("no cache entry after a streamed refusal").isZero();

        server.enqueue(json(200, "{\"id\":\"chatcmpl-2\",\"object\":\"chat.completion\",\"model\":"
                + "\"gpt-4o-2024-08-06\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":null,\"refusal\":\"I'm sorry, I can't help with that.\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":7,\"total_tokens\":16}}"));
        CallResponse called = pipeline.call(input(config));

        assertThat(called.cacheHit()).isNull();
        assertThat(called.refusal()).isEqualTo("I'm sorry, I can't help with that.");
        assertThat(streamed).isEqualTo(called);
        assertThat(cache.stats().l1Size()).isZero();
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    // 44 (second half): Anthropic jsonTool structured mode streamed
    @Test
    void anthropicJsonToolStructuredOutputStreamsAsContentWithFinishStop() throws Exception {
        pipeline();
        LlmConfig config = cfg("anthropic", "claude-x", "/v1").toBuilder()
                .responseFormat(Map.of("type", "json_schema", "json_schema", Map.of("name", "Person", "schema",
                        Map.of("type", "object", "properties", Map.of("name", Map.of("type", "string"))))))
                .build();
        server.enqueue(sse(
                anthropic("message_start", "{\"type\":\"message_start\",\"message\":{\"model\":\"claude-x-1\","
                        + "\"usage\":{\"input_tokens\":12,\"output_tokens\":1}}}"),
                anthropic("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                        + "\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_9\",\"name\":\"Person\","
                        + "\"input\":{}}}"),
                anthropic("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                        + "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"name\\\":\"}}"),
                anthropic("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                        + "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\\\"Ada\\\"}\"}}"),
                anthropic("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
                anthropic("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},"
                        + "\"usage\":{\"output_tokens\":9}}"),
                anthropic("message_stop", "{\"type\":\"message_stop\"}")));
        RecordingChunkSubscriber s = stream(config);
        CallResponse streamed = s.awaitDone();

        assertThat(s.deltas()).extracting(CallChunk::contentDelta).containsExactly("{\"name\":", "\"Ada\"}");
        assertThat(s.deltas()).allSatisfy(c -> assertThat(c.toolCallDeltas()).isEmpty());
        assertThat(streamed.content()).isEqualTo("{\"name\":\"Ada\"}");
        assertThat(streamed.toolCalls()).isEmpty();
        assertThat(streamed.finishReason()).isEqualTo("stop");

        server.enqueue(json(200, "{\"model\":\"claude-x-1\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_9\","
                + "\"name\":\"Person\",\"input\":{\"name\":\"Ada\"}}],\"stop_reason\":\"tool_use\","
                + "\"usage\":{\"input_tokens\":12,\"output_tokens\":9}}"));
        pipeline.clearCache();
        assertThat(pipeline.call(input(config))).isEqualTo(streamed);
    }
}
