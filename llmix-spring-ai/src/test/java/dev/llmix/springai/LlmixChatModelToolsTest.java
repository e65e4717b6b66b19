package dev.llmix.springai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.spi.CallEvent;
import dev.llmix.spi.CallListener;
import dev.llmix.spi.LlmUsage;
import dev.llmix.spi.ProviderResult;
import dev.llmix.springai.testsupport.BridgeFixture;
import dev.llmix.springai.testsupport.FakeOpenAiServer;
import dev.llmix.testsupport.ScriptedDispatch;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.support.ToolCallbacks;
import org.springframework.ai.tool.annotation.Tool;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tool calling through {@code LlmixChatModel}: Spring AI's tool loop over LLMix, each model turn one pipeline call, on
 * a loopback fake OpenAI server (checks 17, 18 and 36 of docs/spring-ai.md's behaviour).
 */
class LlmixChatModelToolsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A {@code @Tool} bean recording its calls. */
    static final class WeatherTools {
        final List<String> cities = new CopyOnWriteArrayList<>();

        @Tool(description = "The weather in a city")
        String weather(String city) {
            cities.add(city);
            return "sunny";
        }
    }

    private final AtomicInteger calls = new AtomicInteger();
    private final CallListener counting = new CallListener() {
        @Override
        public void callFinished(CallEvent event, @Nullable Object context) {
            calls.incrementAndGet();
        }
    };
    private @Nullable BridgeFixture fixture;

    @AfterEach
    void close() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private BridgeFixture fixture() {
        fixture = BridgeFixture.start(c -> c.callListener(counting));
        return fixture;
    }

    private static JsonNode body(FakeOpenAiServer.Recorded request) {
        return JSON.readTree(request.body());
    }

    @Test
    void toolMethodsRunOverTwoTurnsThroughChatClient() {
        BridgeFixture fx = fixture();
        fx.server.enqueue(FakeOpenAiServer.toolCall("call_1", "weather", "{\"city\":\"Paris\"}", 10, 5, 15))
                .enqueue(FakeOpenAiServer.okWithUsage("It is sunny", 12, 6, 18));
        WeatherTools tools = new WeatherTools();

        ChatResponse response = ChatClient.create(fx.model()).prompt().user("Weather in Paris?").tools(tools)
                .call().chatResponse();

        assertThat(fx.server.requestCount()).isEqualTo(2);
        JsonNode first = body(fx.server.requests().get(0));
        assertThat(first.get("tools")).hasSize(1);
        JsonNode function = first.get("tools").get(0).get("function");
        assertThat(function.get("name").asString()).isEqualTo("weather");
        assertThat(function.get("parameters").toString()).contains("city");
        JsonNode messages = body(fx.server.requests().get(1)).get("messages");
        JsonNode assistant = messages.get(messages.size() - 2);
        assertThat(assistant.get("role").asString()).isEqualTo("assistant");
        assertThat(assistant.get("tool_calls").get(0).get("id").asString()).isEqualTo("call_1");
        assertThat(assistant.get("tool_calls").get(0).get("function").get("name").asString()).isEqualTo("weather");
        JsonNode toolMessage = messages.get(messages.size() - 1);
        assertThat(toolMessage.get("role").asString()).isEqualTo("tool");
        assertThat(toolMessage.get("tool_call_id").asString()).isEqualTo("call_1");
        assertThat(toolMessage.get("content").asString()).contains("sunny");
        assertThat(tools.cities).containsExactly("Paris");
        assertThat(response.getResult().getOutput().getText()).isEqualTo("It is sunny");
        assertThat(response.getMetadata().getUsage().getPromptTokens()).isEqualTo(22);
        assertThat(response.getMetadata().getUsage().getCompletionTokens()).isEqualTo(11);
        assertThat(response.getMetadata().getUsage().getTotalTokens()).isEqualTo(33);
        assertThat(calls.get()).isEqualTo(2);
        assertThat(fx.cache.stats().l1Size()).isZero();
    }

    @Test
    void directCallReturnsTheToolCallWithoutRunningIt() {
        BridgeFixture fx = fixture();
        fx.server.enqueue(FakeOpenAiServer.toolCall("call_1", "weather", "{\"city\":\"Paris\"}", 10, 5, 15));
        WeatherTools tools = new WeatherTools();

        ChatResponse response = fx.model().call(new Prompt("Weather in Paris?", LlmixChatOptions.builder()
                .toolCallbacks(ToolCallbacks.from(tools)).build()));

        assertThat(response.hasToolCalls()).isTrue();
        assertThat(response.getResult().getMetadata().getFinishReason()).isEqualTo("TOOL_CALLS");
        assertThat(response.getResult().getOutput().getToolCalls()).containsExactly(
                new AssistantMessage.ToolCall("call_1", "function", "weather", "{\"city\":\"Paris\"}"));
        assertThat(tools.cities).isEmpty();
        assertThat(fx.server.requestCount()).isEqualTo(1);
    }

    @Test
    void toolChoiceAndParallelFlagReachTheProvider() {
        BridgeFixture fx = fixture();
        WeatherTools tools = new WeatherTools();

        fx.model().call(new Prompt("Weather?", LlmixChatOptions.builder().preset("fresh")
                .toolCallbacks(ToolCallbacks.from(tools)).toolChoice("weather").parallelToolCalls(false).build()));

        JsonNode body = body(fx.server.requests().get(0));
        assertThat(body.get("tool_choice").toString())
                .isEqualTo("{\"type\":\"function\",\"function\":{\"name\":\"weather\"}}");
        assertThat(body.get("parallel_tool_calls").asBoolean()).isFalse();
    }

    @Test
    void continuationDataOfAToolCallSurvivesTheNextTurn() {
        Map<String, Object> signature = Map.of("google", Map.of("thought_signature", "s"));
        ScriptedDispatch dispatch = new ScriptedDispatch((ctx, invocation) -> {
            if (invocation == 0) {
                Map<String, Object> call = Map.of("id", "c1", "type", "function", "function",
                        Map.of("name", "weather", "arguments", "{\"city\":\"Paris\"}"), "extra_content", signature);
                return CompletableFuture.completedFuture(new ProviderResult("", "gpt-4o-mini",
                        LlmUsage.of(10, 5, 15), null, List.<@Nullable Object>of(call), "tool_calls", null));
            }
            return CompletableFuture.completedFuture(ScriptedDispatch.result("It is sunny"));
        });
        fixture = BridgeFixture.startWith(dispatch);
        List<ChatResponse> turns = new CopyOnWriteArrayList<>();
        LlmixChatModel recording = fixture.model();
        org.springframework.ai.chat.model.ChatModel spy = new org.springframework.ai.chat.model.ChatModel() {
            @Override
            public org.springframework.ai.chat.prompt.ChatOptions getOptions() {
                return recording.getOptions();
            }

            @Override
            public ChatResponse call(Prompt prompt) {
                ChatResponse r = recording.call(prompt);
                turns.add(r);
                return r;
            }
        };

        String content = ChatClient.create(spy).prompt().user("Weather in Paris?").tools(new WeatherTools())
                .call().content();

        assertThat(content).isEqualTo("It is sunny");
        assertThat(turns.get(0).getResult().getOutput().getMetadata().get(LlmixMetadata.TOOL_CALL_EXTRA_CONTENT))
                .isEqualTo(Map.of("c1", signature));
        List<?> messages = (List<?>) dispatch.contexts.get(1).messages();
        Map<?, ?> assistant = (Map<?, ?>) messages.get(messages.size() - 2);
        Map<?, ?> call = (Map<?, ?>) ((List<?>) assistant.get("tool_calls")).get(0);
        assertThat(call.get("extra_content")).isEqualTo(signature);
    }
}
