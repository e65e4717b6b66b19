package dev.llmix.provider.http;

import dev.llmix.providers.ProviderAdapters;
import static dev.llmix.provider.http.AdapterTestSupport.HELLO;
import static dev.llmix.provider.http.AdapterTestSupport.base;
import static dev.llmix.provider.http.AdapterTestSupport.body;
import static dev.llmix.provider.http.AdapterTestSupport.call;
import static dev.llmix.provider.http.AdapterTestSupport.config;
import static dev.llmix.provider.http.AdapterTestSupport.ctx;
import static dev.llmix.provider.http.AdapterTestSupport.json;
import static dev.llmix.provider.http.AdapterTestSupport.list;
import static dev.llmix.provider.http.AdapterTestSupport.options;
import static dev.llmix.provider.http.AdapterTestSupport.take;
import static dev.llmix.provider.http.ToolsTestData.GET_WEATHER;
import static dev.llmix.provider.http.ToolsTestData.WEATHER_PARAMS;
import static dev.llmix.provider.http.ToolsTestData.kwargs;
import static dev.llmix.provider.http.ToolsTestData.tools;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmix.config.LlmConfig;
import dev.llmix.keys.KeyPool;
import dev.llmix.spi.CallInput;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.pipeline.PipelineConfig;
import dev.llmix.spi.ProviderResult;
import dev.llmix.tools.Tool;
import dev.llmix.tools.ToolCall;
import dev.llmix.tools.ToolChoice;
import dev.llmix.tools.ToolDefinitionException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Tools acceptance checks 1–9 and 32: the OpenAI-compatible and sno-gpu wire formats against a loopback server. */
class OpenAiToolsWireTest extends LoopbackServerTest {

    private static final String PLAIN_REPLY = "{\"choices\":[{\"message\":{\"content\":\"ok\"},"
            + "\"finish_reason\":\"stop\"}]}";

    @TempDir
    Path stateDir;

    private OpenAiCompatibleAdapter adapter() {
        return new OpenAiCompatibleAdapter(options().build());
    }

    private LlmConfig provider(String name) {
        return LlmConfig.builder(name, "gpt-4o-mini").baseUrl(base(server, "/v1")).build();
    }

    private JsonNode send(LlmConfig cfg, List<?> messages, Map<String, ?> kwargs) {
        server.enqueue(json(200, PLAIN_REPLY));
        call(adapter(), ctx(cfg, "sk-test", messages, kwargs));
        return body(take(server));
    }

    // 1
    @Test
    void toolsAndAutoChoiceAreSentAtTheTopLevelWithoutParallelFlagOrStrict() {
        LlmConfig cfg = provider("openai");
        JsonNode body = send(cfg, HELLO, kwargs(cfg, tools(ToolChoice.auto(), null, GET_WEATHER)));

        assertThat(body.get("tools").toString()).isEqualTo("[{\"type\":\"function\",\"function\":{\"name\":"
                + "\"get_weather\",\"description\":\"Weather for a city\",\"parameters\":" + WEATHER_PARAMS + "}}]");
        assertThat(body.get("tool_choice").asString()).isEqualTo("auto");
        assertThat(body.has("parallel_tool_calls")).isFalse();
        assertThat(body.get("tools").get(0).get("function").has("strict")).isFalse();
    }

    // 2
    @Test
    void noneRequiredAndNamedChoicesHaveTheirWireForms() {
        LlmConfig cfg = provider("openai");
        assertThat(send(cfg, HELLO, kwargs(cfg, tools(ToolChoice.none(), null, GET_WEATHER)))
                .get("tool_choice").asString()).isEqualTo("none");
        assertThat(send(cfg, HELLO, kwargs(cfg, tools(ToolChoice.required(), null, GET_WEATHER)))
                .get("tool_choice").asString()).isEqualTo("required");
        assertThat(send(cfg, HELLO, kwargs(cfg, tools(ToolChoice.function("get_weather"), null, GET_WEATHER)))
                .get("tool_choice").toString())
                .isEqualTo("{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}");
    }

    // 3
    @Test
    void parallelFlagIsSentOnlyWithTools() {
        LlmConfig cfg = provider("openai");
        assertThat(send(cfg, HELLO, kwargs(cfg, tools(null, false, GET_WEATHER))).get("parallel_tool_calls")
                .asBoolean()).isFalse();

        LlmConfig preset = config("{\"provider\":\"openai\",\"model\":\"gpt-4o-mini\",\"baseUrl\":\""
                + base(server, "/v1") + "\",\"providerOptions\":{\"openai\":{\"parallelToolCalls\":true}}}");
        assertThat(send(preset, HELLO, kwargs(preset, null)).has("parallel_tool_calls")).isFalse();
        assertThat(send(preset, HELLO, kwargs(preset, tools(null, null, GET_WEATHER))).get("parallel_tool_calls")
                .asBoolean()).isTrue();
    }

    // 4
    @Test
    void strictNeedsAClosedSchemaAndIsSentInTheFunction() {
        assertThatThrownBy(() -> GET_WEATHER.withStrict(true))
                .isInstanceOf(ToolDefinitionException.class)
                .hasMessageContaining("at /");
        Tool closed = Tool.function("get_weather", "Weather for a city", "{\"type\":\"object\",\"properties\":"
                + "{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"],\"additionalProperties\":false}")
                .withStrict(true);
        LlmConfig cfg = provider("openai");

        JsonNode fn = send(cfg, HELLO, kwargs(cfg, tools(null, null, closed))).get("tools").get(0).get("function");

        assertThat(fn.get("strict").asBoolean()).isTrue();
    }

    // 5
    @Test
    void snoGpuAndOpenRouterSendTheThreeMembersAtTheTopLevel() {
        LlmConfig sno = config("""
                {"provider":"sno-gpu","model":"qwen3.6-27b-reason","baseUrl":"%s","providerOptions":{"sno-gpu":\
                {"gpuPath":"reason","enableThinking":true}}}""".formatted(base(server, "")));
        server.enqueue(json(200, PLAIN_REPLY));
        call(new SnoGpuAdapter(options().build()), ctx(sno, "k", HELLO,
                kwargs(sno, tools(ToolChoice.required(), false, GET_WEATHER))));
        var r = take(server);
        JsonNode body = body(r);
        assertThat(r.getTarget()).isEqualTo("/reason/v1/chat/completions");
        assertThat(body.get("tools").get(0).get("function").get("name").asString()).isEqualTo("get_weather");
        assertThat(body.get("tool_choice").asString()).isEqualTo("required");
        assertThat(body.get("parallel_tool_calls").asBoolean()).isFalse();
        assertThat(body.get("chat_template_kwargs").get("enable_thinking").asBoolean()).isTrue();

        LlmConfig router = config("{\"provider\":\"openrouter\",\"model\":\"qwen3.6-27b\",\"baseUrl\":\""
                + base(server, "/api/v1") + "\",\"providerOptions\":{\"openrouter\":{\"provider\":{\"sort\":"
                + "\"latency\"}}}}");
        server.enqueue(json(200, PLAIN_REPLY));
        call(adapter(), ctx(router, "k", HELLO, kwargs(router, tools(ToolChoice.required(), false, GET_WEATHER))));
        var r2 = take(server);
        JsonNode body2 = body(r2);
        assertThat(r2.getTarget()).isEqualTo("/api/v1/chat/completions");
        assertThat(body2.get("tool_choice").asString()).isEqualTo("required");
        assertThat(body2.get("parallel_tool_calls").asBoolean()).isFalse();
        assertThat(body2.get("tools")).hasSize(1);
        assertThat(body2.get("provider").toString()).isEqualTo("{\"sort\":\"latency\"}");
    }

    // 6
    @Test
    void historyHygieneDropsWhatEachProviderRejects() {
        List<?> history = list("""
                [{"role":"user","content":"weather?"},
                 {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
                  "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"},
                  "extra_content":{"google":{"thought_signature":"s"},"anthropic":{"thinking_blocks":[]}}}]},
                 {"role":"tool","tool_call_id":"call_1","name":"get_weather","content":"boom","is_error":true}]""");

        LlmConfig openai = provider("openai");
        JsonNode o = send(openai, history, kwargs(openai, tools(null, null, GET_WEATHER))).get("messages");
        assertThat(o.get(2).propertyNames()).containsExactly("role", "tool_call_id", "content");
        assertThat(o.get(1).get("tool_calls").get(0).has("extra_content")).isFalse();

        LlmConfig together = provider("together");
        JsonNode t = send(together, history, kwargs(together, tools(null, null, GET_WEATHER))).get("messages");
        assertThat(t.get(2).get("name").asString()).isEqualTo("get_weather");
        assertThat(t.get(2).has("is_error")).isFalse();
        assertThat(t.get(1).get("tool_calls").get(0).get("extra_content").toString())
                .isEqualTo("{\"google\":{\"thought_signature\":\"s\"}}");
    }

    // 7
    @Test
    void toolCallReplyBecomesTypedToolCallsWithFinishReason() {
        server.enqueue(json(200, """
                {"choices":[{"message":{"content":null,"tool_calls":[{"id":"call_1","type":"function","function":\
                {"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},"finish_reason":"tool_calls"}]}"""));
        LlmConfig cfg = provider("openai");

        ProviderResult r = call(adapter(), ctx(cfg, "k", HELLO, kwargs(cfg, tools(null, null, GET_WEATHER))));

        assertThat(r.content()).isEmpty();
        assertThat(r.finishReason()).isEqualTo("tool_calls");
        List<ToolCall> calls = ToolCall.fromResult(r.toolCalls());
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).id()).isEqualTo("call_1");
        assertThat(calls.get(0).name()).isEqualTo("get_weather");
        assertThat(calls.get(0).argumentsAsMap()).isEqualTo(Map.of("city", "Paris"));
    }

    // 8
    @Test
    void customCallsAreSkippedAndFunctionCallsKeepTheirOrder() {
        server.enqueue(json(200, """
                {"choices":[{"message":{"content":null,"tool_calls":[\
                {"id":"call_a","type":"function","function":{"name":"a","arguments":"{}"}},\
                {"id":"call_c","type":"custom","custom":{"name":"grammar","input":"x"}},\
                {"id":"call_b","type":"function","function":{"name":"b","arguments":"{}"}}]},\
                "finish_reason":"tool_calls"}]}"""));
        LlmConfig cfg = provider("openai");

        ProviderResult r = call(adapter(), ctx(cfg, "k", HELLO, Map.of()));

        assertThat(ToolCall.fromResult(r.toolCalls())).extracting(ToolCall::id).containsExactly("call_a", "call_b");
    }

    // 9
    @Test
    void refusalIsReported() {
        server.enqueue(json(200, "{\"choices\":[{\"message\":{\"content\":null,\"refusal\":\"I can't help\"},"
                + "\"finish_reason\":\"stop\"}]}"));
        LlmConfig cfg = provider("openai");

        ProviderResult r = call(adapter(), ctx(cfg, "k", HELLO, Map.of()));

        assertThat(r.refusal()).isEqualTo("I can't help");
        assertThat(r.content()).isEmpty();
    }

    // 32
    @Test
    void invalidSchema400IsNotRetriedAndResetsTheBreakerCounter() {
        server.enqueue(json(400, "{\"error\":{\"message\":\"Invalid schema for function 'get_weather'\"}}"));
        PipelineConfig pc = PipelineConfig.builder().maxRetries(3).retryBaseMs(1).retryJitterMs(0)
                .stateDir(stateDir).env(name -> null).build();
        try (CallPipeline p = new CallPipeline(pc, ProviderAdapters.routing(options().build()))) {
            p.setKeyPool("openai", new KeyPool(List.of("sk-test")));
            LlmConfig cfg = provider("openai");

            CallResponse r = p.call(new CallInput(cfg, HELLO, null, tools(null, null, GET_WEATHER), null));

            assertThat(r.success()).isFalse();
            assertThat(r.error()).contains("Invalid schema for function");
            assertThat(server.getRequestCount()).isEqualTo(1);
            assertThat(p.snapshot().circuitBreakers().values())
                    .allSatisfy(b -> assertThat(b.consecutiveFailures()).isZero());
        }
    }
}
