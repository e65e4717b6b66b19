package dev.llmix.provider.http;

import static dev.llmix.provider.http.AdapterTestSupport.HELLO;
import static dev.llmix.provider.http.AdapterTestSupport.base;
import static dev.llmix.provider.http.AdapterTestSupport.body;
import static dev.llmix.provider.http.AdapterTestSupport.call;
import static dev.llmix.provider.http.AdapterTestSupport.config;
import static dev.llmix.provider.http.AdapterTestSupport.ctx;
import static dev.llmix.provider.http.AdapterTestSupport.failure;
import static dev.llmix.provider.http.AdapterTestSupport.json;
import static dev.llmix.provider.http.AdapterTestSupport.options;
import static dev.llmix.provider.http.AdapterTestSupport.take;
import static dev.llmix.provider.http.ToolsTestData.GET_TIME;
import static dev.llmix.provider.http.ToolsTestData.GET_WEATHER;
import static dev.llmix.provider.http.ToolsTestData.WEATHER_PARAMS;
import static dev.llmix.provider.http.ToolsTestData.kwargs;
import static dev.llmix.provider.http.ToolsTestData.tools;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.client.Message;
import dev.llmix.config.LlmConfig;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.spi.LlmUsage;
import dev.llmix.spi.ProviderResult;
import dev.llmix.tools.ToolCall;
import dev.llmix.tools.ToolChoice;
import dev.llmix.tools.ToolSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Tools acceptance checks 10–15 and the Anthropic part of 42 against a loopback server. */
class AnthropicToolsWireTest extends LoopbackServerTest {

    private static final String TEXT_REPLY = "{\"content\":[{\"type\":\"text\",\"text\":\"ok\"}],"
            + "\"stop_reason\":\"end_turn\"}";

    private AnthropicAdapter adapter() {
        return new AnthropicAdapter(options().build());
    }

    private LlmConfig claude() {
        return LlmConfig.builder("anthropic", "claude-sonnet-4-5").baseUrl(base(server, "/v1")).build();
    }

    private LlmConfig claude(String providerOptionsJson) {
        return config("{\"provider\":\"anthropic\",\"model\":\"claude-sonnet-4-5\",\"baseUrl\":\""
                + base(server, "/v1") + "\",\"providerOptions\":{\"anthropic\":" + providerOptionsJson + "}}");
    }

    private JsonNode send(LlmConfig cfg, List<?> messages, ToolSet tools) {
        server.enqueue(json(200, TEXT_REPLY));
        call(adapter(), ctx(cfg, "sk-ant", messages, kwargs(cfg, tools)));
        return body(take(server));
    }

    private static final String THINKING = "{\"thinking\":{\"type\":\"enabled\",\"budgetTokens\":2048}}";

    // 10
    @Test
    void toolsAndChoicesMapToAnthropicShapes() {
        JsonNode body = send(claude(), HELLO, tools(ToolChoice.auto(), null, GET_WEATHER));
        assertThat(body.get("tools").toString()).isEqualTo("[{\"name\":\"get_weather\",\"description\":"
                + "\"Weather for a city\",\"input_schema\":" + WEATHER_PARAMS + "}]");
        assertThat(body.get("tool_choice").toString()).isEqualTo("{\"type\":\"auto\"}");
        assertThat(send(claude(), HELLO, tools(ToolChoice.required(), null, GET_WEATHER)).get("tool_choice")
                .toString()).isEqualTo("{\"type\":\"any\"}");
        assertThat(send(claude(), HELLO, tools(ToolChoice.function("get_weather"), null, GET_WEATHER))
                .get("tool_choice").toString()).isEqualTo("{\"type\":\"tool\",\"name\":\"get_weather\"}");
        JsonNode none = send(claude(), HELLO, tools(ToolChoice.none(), null, GET_WEATHER));
        assertThat(none.get("tool_choice").toString()).isEqualTo("{\"type\":\"none\"}");
        assertThat(none.get("tools")).hasSize(1);
    }

    // 11
    @Test
    void parallelFalseDisablesParallelToolUseExceptOnNone() {
        assertThat(send(claude(), HELLO, tools(ToolChoice.required(), false, GET_WEATHER)).get("tool_choice")
                .toString()).isEqualTo("{\"type\":\"any\",\"disable_parallel_tool_use\":true}");
        assertThat(send(claude(), HELLO, tools(ToolChoice.none(), false, GET_WEATHER)).get("tool_choice")
                .toString()).isEqualTo("{\"type\":\"none\"}");
        assertThat(send(claude("{\"disableParallelToolUse\":true}"), HELLO, tools(null, null, GET_WEATHER))
                .get("tool_choice").toString()).isEqualTo("{\"type\":\"auto\",\"disable_parallel_tool_use\":true}");
    }

    // 12
    @Test
    void forcedToolWithExtendedThinkingFailsLocally() {
        LlmConfig cfg = claude(THINKING);
        Throwable t = failure(adapter(), ctx(cfg, "sk-ant", HELLO, kwargs(cfg,
                tools(ToolChoice.required(), null, GET_WEATHER))));
        assertThat(t).isInstanceOf(AdapterConfigException.class)
                .hasMessage("tool_choice \"required\" is not supported with Anthropic extended thinking; use auto");
        assertThat(server.getRequestCount()).isZero();

        assertThat(send(cfg, HELLO, tools(ToolChoice.auto(), null, GET_WEATHER)).get("thinking")).isNotNull();
    }

    // 13
    @Test
    void toolUseBlocksBecomeCallsAfterTheText() {
        server.enqueue(json(200, """
                {"model":"claude-sonnet-4-5","content":[{"type":"text","text":"Checking"},\
                {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}},\
                {"type":"tool_use","id":"toolu_2","name":"get_time","input":{}}],"stop_reason":"tool_use",\
                "usage":{"input_tokens":10,"output_tokens":5}}"""));
        ProviderResult r = call(adapter(), ctx(claude(), "sk-ant", HELLO, Map.of()));

        assertThat(r.content()).isEqualTo("Checking");
        assertThat(r.finishReason()).isEqualTo("tool_calls");
        List<ToolCall> calls = ToolCall.fromResult(r.toolCalls());
        assertThat(calls).extracting(ToolCall::id).containsExactly("toolu_1", "toolu_2");
        assertThat(calls).extracting(ToolCall::arguments).containsExactly("{\"city\":\"Paris\"}", "{}");
    }

    // 14
    @Test
    void toolResultsAndAFollowingUserMessageBecomeOneUserMessage() {
        ToolCall a = ToolCall.of("toolu_a", "get_weather", "{\"city\":\"Paris\"}");
        ToolCall b = ToolCall.of("toolu_b", "get_time", "{}");
        List<Object> history = List.of(Message.user("weather and time?").toMap(),
                Message.assistant("Checking", List.of(a, b)).toMap(), Message.toolResult(a, "21C").toMap(),
                Message.toolError(b, "boom").toMap(), Message.user("thanks").toMap());

        JsonNode messages = send(claude(), history, tools(null, null, GET_WEATHER, GET_TIME)).get("messages");

        assertThat(messages).hasSize(3);
        assertThat(messages.get(0).get("role").asString()).isEqualTo("user");
        assertThat(messages.get(1).get("content").toString()).isEqualTo("[{\"type\":\"text\",\"text\":\"Checking\"},"
                + "{\"type\":\"tool_use\",\"id\":\"toolu_a\",\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}},"
                + "{\"type\":\"tool_use\",\"id\":\"toolu_b\",\"name\":\"get_time\",\"input\":{}}]");
        assertThat(messages.get(2).get("role").asString()).isEqualTo("user");
        assertThat(messages.get(2).get("content").toString()).isEqualTo("[{\"type\":\"tool_result\",\"tool_use_id\":"
                + "\"toolu_a\",\"content\":\"21C\"},{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_b\",\"content\":"
                + "\"boom\",\"is_error\":true},{\"type\":\"text\",\"text\":\"thanks\"}]");
    }

    // 15
    @Test
    void thinkingBlocksBeforeToolUseAreReplayedFirst() {
        server.enqueue(json(200, """
                {"content":[{"type":"thinking","thinking":"let me see","signature":"sig"},\
                {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}}],\
                "stop_reason":"tool_use"}"""));
        ProviderResult r = call(adapter(), ctx(claude(THINKING), "sk-ant", HELLO, Map.of()));
        take(server);
        List<ToolCall> calls = ToolCall.fromResult(r.toolCalls());
        assertThat(calls.get(0).extraContent()).isEqualTo(Map.of("anthropic", Map.of("thinking_blocks",
                List.of(Map.of("type", "thinking", "thinking", "let me see", "signature", "sig")))));

        CallResponse response = new CallResponse("", "m", "anthropic", LlmUsage.ZERO, true, null, null, null, calls,
                "tool_calls", null);
        List<Object> history = List.of(Message.user("weather?").toMap(), Message.assistant(response).toMap(),
                Message.toolResult(calls.get(0), "21C").toMap());
        JsonNode messages = send(claude(THINKING), history, tools(null, null, GET_WEATHER)).get("messages");

        assertThat(messages.get(1).get("content").get(0).toString())
                .isEqualTo("{\"type\":\"thinking\",\"thinking\":\"let me see\",\"signature\":\"sig\"}");
        assertThat(messages.get(1).get("content").get(1).get("type").asString()).isEqualTo("tool_use");
    }

    // 42 (Anthropic)
    @Test
    void structuredOutputUsesAForcedJsonToolOrOutputFormatWithThinking() {
        Map<String, Object> format = Map.of("type", "json_schema", "json_schema", Map.of("name", "Person",
                "schema", Map.of("type", "object", "properties", Map.of("name", Map.of("type", "string"))),
                "strict", true));
        server.enqueue(json(200, """
                {"content":[{"type":"tool_use","id":"toolu_9","name":"Person","input":{"name":"Ada"}}],\
                "stop_reason":"tool_use"}"""));
        LlmConfig cfg = claude().toBuilder().responseFormat(format).build();
        ProviderResult r = call(adapter(), ctx(cfg, "sk-ant", HELLO, kwargs(cfg, null)));
        JsonNode body = body(take(server));

        assertThat(body.get("tools").get(0).get("name").asString()).isEqualTo("Person");
        assertThat(body.get("tools").get(0).get("input_schema").get("type").asString()).isEqualTo("object");
        assertThat(body.get("tool_choice").toString()).isEqualTo("{\"type\":\"tool\",\"name\":\"Person\"}");
        assertThat(r.content()).isEqualTo("{\"name\":\"Ada\"}");
        assertThat(r.toolCalls()).isNull();
        assertThat(r.finishReason()).isEqualTo("stop");

        LlmConfig thinking = claude(THINKING).toBuilder().responseFormat(format).build();
        server.enqueue(json(200, TEXT_REPLY));
        call(adapter(), ctx(thinking, "sk-ant", HELLO, kwargs(thinking, null)));
        JsonNode body2 = body(take(server));
        assertThat(body2.get("output_config").get("format").get("type").asString()).isEqualTo("json_schema");
        assertThat(body2.has("tools")).isFalse();
        assertThat(body2.has("tool_choice")).isFalse();

        LlmConfig recursive = claude(THINKING).toBuilder().responseFormat(Map.of("type", "json_schema",
                "json_schema", Map.of("name", "Node", "schema", Map.of("type", "object", "properties",
                        Map.of("child", Map.of("$ref", "#")))))).build();
        assertThat(failure(adapter(), ctx(recursive, "sk-ant", HELLO, kwargs(recursive, null))))
                .isInstanceOf(AdapterConfigException.class)
                .hasMessageStartingWith("Anthropic output_config cannot use a recursive schema");
    }
}
