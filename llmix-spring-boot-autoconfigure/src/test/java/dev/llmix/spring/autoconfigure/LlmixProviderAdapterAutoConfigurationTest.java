package dev.llmix.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.client.PresetResolver;
import dev.llmix.config.LlmConfig;
import dev.llmix.spi.DispatchFunction;
import dev.llmix.provider.http.SnoGpuAdapter;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class LlmixProviderAdapterAutoConfigurationTest {

    @TempDir
    Path stateDir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LlmixProviderAdapterAutoConfiguration.class,
                        LlmixAutoConfiguration.class))
                .withBean(PresetResolver.class, () -> (m, p) -> LlmConfig.builder("openai", "gpt-test").build())
                .withPropertyValues("llmix.kill-switch.state-dir=" + stateDir);
    }

    @ParameterizedTest
    @CsvSource({
            "openai, dev.llmix.provider.http.OpenAiCompatibleAdapter",
            "anthropic, dev.llmix.provider.http.AnthropicAdapter",
            "gemini, dev.llmix.provider.http.GeminiAdapter",
            "sno-gpu, dev.llmix.provider.http.SnoGpuAdapter",
    })
    void eachAdapterIsSwitchedOnByItsPropertyAndBecomesTheDispatchFunction(String name, Class<?> type) {
        runner().withPropertyValues("llmix.provider." + name + ".enabled=true").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(LlmixProviderAdapter.class);
            LlmixProviderAdapter adapter = context.getBean(LlmixProviderAdapter.class);
            assertThat(adapter.name()).isEqualTo(name);
            assertThat(adapter.dispatch()).isInstanceOf(type);
            assertThat(context.getBean(DispatchFunction.class)).isSameAs(adapter.dispatch());
        });
    }

    @Test
    void adaptersAreOffUnlessEnabled() {
        runner().withPropertyValues("llmix.provider.openai.enabled=false", "llmix.provider.anthropic.base-url=x")
                .withBean(DispatchFunction.class, () -> ctx -> new CompletableFuture<>())
                .run(context -> assertThat(context).doesNotHaveBean(LlmixProviderAdapter.class));
    }

    @Test
    void userDispatchFunctionSwitchesEveryAdapterOff() {
        DispatchFunction mine = ctx -> new CompletableFuture<>();
        runner().withBean(DispatchFunction.class, () -> mine)
                .withPropertyValues("llmix.provider.openai.enabled=true", "llmix.provider.gemini.enabled=true")
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(LlmixProviderAdapter.class);
                    assertThat(context.getBean(DispatchFunction.class)).isSameAs(mine);
                });
    }

    @Test
    void twoEnabledAdaptersFailWithAnExplanationNamingBothProperties() {
        runner().withPropertyValues("llmix.provider.openai.enabled=true", "llmix.provider.anthropic.enabled=true")
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("several enabled provider adapters")
                            .contains("'llmix.provider.openai.enabled=true'")
                            .contains("'llmix.provider.anthropic.enabled=true'");
                    assertThat(analysis.getAction()).contains("Keep only one").contains("DispatchFunction");
                });
    }

    @Test
    void noEnabledAdapterFailsWithAnExplanation() {
        runner().run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("no provider adapter is enabled");
            assertThat(analysis.getAction()).contains("'llmix.provider.openai.enabled=true'");
        });
    }

    @Test
    void adapterSettingsComeFromItsProperties() {
        runner().withPropertyValues("llmix.provider.sno-gpu.enabled=true",
                        "llmix.provider.sno-gpu.base-url=http://gpu.internal:8080",
                        "llmix.provider.sno-gpu.connect-timeout=2s", "llmix.provider.sno-gpu.request-timeout=90s")
                .run(context -> {
                    var options = LlmixProviderAdapterAutoConfiguration.options(
                            context.getBean(LlmixProperties.class).getProvider().getSnoGpu(),
                            context.getEnvironment());
                    assertThat(options.baseUrl()).isEqualTo("http://gpu.internal:8080");
                    assertThat(options.connectTimeout()).hasSeconds(2);
                    assertThat(options.defaultTimeout()).hasSeconds(90);
                    assertThat(context.getBean(DispatchFunction.class)).isInstanceOf(SnoGpuAdapter.class);
                });
    }
}
