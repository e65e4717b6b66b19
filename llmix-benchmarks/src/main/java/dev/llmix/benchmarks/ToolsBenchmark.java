package dev.llmix.benchmarks;

import dev.llmix.providers.ProviderSpecs;
import dev.llmix.config.CachingStrategy;
import dev.llmix.config.LlmConfig;
import dev.llmix.provider.ProviderKwargs;
import dev.llmix.internal.kwargs.ProviderKwargsTransforms;
import dev.llmix.spi.TransformKwargsCallback;
import dev.llmix.tools.Tool;
import dev.llmix.tools.ToolCall;
import dev.llmix.tools.ToolChoice;
import dev.llmix.tools.ToolSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The added cost of tools (docs/tools.md): building the kwargs and serialising a request body with 10 tools against
 * the same request without tools, and parsing a Chat Completions reply with 3 tool calls into {@link ToolCall}s
 * against a reply with text only. The difference of each pair is the figure in docs/performance.md.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class ToolsBenchmark {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final LlmConfig config = BenchRequests.config(CachingStrategy.DISABLED);
    private final List<Map<String, Object>> messages = BenchRequests.messages(BenchRequests.SMALL_BYTES);
    private final Map<String, TransformKwargsCallback> transforms = ProviderSpecs.builtIn().transforms(System::getenv, Map.of());
    private final ToolSet tenTools = tenTools();
    private final byte[] threeCalls = reply(true);
    private final byte[] textOnly = reply(false);

    private static ToolSet tenTools() {
        List<Tool> tools = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            tools.add(Tool.function("tool_" + i, "Looks up item " + i + " by id and returns its record", "{\"type\":"
                    + "\"object\",\"properties\":{\"id\":{\"type\":\"string\",\"description\":\"the item id\"},"
                    + "\"limit\":{\"type\":\"integer\"},\"fields\":{\"type\":\"array\",\"items\":{\"type\":"
                    + "\"string\"}}},\"required\":[\"id\"]}"));
        }
        return new ToolSet(tools, ToolChoice.auto(), null);
    }

    private static byte[] reply(boolean withCalls) {
        String calls = withCalls ? ",\"tool_calls\":[" + call(1, "{\\\"city\\\":\\\"Paris\\\"}") + ","
                + call(2, "{\\\"city\\\":\\\"Rome\\\",\\\"units\\\":\\\"metric\\\"}") + ","
                + call(3, "{\\\"tz\\\":\\\"Europe/Berlin\\\"}") + "]" : "";
        return ("{\"id\":\"chatcmpl-1\",\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"message\":"
                + "{\"role\":\"assistant\",\"content\":" + (withCalls ? "null" : "\"It is 21C in Paris.\"") + calls
                + "},\"finish_reason\":\"" + (withCalls ? "tool_calls" : "stop") + "\"}],\"usage\":{\"prompt_tokens\":"
                + "120,\"completion_tokens\":40,\"total_tokens\":160}}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String call(int n, String args) {
        return "{\"id\":\"call_" + n + "\",\"type\":\"function\",\"function\":{\"name\":\"tool_" + n
                + "\",\"arguments\":\"" + args + "\"}}";
    }

    private byte[] body(@Nullable ToolSet tools) {
        Map<String, @Nullable Object> kwargs = ProviderKwargs.build(config, messages, tools, transforms);
        Map<String, @Nullable Object> body = new LinkedHashMap<>();
        body.put("model", config.model());
        body.put("messages", messages);
        body.putAll(kwargs);
        return MAPPER.writeValueAsBytes(body);
    }

    @Benchmark
    public byte[] requestWithoutTools() {
        return body(null);
    }

    @Benchmark
    public byte[] requestWithTenTools() {
        return body(tenTools);
    }

    private List<ToolCall> parse(byte[] reply) {
        JsonNode message = MAPPER.readTree(reply).path("choices").path(0).path("message");
        JsonNode calls = message.get("tool_calls");
        List<?> plain = calls == null || !calls.isArray() ? null : MAPPER.convertValue(calls, List.class);
        return ToolCall.fromResult(plain);
    }

    @Benchmark
    public List<ToolCall> parseTextReply() {
        return parse(textOnly);
    }

    @Benchmark
    public List<ToolCall> parseThreeToolCalls() {
        return parse(threeCalls);
    }
}
