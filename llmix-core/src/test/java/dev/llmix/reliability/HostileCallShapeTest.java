package dev.llmix.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmix.client.LlmixClient;
import dev.llmix.config.InvalidConfigException;
import dev.llmix.config.LlmConfig;
import dev.llmix.internal.JsonDepth;
import dev.llmix.keys.KeyPool;
import dev.llmix.spi.CallInput;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.spi.InvalidMessagesException;
import dev.llmix.pipeline.PipelineConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile-input items 6 and 7 of docs/reliability.md: null messages and over-deep or self-referencing values fail with
 * a typed error (or a failed response), never a {@code NullPointerException}, {@code StackOverflowError} or an untyped
 * Jackson exception, whatever the singleflight key.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileCallShapeTest {

    @TempDir
    Path stateDir;

    private final LoopbackProvider provider = new LoopbackProvider();
    private CallPipeline pipeline;

    @BeforeEach
    void start() {
        pipeline = new CallPipeline(PipelineConfig.builder().maxRetries(0).stateDir(stateDir).env(name -> null)
                .build(), provider.dispatch());
        pipeline.setKeyPool("openai", new KeyPool(List.of("sk-hostile-shape-key")));
    }

    @AfterEach
    void stop() {
        pipeline.close();
        provider.close();
    }

    private static Object nested(int levels) {
        Object deep = "leaf";
        for (int i = 0; i < levels; i++) {
            deep = Map.of("x", deep);
        }
        return deep;
    }

    private static Map<String, Object> selfReferencing() {
        Map<String, Object> message = new HashMap<>();
        message.put("role", "user");
        message.put("content", message);
        return message;
    }

    @Test
    void aNullMessageInCallInputIsATypedError() {
        LlmConfig config = provider.preset().build();
        assertThatThrownBy(() -> CallInput.of(config, Arrays.asList(LoopbackProvider.message("a").get(0), null)))
                .isInstanceOf(InvalidMessagesException.class)
                .hasMessage("invalid messages: messages[1] is null");
    }

    @Test
    void aNullMessageThroughTheClientIsAFailedResponse() throws Exception {
        LlmConfig config = provider.preset().build();
        LlmixClient client = new LlmixClient(pipeline, (module, preset) -> config);
        List<Object> messages = Arrays.asList((Object) null);

        CallResponse sync = client.call(config, messages);
        CallResponse async = client.callAsync(config, messages).get(10, TimeUnit.SECONDS);

        for (CallResponse r : List.of(sync, async)) {
            assertThat(r.success()).isFalse();
            assertThat(r.error()).isEqualTo("invalid messages: messages[0] is null");
        }
        assertThat(provider.dispatches.get()).isZero();
    }

    @Test
    void aSelfReferencingMessageWithAnExplicitSingleflightKeyFailsTyped() {
        CallResponse r = pipeline.call(new CallInput(provider.preset().build(), List.of(selfReferencing()), "flight"));
        assertThat(r.success()).isFalse();
        assertThat(r.error()).contains("nested deeper than " + JsonDepth.MAX_DEPTH);
        assertThat(provider.dispatches.get()).isZero();
    }

    @Test
    void messagesDeeperThanTheLimitFailTypedBeforeJacksonSeesThem() {
        CallResponse r = pipeline.call(CallInput.of(provider.preset().build(),
                List.of(Map.of("role", "user", "content", nested(600)))));
        assertThat(r.success()).isFalse();
        assertThat(r.error()).contains("nested deeper than " + JsonDepth.MAX_DEPTH);
        assertThat(provider.requestCount()).isZero();
    }

    @Test
    void messagesAtTheLimitAreSent() {
        CallResponse r = pipeline.call(CallInput.of(provider.preset().build(),
                List.of(Map.of("role", "user", "content", nested(JsonDepth.MAX_DEPTH - 2)))));
        assertThat(r.success()).as(r.error()).isTrue();
    }

    @Test
    void fiveThousandNestedProviderOptionsFailTyped() {
        @SuppressWarnings("unchecked")
        Map<String, Object> options = (Map<String, Object>) nested(5_000);
        assertThatThrownBy(() -> LlmConfig.builder("openai", "gpt-4o-mini").providerOptions(Map.of("openai", options))
                .build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("providerOptions is nested deeper than " + JsonDepth.MAX_DEPTH + " levels");
    }

    @Test
    void fiveThousandNestedResponseFormatFailsTyped() {
        assertThatThrownBy(() -> LlmConfig.builder("openai", "gpt-4o-mini").responseFormat(nested(5_000)).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("responseFormat is nested deeper than " + JsonDepth.MAX_DEPTH + " levels");
    }
}
