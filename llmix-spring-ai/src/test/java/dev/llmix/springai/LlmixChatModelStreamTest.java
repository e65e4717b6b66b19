package dev.llmix.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmix.config.LlmConfig;
import dev.llmix.config.TimeoutConfig;
import dev.llmix.pipeline.SemaphoreSnapshot;
import dev.llmix.springai.testsupport.BridgeFixture;
import dev.llmix.springai.testsupport.FakeOpenAiServer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.tool.annotation.Tool;

/** {@code ChatClient.stream()} over {@code LlmixChatModel}: LLMix's stream as Spring AI chat responses. */
class LlmixChatModelStreamTest {

    private final BridgeFixture fx = BridgeFixture.start();
    private final LlmixChatModel model = fx.model();
    private final ChatClient chatClient = ChatClient.create(model);

    @AfterEach
    void close() {
        fx.close();
    }

    private static LlmixChatOptions.Builder fresh() {
        return LlmixChatOptions.builder().preset("fresh");
    }

    @Test
    void streamEmitsTextDeltasThenALastResponseWithFinishUsageAndMetadata() {
        fx.server.enqueue(FakeOpenAiServer.streamText(List.of("Hel", "lo"), 11, 7, 18, 0));

        List<ChatResponse> responses = chatClient.prompt().user("hi").options(fresh()).stream().chatResponse()
                .collectList().block();

        assertThat(responses).isNotNull();
        assertThat(responses.stream().map(r -> r.getResult().getOutput().getText()).toList())
                .containsExactly("Hel", "lo", "");
        assertThat(responses.get(0).getResult().getMetadata().getFinishReason()).isNull();
        ChatResponse last = responses.get(responses.size() - 1);
        assertThat(last.getResult().getMetadata().getFinishReason()).isEqualTo("STOP");
        assertThat(last.getMetadata().getUsage().getPromptTokens()).isEqualTo(11);
        assertThat(last.getMetadata().getUsage().getCompletionTokens()).isEqualTo(7);
        assertThat(last.getMetadata().getUsage().getTotalTokens()).isEqualTo(18);
        assertThat((String) last.getMetadata().get(LlmixMetadata.PROVIDER)).isEqualTo("openai");
        assertThat(fx.server.requests().get(0).body()).contains("\"stream\":true");
    }

    @Test
    void contentStreamEmitsOnlyTheDeltas() {
        fx.server.enqueue(FakeOpenAiServer.streamText(List.of("Hel", "lo"), 11, 7, 18, 0));

        List<String> content = chatClient.prompt().user("hi").options(fresh()).stream().content().collectList()
                .block();

        assertThat(content).containsExactly("Hel", "lo");
    }

    @Test
    void cancellingAfterTheFirstElementReleasesThePermit() {
        // The server stalls after the first delta, so the cancel reaches a stream that is still open.
        fx.server.enqueue(FakeOpenAiServer.streamText(List.of("Hel", "lo"), 11, 7, 18, 2_000));

        String first = chatClient.prompt().user("hi").options(fresh()).stream().content().blockFirst();

        assertThat(first).isEqualTo("Hel");
        SemaphoreSnapshot semaphore = fx.pipeline.snapshot().semaphores().get("openai");
        assertThat(semaphore.inFlight()).isZero();
        assertThat(fx.pipeline.streamsInFlight()).isZero();
    }

    @Test
    void streamingARepeatedRequestReplaysTheCacheWithoutARequest() {
        chatClient.prompt().system("Be brief").user("hi").call().chatResponse();

        List<ChatResponse> responses = chatClient.prompt().system("Be brief").user("hi").stream().chatResponse()
                .collectList().block();

        assertThat(fx.server.requestCount()).isEqualTo(1);
        assertThat(responses).isNotNull();
        assertThat(responses.stream().map(r -> r.getResult().getOutput().getText()).reduce("", String::concat))
                .isEqualTo(FakeOpenAiServer.DEFAULT_TEXT);
        assertThat((String) responses.get(responses.size() - 1).getMetadata().get(LlmixMetadata.CACHE_HIT))
                .isEqualTo("l1");
    }

    /** A {@code @Tool} bean for the streamed tool loop. */
    static final class WeatherTools {
        final List<String> cities = new CopyOnWriteArrayList<>();

        @Tool(description = "The weather in a city")
        String weather(String city) {
            cities.add(city);
            return "sunny";
        }
    }

    @Test
    void streamedToolLoopSeesOneCompleteToolCallPerTurn() {
        fx.server.enqueue(FakeOpenAiServer.streamToolCall("call_1", "weather", "{\"city\":\"Paris\"}", 10, 5, 15))
                .enqueue(FakeOpenAiServer.streamText(List.of("It is ", "sunny"), 12, 6, 18, 0));
        List<ChatResponse> modelResponses = new CopyOnWriteArrayList<>();
        org.springframework.ai.chat.model.ChatModel recording = new org.springframework.ai.chat.model.ChatModel() {
            @Override
            public org.springframework.ai.chat.prompt.ChatOptions getOptions() {
                return model.getOptions();
            }

            @Override
            public ChatResponse call(Prompt prompt) {
                return model.call(prompt);
            }

            @Override
            public reactor.core.publisher.Flux<ChatResponse> stream(Prompt prompt) {
                return model.stream(prompt).doOnNext(modelResponses::add);
            }
        };
        WeatherTools tools = new WeatherTools();

        String content = String.join("", ChatClient.create(recording).prompt().user("Weather in Paris?")
                .options(fresh()).tools(tools).stream().content().collectList().block());

        assertThat(content).isEqualTo("It is sunny");
        assertThat(tools.cities).containsExactly("Paris");
        assertThat(fx.server.requestCount()).isEqualTo(2);
        List<ChatResponse> withCalls = modelResponses.stream().filter(ChatResponse::hasToolCalls).toList();
        assertThat(withCalls).hasSize(1);
        assertThat(withCalls.get(0).getResult().getOutput().getToolCalls().get(0).arguments())
                .isEqualTo("{\"city\":\"Paris\"}");
    }

    @Test
    void aStalledStreamFailsWithReasonTimeout() {
        LlmConfig fresh = fx.presets.get("demo/fresh");
        fx.presets.put("demo/stall", fresh.toBuilder()
                .timeout(new TimeoutConfig(null, 0.2)).build());
        fx.server.enqueue(FakeOpenAiServer.stalledStream(1_000,
                FakeOpenAiServer.streamText(List.of("late"), 1, 1, 2, 0)));

        assertThatThrownBy(() -> model.stream(new Prompt("hi", LlmixChatOptions.builder().preset("stall").build()))
                .blockLast())
                .isInstanceOfSatisfying(LlmixChatException.class, e -> assertThat(e.reason()).isEqualTo("timeout"));
    }
}
