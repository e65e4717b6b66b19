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
import dev.llmix.spring.autoconfigure.FailureAnalyses;
import dev.llmix.spring.autoconfigure.LlmixAutoConfiguration;
import dev.llmix.spring.autoconfigure.LlmixProviderAdapterAutoConfiguration;
import dev.llmix.spring.autoconfigure.diagnostics.InvalidLlmixConfigurationException;
import dev.llmix.springai.LlmixChatModel;
import dev.llmix.springai.LlmixChatOptions;
import dev.llmix.springai.dispatch.SpringAiDispatch;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.model.StreamingChatModel;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.chat.client.autoconfigure.ChatClientAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Conditions and beans of the Spring AI bridge auto-configuration. */
@ExtendWith(OutputCaptureExtension.class)
class LlmixSpringAiAutoConfigurationTests {

    private static final LlmConfig CHAT = LlmConfig.builder("openai", "gpt-4o-mini").caching(CachingStrategy.MEMORY)
            .build();
    private static final LlmConfig VIA_SPRING = LlmConfig.builder("spring-openai", "gpt-4o-mini")
            .caching(CachingStrategy.DISABLED).build();

    @TempDir
    Path stateDir;

    private final AtomicInteger dispatched = new AtomicInteger();

    private final DispatchFunction fake = ctx -> {
        dispatched.incrementAndGet();
        return CompletableFuture.completedFuture(ProviderResult.of("Hello from fake", "gpt-4o-mini-2024-07-18",
                LlmUsage.of(11, 7, 18)));
    };

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LlmixProviderAdapterAutoConfiguration.class,
                        LlmixSpringAiDispatchAutoConfiguration.class, LlmixAutoConfiguration.class,
                        LlmixSpringAiAutoConfiguration.class, LlmixSpringAiRequirementsAutoConfiguration.class,
                        ChatClientAutoConfiguration.class))
                .withBean(PresetResolver.class, () -> (module, preset) -> preset.equals("via-spring") ? VIA_SPRING
                        : CHAT)
                .withPropertyValues("OPENAI_API_KEY=sk-test-a", "llmix.kill-switch.state-dir=" + stateDir,
                        "llmix.spring-ai.default-module=demo", "llmix.spring-ai.default-preset=chat");
    }

    private ApplicationContextRunner withFakeDispatch() {
        return runner().withBean(DispatchFunction.class, () -> fake);
    }

    @Test
    void withoutSpringAiOnTheClasspathThereIsNoBridgeAndLlmixWorks() {
        withFakeDispatch().withClassLoader(new FilteredClassLoader(ChatModel.class)).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean("llmixChatModel");
            CallResponse r = context.getBean(LlmixClient.class).call("demo", "chat", List.of(Message.user("hi")));
            assertThat(r.success()).isTrue();
        });
    }

    @Test
    void withoutTheBridgeModuleThereIsNoBridgeAndLlmixWorks() {
        withFakeDispatch().withClassLoader(new FilteredClassLoader(LlmixChatModel.class)).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean("llmixChatModel");
            assertThat(context.getBean(LlmixClient.class).call("demo", "chat", List.of(Message.user("hi")))
                    .success()).isTrue();
        });
    }

    @Test
    void withBothThereIsOnePrimaryLlmixChatModelUsedByChatClient() {
        withFakeDispatch().run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(LlmixChatModel.class);
            LlmixChatModel model = context.getBean("llmixChatModel", LlmixChatModel.class);
            assertThat(model).isInstanceOf(ChatModel.class).isInstanceOf(StreamingChatModel.class);
            assertThat(context.getBeanFactory().getBeanDefinition("llmixChatModel").isPrimary()).isTrue();
            assertThat(model.getOptions()).isEqualTo(
                    LlmixChatOptions.builder().module("demo").preset("chat").build());

            String text = context.getBean(ChatClient.Builder.class).build().prompt().user("hi").call().content();

            assertThat(text).isEqualTo("Hello from fake");
            assertThat(dispatched.get()).isEqualTo(1);
        });
    }

    @Test
    void aUserModelTheChatModelPropertyOrDisablingBacksOff() {
        withFakeDispatch().withBean("mine", LlmixChatModel.class,
                () -> LlmixChatModel.builder(new LlmixClient(new dev.llmix.pipeline.CallPipeline(
                        dev.llmix.pipeline.PipelineConfig.builder().stateDir(stateDir).build(), fake),
                        (m, p) -> CHAT)).build())
                .run(context -> assertThat(context).hasSingleBean(LlmixChatModel.class).hasBean("mine")
                        .doesNotHaveBean("llmixChatModel"));
        withFakeDispatch().withPropertyValues("spring.ai.model.chat=openai")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(LlmixChatModel.class));
        withFakeDispatch().withPropertyValues("llmix.spring-ai.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(LlmixChatModel.class));
    }

    /** A Spring AI model standing in for a provider's, recording the prompts it receives. */
    static final class RecordingModel implements ChatModel {
        final AtomicReference<Prompt> last = new AtomicReference<>();

        @Override
        public ChatResponse call(Prompt prompt) {
            last.set(prompt);
            return new ChatResponse(List.of(new Generation(new AssistantMessage("via spring"))));
        }
    }

    @Test
    void springAiModelPropertyRoutesTheProviderToThatBean() {
        RecordingModel delegate = new RecordingModel();
        runner().withBean("springModel", ChatModel.class, () -> delegate)
                .withPropertyValues("llmix.provider.spring-openai.spring-ai-model=springModel")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    CallResponse r = context.getBean(LlmixClient.class).call("demo", "via-spring",
                            List.of(Message.user("hi")));
                    assertThat(r.success()).as(r.error()).isTrue();
                    assertThat(r.content()).isEqualTo("via spring");
                    assertThat(delegate.last.get().getUserMessage().getText()).isEqualTo("hi");
                    assertThat(context.getBean(dev.llmix.pipeline.CallPipeline.class).getKeyPool("spring-openai"))
                            .as("placeholder pool %s", SpringAiDispatch.DELEGATE_CREDENTIALS_KEY).isNotNull();
                });
    }

    private void assertStartupFailure(ApplicationContextRunner runner, String... fragments) {
        runner.run(context -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            Throwable cause = failure;
            while (cause != null && !(cause instanceof InvalidLlmixConfigurationException)) {
                cause = cause.getCause();
            }
            assertThat(cause).as("InvalidLlmixConfigurationException in %s", failure).isNotNull();
            var analysis = FailureAnalyses.analyze(failure);
            for (String f : fragments) {
                assertThat(analysis.getDescription()).contains(f);
            }
            assertThat(analysis.getDescription()).doesNotContain(stateDir.toString()).doesNotContain("sk-test-a");
        });
    }

    @Test
    void startupFailsForAMissingBeanListingTheChatModels() {
        assertStartupFailure(runner().withBean("springModel", ChatModel.class, RecordingModel::new)
                .withPropertyValues("llmix.provider.spring-openai.spring-ai-model=nope"), "nope", "springModel");
    }

    @Test
    void startupFailsWhenTheBridgeWouldCallItself() {
        assertStartupFailure(runner().withPropertyValues(
                "llmix.provider.spring-openai.spring-ai-model=llmixChatModel"), "would call itself");
    }

    @Test
    void startupFailsWhenASpringAiModelIsNamedWithoutSpringAi() {
        assertStartupFailure(withFakeDispatch().withClassLoader(new FilteredClassLoader(ChatModel.class))
                .withPropertyValues("llmix.provider.spring-openai.spring-ai-model=springModel"),
                "spring-openai", "llmix-spring-ai");
        assertStartupFailure(withFakeDispatch().withClassLoader(new FilteredClassLoader(SpringAiDispatch.class))
                .withPropertyValues("llmix.provider.spring-openai.spring-ai-model=springModel"), "spring-openai");
    }

    @Test
    void startupFailsWhenAnAdapterAndASpringAiModelServeOneProvider() {
        assertStartupFailure(runner().withBean("springModel", ChatModel.class, RecordingModel::new)
                .withPropertyValues("llmix.provider.openai.enabled=true",
                        "llmix.provider.openai.spring-ai-model=springModel"), "openai");
    }

    @Test
    void keysConfiguredForASpringAiProviderAreReportedUnusedWithoutShowingThem(CapturedOutput output) {
        String key = "sk-unused-aaaaaaaaaaaa1234";
        runner().withBean("springModel", ChatModel.class, RecordingModel::new)
                .withPropertyValues("llmix.provider.spring-openai.spring-ai-model=springModel",
                        "llmix.keys.spring-openai=" + key)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(dev.llmix.pipeline.CallPipeline.class).getKeyPool("spring-openai")
                            .totalCount()).isEqualTo(1);
                });
        assertThat(output).contains("API keys configured for LLMix provider spring-openai are unused")
                .doesNotContain(key);
    }

    @Test
    void delegateObservationsPredicateIsRegisteredByDefault() {
        runner().withBean("springModel", ChatModel.class, RecordingModel::new)
                .withPropertyValues("llmix.provider.spring-openai.spring-ai-model=springModel")
                .run(context -> assertThat(context).hasBean("llmixDelegateObservationsPredicate"));
        runner().withBean("springModel", ChatModel.class, RecordingModel::new)
                .withPropertyValues("llmix.provider.spring-openai.spring-ai-model=springModel",
                        "llmix.spring-ai.dispatch.delegate-observations=true")
                .run(context -> assertThat(context).doesNotHaveBean("llmixDelegateObservationsPredicate"));
    }
}
