package dev.llmix.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmix.springai.testsupport.BridgeFixture;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.observation.ChatModelObservationContext;

/** One {@code gen_ai.client.operation} observation per LlmixChatModel call, with LLMix facts as attributes. */
class LlmixChatModelObservationTest {

    private final BridgeFixture fx = BridgeFixture.start();
    private final TestObservationRegistry registry = TestObservationRegistry.create();
    private final ChatClient chatClient = ChatClient.create(fx.model(registry), registry);
    private final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

    LlmixChatModelObservationTest() {
        registry.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }

            @Override
            public void onStop(Observation.Context context) {
                stopped.add(context);
            }
        });
    }

    @AfterEach
    void close() {
        fx.close();
    }

    private Map<String, String> highKeys(ChatModelObservationContext c) {
        return new LlmixChatModelObservationConvention().getHighCardinalityKeyValues(c).stream()
                .collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue));
    }

    private Map<String, String> lowKeys(ChatModelObservationContext c) {
        return new LlmixChatModelObservationConvention().getLowCardinalityKeyValues(c).stream()
                .collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue));
    }

    @Test
    void callIsOneChildObservationOfTheChatClientWithEffectiveValues() {
        chatClient.prompt().system("Be brief").user("hi").call().chatResponse();

        TestObservationRegistryAssert.assertThat(registry)
                .hasNumberOfObservationsWithNameEqualTo("gen_ai.client.operation", 1)
                .hasObservationWithNameEqualTo("gen_ai.client.operation").that()
                .hasContextualNameEqualTo("chat gpt-4o-mini");
        ChatModelObservationContext c = stopped.stream()
                .filter(ChatModelObservationContext.class::isInstance).map(ChatModelObservationContext.class::cast)
                .findFirst().orElseThrow();
        assertThat(lowKeys(c)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "gen_ai.operation.name", "chat",
                "gen_ai.system", "openai",
                "gen_ai.request.model", "gpt-4o-mini",
                "gen_ai.response.model", "gpt-4o-mini-2024-07-18"));
        assertThat(highKeys(c))
                .containsEntry("gen_ai.request.temperature", "0.2")
                .containsEntry("gen_ai.request.max_tokens", "256")
                .containsEntry("gen_ai.usage.input_tokens", "11")
                .containsEntry("gen_ai.usage.output_tokens", "7")
                .containsEntry("gen_ai.usage.total_tokens", "18")
                .containsEntry("gen_ai.response.finish_reasons", "[\"STOP\"]")
                .containsEntry("gen_ai.provider.name", "openai")
                .containsEntry("llmix.module", "demo")
                .containsEntry("llmix.preset", "chat")
                .containsEntry("llmix.outcome", "success")
                .doesNotContainKey("gen_ai.response.id");
        List<String> ancestors = new java.util.ArrayList<>();
        for (var p = c.getParentObservation(); p != null; p = p.getContextView().getParentObservation()) {
            ancestors.add(p.getContextView().getName());
        }
        assertThat(ancestors).contains("spring.ai.chat.client");
        assertThat((Object) c.get(LlmixMetadata.BRIDGE)).isEqualTo(Boolean.TRUE);
    }

    @Test
    void killSwitchIsRecordedAsTheObservationsError() {
        fx.engageKillSwitch();

        assertThatThrownBy(() -> chatClient.prompt().user("hi").call().chatResponse())
                .isInstanceOf(LlmixChatException.class);

        ChatModelObservationContext c = stopped.stream()
                .filter(ChatModelObservationContext.class::isInstance).map(ChatModelObservationContext.class::cast)
                .findFirst().orElseThrow();
        assertThat(c.getError()).isInstanceOf(LlmixChatException.class);
        assertThat(highKeys(c)).containsEntry("llmix.outcome", "kill_switch");
    }
}
