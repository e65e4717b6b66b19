package dev.llmix.provider.http;

import static dev.llmix.provider.http.AdapterTestSupport.HELLO;
import static dev.llmix.provider.http.AdapterTestSupport.base;
import static dev.llmix.provider.http.AdapterTestSupport.body;
import static dev.llmix.provider.http.AdapterTestSupport.call;
import static dev.llmix.provider.http.AdapterTestSupport.config;
import static dev.llmix.provider.http.AdapterTestSupport.ctx;
import static dev.llmix.provider.http.AdapterTestSupport.failure;
import static dev.llmix.provider.http.AdapterTestSupport.json;
import static dev.llmix.provider.http.AdapterTestSupport.list;
import static dev.llmix.provider.http.AdapterTestSupport.obj;
import static dev.llmix.provider.http.AdapterTestSupport.options;
import static dev.llmix.provider.http.AdapterTestSupport.providerFailure;
import static dev.llmix.provider.http.AdapterTestSupport.take;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmix.config.LlmConfig;
import dev.llmix.spi.LlmUsage;
import dev.llmix.spi.ProviderException;
import dev.llmix.spi.ProviderResult;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** provider-adapters.md §5 and acceptance check 7 against a loopback server. */
class AnthropicAdapterTest extends LoopbackServerTest {

    private AnthropicAdapter adapter() {
        return new AnthropicAdapter(options().baseUrl(base(server, "/v1")).build());
    }

    private static LlmConfig claude() {
        return LlmConfig.builder("anthropic", "claude-sonnet-4-20250514").build();
    }

    @Test
    void rustFixtureRequestHasMessagesShape() {
        server.enqueue(json(200, "{\"content\":[{\"type\":\"text\",\"text\":\"Ahoy\"}]}"));
        List<?> messages = list("[{\"role\":\"system\",\"content\":\"Talk like a pirate.\"},{\"role\":\"user\",\"content\":\"Say hello.\"}]");
        Map<String, Object> kwargs = obj("""
                {"temperature":0.2,"stop":["END"],"presence_penalty":0.3,"frequencyPenalty":0.4,\
                "response_format":{"type":"json_object"}}""");

        call(adapter(), ctx(claude(), "test-key", messages, kwargs));

        RecordedRequest r = take(server);
        assertThat(r.getMethod()).isEqualTo("POST");
        assertThat(r.getTarget()).isEqualTo("/v1/messages");
        assertThat(r.getHeaders().get("x-api-key")).isEqualTo("test-key");
        assertThat(r.getHeaders().get("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(r.getHeaders().get("authorization")).isNull();
        JsonNode body = body(r);
        assertThat(body.get("system").asString()).isEqualTo("Talk like a pirate.");
        assertThat(body.get("messages").toString()).isEqualTo("[{\"role\":\"user\",\"content\":\"Say hello.\"}]");
        assertThat(body.get("temperature").asDouble()).isEqualTo(0.2);
        assertThat(body.get("stop_sequences").toString()).isEqualTo("[\"END\"]");
        assertThat(body.get("max_tokens").asInt()).isEqualTo(1024);
        assertThat(body.propertyNames()).doesNotContain("presence_penalty", "frequencyPenalty", "frequency_penalty",
                "response_format", "stop");
    }

    @Test
    void rustFixtureReplyMapsTextUsageAndHeaders() {
        server.enqueue(new MockResponse.Builder().code(200)
                .addHeader("anthropic-ratelimit-remaining-requests", "7")
                .body("""
                        {"model":"claude-sonnet-4-20250514","content":[{"type":"text","text":"Ahoy"},\
                        {"type":"text","text":" there"}],"usage":{"input_tokens":12,"output_tokens":8}}""")
                .build());

        ProviderResult result = call(adapter(), ctx(claude(), "test-key", HELLO, Map.of()));

        assertThat(result.content()).isEqualTo("Ahoy there");
        assertThat(result.model()).isEqualTo("claude-sonnet-4-20250514");
        assertThat(result.usage()).isEqualTo(new LlmUsage(12, 8, 20, null));
        assertThat(result.headers()).containsEntry("anthropic-ratelimit-remaining-requests", "7");
    }

    @Test
    void overloadedErrorKeepsStatus529AndRetryAfter() {
        server.enqueue(json(529, "{\"error\":{\"message\":\"overloaded\"}}").newBuilder()
                .addHeader("retry-after", "3").build());

        ProviderException e = providerFailure(adapter(), ctx(claude(), "test-key", HELLO, Map.of()));

        assertThat(e).hasMessage("overloaded");
        assertThat(e.statusCode()).isEqualTo(529);
        assertThat(e.retryAfter()).isEqualTo("3");
    }

    @Test
    void extendedThinkingRemovesSamplingAndRaisesTheTokenCap() {
        server.enqueue(json(200, "{\"content\":[]}"));
        LlmConfig cfg = config("""
                {"provider":"anthropic","model":"claude-sonnet-4-5","providerOptions":{"anthropic":\
                {"thinking":{"type":"enabled","budgetTokens":2048}}}}""");

        call(adapter(), ctx(cfg, "k", HELLO, obj("{\"temperature\":0.2,\"max_tokens\":512}")));

        JsonNode body = body(take(server));
        assertThat(body.get("thinking").toString()).isEqualTo("{\"type\":\"enabled\",\"budget_tokens\":2048}");
        assertThat(body.get("max_tokens").asInt()).isEqualTo(2560);
        assertThat(body.has("temperature")).isFalse();
    }

    @Test
    void thinkingWithoutBudgetIsALocalError() {
        LlmConfig cfg = config("""
                {"provider":"anthropic","model":"m","providerOptions":{"anthropic":{"thinking":{"type":"enabled"}}}}""");

        assertThat(failure(adapter(), ctx(cfg, "k", HELLO, Map.of())))
                .isInstanceOf(AdapterConfigException.class).hasMessage("thinking requires a budget");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void systemMessagesAreJoinedWithABlankLineIncludingTextParts() {
        server.enqueue(json(200, "{\"content\":[]}"));
        List<?> messages = list("""
                [{"role":"system","content":"A"},{"role":"system","content":[{"type":"text","text":"B"}]},\
                {"role":"system","content":""},{"role":"user","content":"u"}]""");

        call(adapter(), ctx(claude(), "k", messages, Map.of()));

        assertThat(body(take(server)).get("system").asString()).isEqualTo("A\n\nB");
    }

    @Test
    void toolsAreConvertedAndToolUseBlocksComeBackInOpenAiShape() {
        server.enqueue(json(200, """
                {"content":[{"type":"text","text":"checking"},{"type":"tool_use","id":"toolu_1","name":"lookup",\
                "input":{"q":"x"}}],"usage":{"input_tokens":5,"output_tokens":3,"cache_read_input_tokens":2,\
                "cache_creation_input_tokens":1}}"""));
        Map<String, Object> kwargs = obj("""
                {"tools":[{"type":"function","function":{"name":"lookup","description":"d",\
                "parameters":{"type":"object","properties":{"q":{"type":"string"}}}}}],"tool_choice":"required"}""");

        ProviderResult result = call(adapter(), ctx(claude(), "k", HELLO, kwargs));

        JsonNode body = body(take(server));
        assertThat(body.get("tools").get(0).get("name").asString()).isEqualTo("lookup");
        assertThat(body.get("tools").get(0).get("input_schema").get("type").asString()).isEqualTo("object");
        assertThat(body.get("tool_choice").toString()).isEqualTo("{\"type\":\"any\"}");
        assertThat(result.toolCalls()).containsExactly(Map.of("id", "toolu_1", "type", "function",
                "function", Map.of("name", "lookup", "arguments", "{\"q\":\"x\"}")));
        assertThat(result.usage()).isEqualTo(new LlmUsage(8, 3, 11, 2L));
    }

    @Test
    void replayedToolCallArgumentsBecomeToolUseInput() {
        server.enqueue(json(200, "{\"content\":[]}"));
        List<?> messages = list("""
                [{"role":"user","content":"u"},{"role":"assistant","content":null,"tool_calls":[\
                {"id":"toolu_1","type":"function","function":{"name":"lookup","arguments":"{\\"q\\":\\"x\\"}"}},\
                {"id":"toolu_2","type":"function","function":{"name":"now","arguments":""}}]}]""");

        call(adapter(), ctx(claude(), "k", messages, Map.of()));

        JsonNode blocks = body(take(server)).get("messages").get(1).get("content");
        assertThat(blocks.get(0).get("input").toString()).isEqualTo("{\"q\":\"x\"}");
        assertThat(blocks.get(1).get("input").toString()).isEqualTo("{}");
    }

    @Test
    void replayedToolCallWithMalformedArgumentsIsALocalError() {
        List<?> messages = list("""
                [{"role":"user","content":"u"},{"role":"assistant","content":null,"tool_calls":[\
                {"id":"toolu_1","type":"function","function":{"name":"lookup","arguments":"{not json"}}]}]""");

        assertThat(failure(adapter(), ctx(claude(), "k", messages, Map.of())))
                .isInstanceOf(AdapterConfigException.class).hasMessageContaining("\"lookup\"")
                .hasMessageContaining("not a JSON object");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void blankAnthropicVersionIsRejected() {
        assertThatThrownBy(() -> options().anthropicVersion(" ").build())
                .isInstanceOf(AdapterConfigException.class).hasMessage("anthropic version must not be empty");
    }
}
