package dev.llmix.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmix.client.Message;
import dev.llmix.pipeline.CallFailureType;
import dev.llmix.spi.CacheHitTier;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.spi.LlmUsage;
import dev.llmix.springai.testsupport.BridgeFixture;
import dev.llmix.springai.testsupport.FakeOpenAiServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.content.Media;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.retry.NonTransientAiException;
import org.springframework.util.MimeTypeUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Direction 1 of the Spring AI bridge: ChatClient over LlmixChatModel against a loopback fake OpenAI server. */
class LlmixChatModelTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final BridgeFixture fx = BridgeFixture.start(c -> c.circuitBreakerThreshold(2));
    private final LlmixChatModel model = fx.model();
    private final ChatClient chatClient = ChatClient.create(model);

    @AfterEach
    void close() {
        fx.close();
    }

    private ChatResponse briefHi() {
        return chatClient.prompt().system("Be brief").user("hi").call().chatResponse();
    }

    private JsonNode lastBody() {
        List<FakeOpenAiServer.Recorded> requests = fx.server.requests();
        return JSON.readTree(requests.get(requests.size() - 1).body());
    }

    @Test
    void chatClientSendsOneRequestShapedByThePreset() {
        briefHi();

        assertThat(fx.server.requestCount()).isEqualTo(1);
        FakeOpenAiServer.Recorded request = fx.server.requests().get(0);
        assertThat(request.path()).isEqualTo("/v1/chat/completions");
        assertThat(request.header("authorization")).isEqualTo("Bearer sk-test-a");
        JsonNode body = lastBody();
        assertThat(body.get("model").asString()).isEqualTo("gpt-4o-mini");
        assertThat(body.get("messages").toString()).isEqualTo(
                "[{\"role\":\"system\",\"content\":\"Be brief\"},{\"role\":\"user\",\"content\":\"hi\"}]");
        assertThat(body.get("temperature").asDouble()).isEqualTo(0.2);
        assertThat(body.get("max_tokens").asInt()).isEqualTo(256);
        assertThat(body.has("tools")).isFalse();
        assertThat(body.has("response_format")).isFalse();
        assertThat(body.has("stream")).isFalse();
    }

    @Test
    void responseMapsTextFinishModelUsageAndLlmixMetadata() {
        ChatResponse response = briefHi();

        assertThat(response.getResults()).hasSize(1);
        assertThat(response.getResult().getOutput().getText()).isEqualTo("Hello from fake");
        assertThat(response.getResult().getMetadata().getFinishReason()).isEqualTo("STOP");
        assertThat(response.getMetadata().getModel()).isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(response.getMetadata().getUsage().getPromptTokens()).isEqualTo(11);
        assertThat(response.getMetadata().getUsage().getCompletionTokens()).isEqualTo(7);
        assertThat(response.getMetadata().getUsage().getTotalTokens()).isEqualTo(18);
        assertThat(response.getMetadata().getUsage().getNativeUsage()).isEqualTo(LlmUsage.of(11, 7, 18));
        assertThat((String) response.getMetadata().get(LlmixMetadata.PROVIDER)).isEqualTo("openai");
        assertThat((String) response.getMetadata().get(LlmixMetadata.MODULE)).isEqualTo("demo");
        assertThat((String) response.getMetadata().get(LlmixMetadata.PRESET)).isEqualTo("chat");
        assertThat(response.getMetadata().containsKey(LlmixMetadata.CACHE_HIT)).isFalse();
        assertThat(response.getMetadata().getId()).isEmpty();
    }

    @Test
    void thinkingIsStrippedIntoMetadataUnlessKept() {
        fx.server.enqueue(FakeOpenAiServer.ok("<think>plan</think>Answer"));
        fx.server.enqueue(FakeOpenAiServer.ok("<think>plan</think>Answer"));
        ChatResponse stripped = chatClient.prompt().user("q").options(LlmixChatOptions.builder().preset("fresh"))
                .call().chatResponse();
        ChatResponse kept = chatClient.prompt().user("q")
                .options(LlmixChatOptions.builder().preset("fresh").keepThinkingOutput(true)).call().chatResponse();

        assertThat(stripped.getResult().getOutput().getText()).isEqualTo("Answer");
        assertThat(stripped.getResult().getOutput().getMetadata())
                .containsEntry(LlmixMetadata.THINKING_CONTENT, "plan");
        assertThat(kept.getResult().getOutput().getText()).isEqualTo("<think>plan</think>Answer");
        assertThat(kept.getResult().getOutput().getMetadata()).doesNotContainKey(LlmixMetadata.THINKING_CONTENT);
    }

    @Test
    void repeatedCallIsServedFromTheL1CacheWithoutASecondRequest() {
        briefHi();
        ChatResponse second = briefHi();

        assertThat(fx.server.requestCount()).isEqualTo(1);
        assertThat(second.getResult().getOutput().getText()).isEqualTo("Hello from fake");
        assertThat((String) second.getMetadata().get(LlmixMetadata.CACHE_HIT)).isEqualTo("l1");
        assertThat(second.getMetadata().getUsage().getTotalTokens()).isZero();
        assertThat(second.getMetadata().getUsage().getPromptTokens()).isZero();
        assertThat(second.getMetadata().getModel()).isEqualTo("gpt-4o-mini");
    }

    @Test
    void chatClientAndLlmixClientShareTheCacheKey() {
        briefHi();

        CallResponse direct = fx.client.call("demo", "chat", List.of(Message.system("Be brief"), Message.user("hi")));

        assertThat(direct.cacheHit()).isEqualTo(CacheHitTier.L1);
        assertThat(fx.server.requestCount()).isEqualTo(1);
    }

    @Test
    void noOptionsUseThePresetsValues() {
        chatClient.prompt().user("x").options(LlmixChatOptions.builder().preset("fresh")).call().chatResponse();

        assertThat(lastBody().get("temperature").asDouble()).isEqualTo(0.2);
        assertThat(lastBody().get("max_tokens").asInt()).isEqualTo(256);
    }

    @Test
    void portableRequestOptionWinsOverThePreset() {
        ChatClient fresh = ChatClient.create(LlmixChatModel.builder(fx.client)
                .defaultOptions(LlmixChatOptions.builder().module("demo").preset("fresh").build()).build());

        fresh.prompt().user("x").options(ChatOptions.builder().temperature(0.9)).call().chatResponse();

        assertThat(lastBody().get("temperature").asDouble()).isEqualTo(0.9);
        assertThat(lastBody().get("max_tokens").asInt()).isEqualTo(256);
    }

    @Test
    void anotherPresetGivesItsOwnValues() {
        chatClient.prompt().user("x").options(LlmixChatOptions.builder().preset("other")).call().chatResponse();

        assertThat(lastBody().get("temperature").asDouble()).isEqualTo(0.5);
        assertThat(lastBody().has("max_tokens")).isFalse();
    }

    @Test
    void builderDefaultOptionsOverrideThePresetAndTheRequestOverridesThem() {
        ChatClient withDefaults = ChatClient.builder(model)
                .defaultOptions(LlmixChatOptions.builder().preset("fresh").temperature(0.4)).build();

        withDefaults.prompt().user("x").call().chatResponse();
        assertThat(lastBody().get("temperature").asDouble()).isEqualTo(0.4);

        withDefaults.prompt().user("y").options(ChatOptions.builder().temperature(0.7)).call().chatResponse();
        assertThat(lastBody().get("temperature").asDouble()).isEqualTo(0.7);
    }

    @Test
    void modelOptionChangesTheRequestModel() {
        chatClient.prompt().user("x").options(LlmixChatOptions.builder().preset("fresh").model("gpt-4o"))
                .call().chatResponse();

        assertThat(lastBody().get("model").asString()).isEqualTo("gpt-4o");
    }

    @Test
    void foreignOptionsTypeIsAcceptedWithSelectionFromTheDefaults() {
        model.call(new Prompt(List.of(new UserMessage("x")), ToolCallingChatOptions.builder().temperature(0.3).build()));

        assertThat(lastBody().get("temperature").asDouble()).isEqualTo(0.3);
        assertThat(lastBody().get("model").asString()).isEqualTo("gpt-4o-mini");
        assertThat(lastBody().get("max_tokens").asInt()).isEqualTo(256);
    }

    @Test
    void missingSelectionIsAnArgumentErrorNamingBothProperties() {
        LlmixChatModel bare = LlmixChatModel.builder(fx.client).build();

        assertThatThrownBy(() -> bare.call(new Prompt("x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("llmix.spring-ai.default-module")
                .hasMessageContaining("llmix.spring-ai.default-preset");
        assertThat(fx.server.requestCount()).isZero();
    }

    @Test
    void mediaInPromptsIsRejected() {
        UserMessage withMedia = UserMessage.builder().text("look")
                .media(List.of(new Media(MimeTypeUtils.IMAGE_PNG, java.net.URI.create("https://example.com/a.png"))))
                .build();

        assertThatThrownBy(() -> model.call(new Prompt(withMedia)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("LlmixChatModel does not support media in prompts");
        assertThat(fx.server.requestCount()).isZero();
    }

    @Test
    void emptyPromptIsRejected() {
        assertThatThrownBy(() -> model.call(new Prompt(List.of()))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unknownPresetFailsWithReasonPresetAndNoPath() {
        assertThatThrownBy(() -> chatClient.prompt().user("x").options(LlmixChatOptions.builder().preset("missing"))
                .call().chatResponse())
                .isInstanceOfSatisfying(LlmixChatException.class, e -> {
                    assertThat(e.reason()).isEqualTo("preset");
                    assertThat(e.getMessage()).contains("demo/missing").doesNotContain(fx.stateDir.toString());
                    assertThat(e.provider()).isNull();
                    assertThat(e.failure()).isEmpty();
                });
        assertThat(fx.server.requestCount()).isZero();
    }

    @Test
    void killSwitchFailsWithoutARequestAndWithoutTheStateDirectory() {
        fx.engageKillSwitch();

        assertThatThrownBy(this::briefHi)
                .isInstanceOf(NonTransientAiException.class)
                .isInstanceOfSatisfying(LlmixChatException.class, e -> {
                    assertThat(e.reason()).isEqualTo("kill_switch");
                    assertThat(e.getMessage()).startsWith(
                            "LLMix call demo/chat failed (kill_switch): Kill switch active: <state-dir>/killswitch");
                    assertThat(e.getMessage()).doesNotContain(fx.stateDir.toString());
                    assertThat(e.failure()).hasValueSatisfying(
                            f -> assertThat(f.type()).isEqualTo(CallFailureType.KILL_SWITCH));
                });
        assertThat(fx.server.requestCount()).isZero();
    }

    @Test
    void killSwitchAlsoFailsAStreamWithoutARequest() {
        fx.engageKillSwitch();

        assertThatThrownBy(() -> model.stream(new Prompt("x")).blockLast())
                .isInstanceOfSatisfying(LlmixChatException.class, e -> {
                    assertThat(e.reason()).isEqualTo("kill_switch");
                    assertThat(e.getMessage()).startsWith(
                            "LLMix call demo/chat failed (kill_switch): Kill switch active: <state-dir>/killswitch");
                    assertThat(e.getMessage()).doesNotContain(fx.stateDir.toAbsolutePath().toString());
                });
        assertThat(fx.server.requestCount()).isZero();
    }

    @Test
    void breakerOpensAfterTheThresholdAndStopsRequests() {
        fx.server.always(FakeOpenAiServer.error(503, "overloaded", Map.of()));
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> chatClient.prompt().user("x").options(LlmixChatOptions.builder().preset("fresh"))
                    .call().chatResponse())
                    .isInstanceOfSatisfying(LlmixChatException.class, e -> assertThat(e.reason()).isEqualTo("provider"));
        }
        assertThatThrownBy(() -> chatClient.prompt().user("x").options(LlmixChatOptions.builder().preset("fresh"))
                .call().chatResponse())
                .isInstanceOfSatisfying(LlmixChatException.class,
                        e -> assertThat(e.reason()).isEqualTo("circuit_open"));
        assertThat(fx.server.requestCount()).isEqualTo(2);
    }

    @Test
    void keyEchoedByTheProviderNeverReachesTheMessage() {
        fx.server.always(FakeOpenAiServer.error(401, "Incorrect API key provided: sk-test-a", Map.of()));

        assertThatThrownBy(this::briefHi)
                .isInstanceOfSatisfying(LlmixChatException.class,
                        e -> assertThat(e.getMessage()).doesNotContain("sk-test-a"));
    }

    @Test
    void shutDownClientFailsWithReasonShutDown() {
        fx.client.shutdown();

        assertThatThrownBy(this::briefHi)
                .isInstanceOfSatisfying(LlmixChatException.class, e -> assertThat(e.reason()).isEqualTo("shut_down"));
    }

    record Person(String name, int year) {
    }

    @Test
    void entityAppendsFormatInstructionsAndParsesTheText() {
        fx.server.enqueue(FakeOpenAiServer.ok("{\"name\":\"Ada\",\"year\":1815}"));

        Person person = chatClient.prompt().user("Who?").options(LlmixChatOptions.builder().preset("fresh"))
                .call().entity(Person.class);

        assertThat(person).isEqualTo(new Person("Ada", 1815));
        JsonNode messages = lastBody().get("messages");
        String lastUser = messages.get(messages.size() - 1).get("content").asString();
        assertThat(lastUser).startsWith("Who?").contains("JSON Schema");
        assertThat(lastBody().has("response_format")).isFalse();
    }

    @Test
    void nativeStructuredOutputSendsAJsonSchemaResponseFormat() {
        fx.server.enqueue(FakeOpenAiServer.ok("{\"name\":\"Ada\",\"year\":1815}"));

        Person person = chatClient.prompt().user("Who?").options(LlmixChatOptions.builder().preset("fresh"))
                .call().entity(Person.class, spec -> spec.useProviderStructuredOutput());

        assertThat(person).isEqualTo(new Person("Ada", 1815));
        JsonNode format = lastBody().get("response_format");
        assertThat(format.get("type").asString()).isEqualTo("json_schema");
        assertThat(format.get("json_schema").get("name").asString()).isEqualTo("json_schema");
        assertThat(format.get("json_schema").get("strict").asBoolean()).isTrue();
        assertThat(format.get("json_schema").get("schema").get("properties").has("name")).isTrue();
        JsonNode messages = lastBody().get("messages");
        assertThat(messages.get(messages.size() - 1).get("content").asString()).isEqualTo("Who?");
    }

    @Test
    void unparsableOutputSchemaIsAnArgumentErrorWithoutARequest() {
        assertThatThrownBy(() -> model.call(new Prompt("x",
                LlmixChatOptions.builder().module("demo").preset("fresh").outputSchema("not json").build())))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(fx.server.requestCount()).isZero();
    }
}
