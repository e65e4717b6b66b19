package dev.llmix.spring.autoconfigure.springai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.client.LlmixClient;
import dev.llmix.client.Message;
import dev.llmix.client.PresetResolver;
import dev.llmix.config.CachingStrategy;
import dev.llmix.config.LlmConfig;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.spi.DispatchFunction;
import dev.llmix.spi.LlmUsage;
import dev.llmix.spi.ProviderResult;
import dev.llmix.spring.autoconfigure.LlmixAutoConfiguration;
import dev.llmix.spring.autoconfigure.LlmixProviderAdapterAutoConfiguration;
import dev.llmix.spring.metrics.LlmixMetricsAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.observation.ChatModelMeterObservationHandler;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.chat.observation.ChatModelObservationDocumentation;
import org.springframework.ai.chat.observation.DefaultChatModelObservationConvention;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.chat.client.autoconfigure.ChatClientAutoConfiguration;
import org.springframework.ai.observation.conventions.AiObservationMetricAttributes;
import org.springframework.ai.observation.conventions.AiTokenType;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One observation per model operation (docs/spring-ai.md, "Observation"): with Spring AI's chat-model meter handler,
 * Boot's observation and metrics auto-configurations and the LLMix metrics listener all present, a call through the
 * bridge is observed once as {@code gen_ai.client.operation} and timed once as {@code llmix.calls}, and a Spring AI
 * delegate's own observation is suppressed.
 */
class LlmixSpringAiObservationTests {

    private static final LlmConfig CHAT = LlmConfig.builder("openai", "gpt-4o-mini").caching(CachingStrategy.MEMORY)
            .build();
    private static final LlmConfig FRESH = LlmConfig.builder("openai", "gpt-4o-mini")
            .caching(CachingStrategy.DISABLED).build();
    private static final LlmConfig VIA_SPRING = LlmConfig.builder("spring-openai", "gpt-4o-mini")
            .caching(CachingStrategy.DISABLED).build();

    private static final String INPUT_TAG = AiObservationMetricAttributes.TOKEN_TYPE.value();

    @TempDir
    Path stateDir;

    /** Every observation started, by name, in order. */
    private final List<String> started = new CopyOnWriteArrayList<>();
    /** Every observation stopped, with its key values. */
    private final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();
    private final AtomicInteger dispatched = new AtomicInteger();

    /** Answers "Hello from fake"; with {@code weather} offered, the first turn asks for it. */
    private final DispatchFunction fake = ctx -> {
        int n = dispatched.getAndIncrement();
        if (ctx.kwargs().containsKey("tools") && n == 0) {
            Map<String, Object> call = Map.of("id", "call_1", "type", "function", "function",
                    Map.of("name", "weather", "arguments", "{\"city\":\"Paris\"}"));
            return CompletableFuture.completedFuture(new ProviderResult("", "gpt-4o-mini-2024-07-18",
                    LlmUsage.of(10, 5, 15), null, List.<@Nullable Object>of(call), "tool_calls", null));
        }
        return CompletableFuture.completedFuture(ProviderResult.of("Hello from fake", "gpt-4o-mini-2024-07-18",
                LlmUsage.of(11, 7, 18)));
    };

    /** Spring AI's token-usage handler and a handler recording observation names. */
    @Configuration(proxyBeanMethods = false)
    static class Handlers {
        @Bean
        ChatModelMeterObservationHandler chatModelMeterObservationHandler(MeterRegistry meters) {
            return new ChatModelMeterObservationHandler(meters);
        }
    }

    private ApplicationContextRunner runner() {
        ObservationHandler<Observation.Context> recording = new ObservationHandler<>() {
            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }

            @Override
            public void onStart(Observation.Context context) {
                started.add(context.getName());
            }

            @Override
            public void onStop(Observation.Context context) {
                stopped.add(context);
            }
        };
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class,
                        MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                        LlmixProviderAdapterAutoConfiguration.class, LlmixSpringAiDispatchAutoConfiguration.class,
                        LlmixAutoConfiguration.class, LlmixMetricsAutoConfiguration.class,
                        LlmixSpringAiAutoConfiguration.class, ChatClientAutoConfiguration.class))
                .withUserConfiguration(Handlers.class)
                .withBean("recordingHandler", ObservationHandler.class, () -> recording)
                .withBean(PresetResolver.class, () -> (module, preset) -> switch (preset) {
                    case "via-spring" -> VIA_SPRING;
                    case "fresh" -> FRESH;
                    default -> CHAT;
                })
                .withPropertyValues("OPENAI_API_KEY=sk-test-a", "llmix.kill-switch.state-dir=" + stateDir,
                        "llmix.spring-ai.default-module=demo", "llmix.spring-ai.default-preset=chat");
    }

    private long count(List<String> names, String name) {
        return names.stream().filter(name::equals).count();
    }

    @Test
    void aChatClientCallIsOneGenAiObservationAndOneLlmixCallsSample() {
        runner().withBean(DispatchFunction.class, () -> fake).run(context -> {
            assertThat(context).hasNotFailed();
            MeterRegistry meters = context.getBean(MeterRegistry.class);

            context.getBean(ChatClient.Builder.class).build().prompt().system("Be brief").user("hi").call()
                    .chatResponse();

            assertThat(count(started, "gen_ai.client.operation")).isEqualTo(1);
            assertThat(count(started, "spring.ai.chat.client")).isEqualTo(1);
            assertThat(started).doesNotContain("llmix.calls");
            assertThat(meters.get("llmix.calls").tags("provider", "openai", "model", "gpt-4o-mini",
                    "outcome", "success", "cache", "miss", "mode", "call").timer().count()).isEqualTo(1);
            assertThat(meters.get("gen_ai.client.token.usage").tag(INPUT_TAG, AiTokenType.INPUT.value()).counter()
                    .count()).isEqualTo(11);
        });
    }

    private List<Observation.Context> genAi() {
        return stopped.stream().filter(c -> c.getName().equals("gen_ai.client.operation")).toList();
    }

    private static @Nullable String high(Observation.Context context, String key) {
        var kv = context.getHighCardinalityKeyValue(key);
        return kv == null ? null : kv.getValue();
    }

    @Test
    void theBridgeObservationCarriesTheLlmixOutcomeAndCacheTier() {
        runner().withBean(DispatchFunction.class, () -> fake).run(context -> {
            ChatClient chat = context.getBean(ChatClient.Builder.class).build();

            chat.prompt().system("Be brief").user("hi").call().chatResponse();
            chat.prompt().system("Be brief").user("hi").call().chatResponse();

            assertThat(dispatched.get()).isEqualTo(1);
            List<Observation.Context> ops = genAi();
            assertThat(ops).hasSize(2);
            assertThat(ops.get(0).getContextualName()).isEqualTo("chat gpt-4o-mini");
            assertThat(high(ops.get(0), "llmix.outcome")).isEqualTo("success");
            assertThat(high(ops.get(0), "llmix.cache")).isEqualTo("miss");
            assertThat(high(ops.get(0), "llmix.module")).isEqualTo("demo");
            assertThat(high(ops.get(0), "llmix.preset")).isEqualTo("chat");
            assertThat(high(ops.get(0), "gen_ai.usage.input_tokens")).isEqualTo("11");
            assertThat(high(ops.get(1), "llmix.cache")).isEqualTo("l1");
            assertThat(high(ops.get(1), "gen_ai.usage.input_tokens")).isEqualTo("0");
            assertThat((Object) ops.get(0).get("llmix.call.event")).isNotNull();
        });
    }

    @Test
    void aChatClientStreamIsOneGenAiObservationAndOneLlmixCallsSample() {
        runner().withBean(DispatchFunction.class, () -> fake).run(context -> {
            MeterRegistry meters = context.getBean(MeterRegistry.class);

            List<String> content = context.getBean(ChatClient.Builder.class).build().prompt().user("hi").stream()
                    .content().collectList().block();

            assertThat(content).containsExactly("Hello from fake");
            assertThat(count(started, "gen_ai.client.operation")).isEqualTo(1);
            assertThat(started).doesNotContain("llmix.calls");
            assertThat(meters.get("llmix.calls").tags("provider", "openai", "outcome", "success", "mode", "stream")
                    .timer().count()).isEqualTo(1);
        });
    }

    /** A {@code @Tool} bean for the two-turn loop. */
    static final class WeatherTools {
        @Tool(description = "The weather in a city")
        String weather(String city) {
            return "sunny";
        }
    }

    @Test
    void aToolLoopIsTwoGenAiObservationsAndOneToolObservation() {
        runner().withBean(DispatchFunction.class, () -> fake).run(context -> {
            String content = context.getBean(ChatClient.Builder.class).build().prompt().user("Weather in Paris?")
                    .options(dev.llmix.springai.LlmixChatOptions.builder().preset("fresh"))
                    .tools(new WeatherTools()).call().content();

            assertThat(content).isEqualTo("Hello from fake");
            assertThat(dispatched.get()).isEqualTo(2);
            assertThat(count(started, "gen_ai.client.operation")).isEqualTo(2);
            assertThat(count(started, "spring.ai.tool")).isEqualTo(1);
            assertThat(started).doesNotContain("llmix.calls");
        });
    }

    /** A Spring AI model that observes itself, as Spring AI's provider models do. */
    static final class SelfObservingModel implements ChatModel {
        private final ObservationRegistry registry;

        SelfObservingModel(ObservationRegistry registry) {
            this.registry = registry;
        }

        @Override
        public ChatResponse call(Prompt prompt) {
            return ChatModelObservationDocumentation.CHAT_MODEL_OPERATION.observation(null,
                    new DefaultChatModelObservationConvention(),
                    () -> ChatModelObservationContext.builder().prompt(prompt).provider("openai").build(), registry)
                    .observe(() -> new ChatResponse(List.of(new Generation(new AssistantMessage("via spring"))),
                            ChatResponseMetadata.builder().model("gpt-4o-mini").usage(new DefaultUsage(11, 7, 18))
                                    .build()));
        }
    }

    /** The delegate bean {@code springModel}, observed by the application's registry. */
    @Configuration(proxyBeanMethods = false)
    static class Delegate {
        @Bean
        ChatModel springModel(ObservationRegistry registry) {
            return new SelfObservingModel(registry);
        }
    }

    private ApplicationContextRunner viaSpring() {
        return runner().withUserConfiguration(Delegate.class)
                .withPropertyValues("llmix.provider.spring-openai.spring-ai-model=springModel");
    }

    @Test
    void anLlmixCallThroughASpringAiModelIsObservedOnceAsLlmixCalls() {
        viaSpring().run(context -> {
            assertThat(context).hasNotFailed();

            CallResponse r = context.getBean(LlmixClient.class).call("demo", "via-spring",
                    List.of(Message.user("hi")));

            assertThat(r.success()).as(r.error()).isTrue();
            assertThat(count(started, "llmix.calls")).isEqualTo(1);
            assertThat(started).doesNotContain("gen_ai.client.operation");
        });
    }

    @Test
    void delegateObservationsCanBeKept() {
        viaSpring().withPropertyValues("llmix.spring-ai.dispatch.delegate-observations=true").run(context -> {
            context.getBean(LlmixClient.class).call("demo", "via-spring", List.of(Message.user("hi")));

            assertThat(count(started, "llmix.calls")).isEqualTo(1);
            assertThat(count(started, "gen_ai.client.operation")).isEqualTo(1);
        });
    }

    @Test
    void chatClientOverASpringAiProviderIsOneGenAiObservationCountingTokensOnce() {
        viaSpring().run(context -> {
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            ChatClient chat = context.getBean(ChatClient.Builder.class).build();

            chat.prompt().user("hi").options(dev.llmix.springai.LlmixChatOptions.builder().preset("via-spring"))
                    .call().content();

            assertThat(count(started, "gen_ai.client.operation")).isEqualTo(1);
            assertThat(started).doesNotContain("llmix.calls");
            assertThat(meters.get("gen_ai.client.token.usage").tag(INPUT_TAG, AiTokenType.INPUT.value())
                    .tag("gen_ai.system", "spring-openai").counter().count()).isEqualTo(11);
        });
    }
}
