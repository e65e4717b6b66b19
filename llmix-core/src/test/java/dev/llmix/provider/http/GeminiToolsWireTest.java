package dev.llmix.provider.http;

import static dev.llmix.provider.http.AdapterTestSupport.HELLO;
import static dev.llmix.provider.http.AdapterTestSupport.base;
import static dev.llmix.provider.http.AdapterTestSupport.body;
import static dev.llmix.provider.http.AdapterTestSupport.call;
import static dev.llmix.provider.http.AdapterTestSupport.ctx;
import static dev.llmix.provider.http.AdapterTestSupport.failure;
import static dev.llmix.provider.http.AdapterTestSupport.json;
import static dev.llmix.provider.http.AdapterTestSupport.list;
import static dev.llmix.provider.http.AdapterTestSupport.options;
import static dev.llmix.provider.http.AdapterTestSupport.providerFailure;
import static dev.llmix.provider.http.AdapterTestSupport.take;
import static dev.llmix.provider.http.ToolsTestData.GET_TIME;
import static dev.llmix.provider.http.ToolsTestData.GET_WEATHER;
import static dev.llmix.provider.http.ToolsTestData.WEATHER_PARAMS;
import static dev.llmix.provider.http.ToolsTestData.kwargs;
import static dev.llmix.provider.http.ToolsTestData.tools;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.client.Message;
import dev.llmix.config.LlmConfig;
import dev.llmix.spi.ProviderException;
import dev.llmix.spi.ProviderResult;
import dev.llmix.tools.Tool;
import dev.llmix.tools.ToolCall;
import dev.llmix.tools.ToolChoice;
import dev.llmix.tools.ToolSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Tools acceptance checks 16–21 and the Gemini part of 41 against a loopback server. */
class GeminiToolsWireTest extends LoopbackServerTest {

    private static final String TEXT_REPLY = "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"ok\"}]},"
            + "\"finishReason\":\"STOP\"}]}";
    private static final String TWO_CALLS = """
            {"responseId":"resp-1","candidates":[{"content":{"role":"model","parts":[\
            {"functionCall":{"name":"get_weather","args":{"city":"Paris"}},"thoughtSignature":"sig"},\
            {"functionCall":{"name":"get_weather","args":{"city":"Rome"}}}]},"finishReason":"STOP"}]}""";

    private GeminiAdapter adapter() {
        return new GeminiAdapter(options().build());
    }

    private LlmConfig gemini(String provider) {
        return LlmConfig.builder(provider, "gemini-2.5-flash").baseUrl(base(server, "/v1beta")).build();
    }

    private JsonNode send(List<?> messages, ToolSet tools) {
        server.enqueue(json(200, TEXT_REPLY));
        LlmConfig cfg = gemini("google");
        call(adapter(), ctx(cfg, "g-key", messages, kwargs(cfg, tools)));
        return body(take(server));
    }

    // 16
    @Test
    void toolsBecomeFunctionDeclarationsAndChoicesAFunctionCallingMode() {
        JsonNode body = send(HELLO, tools(ToolChoice.auto(), false, GET_WEATHER));
        assertThat(body.get("tools").get(0).get("functionDeclarations").get(0).toString())
                .isEqualTo("{\"name\":\"get_weather\",\"description\":\"Weather for a city\","
                        + "\"parametersJsonSchema\":" + WEATHER_PARAMS + "}");
        assertThat(body.get("toolConfig").toString()).isEqualTo("{\"functionCallingConfig\":{\"mode\":\"AUTO\"}}");
        assertThat(body.toString()).doesNotContain("parallel");
        assertThat(send(HELLO, tools(ToolChoice.none(), null, GET_WEATHER)).get("toolConfig").toString())
                .contains("\"NONE\"");
        assertThat(send(HELLO, tools(ToolChoice.required(), null, GET_WEATHER)).get("toolConfig").toString())
                .isEqualTo("{\"functionCallingConfig\":{\"mode\":\"ANY\"}}");
        assertThat(send(HELLO, tools(ToolChoice.function("get_weather"), null, GET_WEATHER)).get("toolConfig")
                .toString()).isEqualTo("{\"functionCallingConfig\":{\"mode\":\"ANY\","
                        + "\"allowedFunctionNames\":[\"get_weather\"]}}");
    }

    // 17
    @Test
    void callsWithoutIdsGetStableSynthesisedIdsAndThoughtSignatures() {
        LlmConfig cfg = gemini("google");
        server.enqueue(json(200, TWO_CALLS));
        server.enqueue(json(200, TWO_CALLS));
        ProviderResult first = call(adapter(), ctx(cfg, "g-key", HELLO, Map.of()));
        ProviderResult again = call(adapter(), ctx(cfg, "g-key", HELLO, Map.of()));

        List<ToolCall> calls = ToolCall.fromResult(first.toolCalls());
        assertThat(calls).hasSize(2);
        assertThat(calls).allSatisfy(c -> assertThat(c.id()).matches("llmix_call_[0-9a-f]{16}"));
        assertThat(calls.get(0).id()).isNotEqualTo(calls.get(1).id());
        assertThat(ToolCall.fromResult(again.toolCalls())).isEqualTo(calls);
        assertThat(calls.get(0).extraContent()).isEqualTo(Map.of("google", Map.of("thought_signature", "sig")));
        assertThat(calls.get(1).extraContent()).isNull();
        assertThat(first.finishReason()).isEqualTo("tool_calls");

        server.enqueue(json(200, "{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"id\":\"fc-7\","
                + "\"name\":\"get_time\",\"args\":{}}}]},\"finishReason\":\"STOP\"}]}"));
        assertThat(ToolCall.fromResult(call(adapter(), ctx(cfg, "g-key", HELLO, Map.of())).toolCalls()).get(0).id())
                .isEqualTo("fc-7");
    }

    // 18
    @Test
    void historyBecomesFunctionCallAndOneFunctionResponseTurn() {
        ToolCall a = new ToolCall("llmix_call_0123456789abcdef", "get_weather", "{\"city\":\"Paris\"}",
                Map.of("google", Map.of("thought_signature", "sig")));
        ToolCall b = ToolCall.of("llmix_call_fedcba9876543210", "get_time", "{}");
        List<Object> history = List.of(Message.user("weather and time?").toMap(),
                Message.assistant(null, List.of(a, b)).toMap(), Message.toolResult(a, "{\"temp\":21}").toMap(),
                Message.toolError(b, "boom").toMap());

        JsonNode contents = send(history, tools(null, null, GET_WEATHER, GET_TIME)).get("contents");

        assertThat(contents).hasSize(3);
        assertThat(contents.get(1).toString()).isEqualTo("{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":"
                + "\"get_weather\",\"args\":{\"city\":\"Paris\"}},\"thoughtSignature\":\"sig\"},{\"functionCall\":"
                + "{\"name\":\"get_time\",\"args\":{}}}]}");
        assertThat(contents.get(2).toString()).isEqualTo("{\"role\":\"user\",\"parts\":[{\"functionResponse\":"
                + "{\"name\":\"get_weather\",\"response\":{\"output\":{\"temp\":21}}}},{\"functionResponse\":"
                + "{\"name\":\"get_time\",\"response\":{\"error\":\"boom\"}}}]}");
        assertThat(contents.toString()).doesNotContain("Continue.");

        ToolCall withId = ToolCall.of("fc-1", "get_time", "{}");
        JsonNode ids = send(List.of(Message.user("time?").toMap(), Message.assistant(null, List.of(withId)).toMap(),
                Message.toolResult(withId, "noon").toMap()), tools(null, null, GET_TIME)).get("contents");
        assertThat(ids.get(1).get("parts").get(0).get("functionCall").get("id").asString()).isEqualTo("fc-1");
        assertThat(ids.get(2).get("parts").get(0).get("functionResponse").get("id").asString()).isEqualTo("fc-1");
    }

    // 19
    @Test
    void aToolMessageWithoutNameTakesTheNameOfItsCall() {
        List<?> history = list("""
                [{"role":"user","content":"time?"},
                 {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function",
                  "function":{"name":"get_time","arguments":"{}"}}]},
                 {"role":"tool","tool_call_id":"c1","content":"noon"}]""");
        JsonNode contents = send(history, tools(null, null, GET_TIME)).get("contents");
        assertThat(contents.get(2).get("parts").get(0).get("functionResponse").get("name").asString())
                .isEqualTo("get_time");

        List<?> orphan = list("""
                [{"role":"user","content":"time?"},{"role":"tool","tool_call_id":"zz","content":"noon"}]""");
        LlmConfig cfg = gemini("google");
        assertThat(failure(adapter(), ctx(cfg, "g-key", orphan, Map.of()))).isInstanceOf(AdapterConfigException.class);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    // 20
    @Test
    void aNameStartingWithADigitFailsLocallyForGeminiOnly() {
        Tool first = Tool.function("1st", null);
        LlmConfig cfg = gemini("google");
        assertThat(failure(adapter(), ctx(cfg, "g-key", HELLO, kwargs(cfg, tools(null, null, first)))))
                .isInstanceOf(AdapterConfigException.class)
                .hasMessage("gemini function names must start with a letter or an underscore: \"1st\"");
        assertThat(server.getRequestCount()).isZero();

        LlmConfig openai = LlmConfig.builder("openai", "gpt-4o-mini").baseUrl(base(server, "/v1")).build();
        server.enqueue(json(200, "{\"choices\":[{\"message\":{\"content\":\"ok\"}}]}"));
        call(new OpenAiCompatibleAdapter(options().build()), ctx(openai, "k", HELLO,
                kwargs(openai, tools(null, null, first))));
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    // 21
    @Test
    void constBecomesEnumRequiredRecursionFailsAndMalformedCallsAreRetryable() {
        Tool constant = Tool.function("pick", null, "{\"type\":\"object\",\"properties\":{\"kind\":{\"const\":\"x\"}}}");
        JsonNode decl = send(HELLO, tools(null, null, constant)).get("tools").get(0).get("functionDeclarations")
                .get(0);
        assertThat(decl.get("parametersJsonSchema").get("properties").get("kind").toString())
                .isEqualTo("{\"enum\":[\"x\"]}");

        Tool recursive = Tool.function("tree", null, "{\"type\":\"object\",\"properties\":{\"child\":"
                + "{\"$ref\":\"#\"}},\"required\":[\"child\"]}");
        LlmConfig cfg = gemini("gemini");
        assertThat(failure(adapter(), ctx(cfg, "g-key", HELLO, kwargs(cfg, tools(null, null, recursive)))))
                .isInstanceOf(AdapterConfigException.class)
                .hasMessageStartingWith("gemini cannot use a schema that recurses through required properties: ");

        server.enqueue(json(200, "{\"candidates\":[{\"content\":{\"parts\":[]},\"finishReason\":"
                + "\"MALFORMED_FUNCTION_CALL\",\"finishMessage\":\"bad call\"}]}"));
        ProviderException e = providerFailure(adapter(), ctx(cfg, "g-key", HELLO, Map.of()));
        assertThat(e.getMessage()).isEqualTo("gemini finish reason MALFORMED_FUNCTION_CALL: bad call");
        assertThat(e.statusCode()).isNull();
    }

    // 41 (Gemini)
    @Test
    void structuredOutputUsesResponseJsonSchema() {
        LlmConfig cfg = gemini("google").toBuilder().responseFormat(Map.of("type", "json_schema", "json_schema",
                Map.of("name", "Person", "schema", Map.of("type", "object"), "strict", true))).build();
        server.enqueue(json(200, TEXT_REPLY));
        call(adapter(), ctx(cfg, "g-key", HELLO, kwargs(cfg, null)));
        JsonNode gen = body(take(server)).get("generationConfig");

        assertThat(gen.get("responseMimeType").asString()).isEqualTo("application/json");
        assertThat(gen.get("responseJsonSchema").toString()).isEqualTo("{\"type\":\"object\"}");
        assertThat(gen.has("responseSchema")).isFalse();
        assertThat(gen.toString()).doesNotContain("strict");
    }
}
