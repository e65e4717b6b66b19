package dev.llmix.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.client.PresetResolver;
import dev.llmix.config.LlmConfig;
import dev.llmix.pipeline.PipelineConfig;
import dev.llmix.provider.PriceBook;
import dev.llmix.spi.DispatchFunction;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code llmix.pricing.<provider>.<model>.*} replace and extend the built-in prices (docs/cost.md). */
class LlmixPricingPropertiesTest {

    private static final DispatchFunction NEVER = ctx -> new CompletableFuture<>();

    @TempDir
    Path stateDir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LlmixProviderAdapterAutoConfiguration.class,
                        LlmixAutoConfiguration.class))
                .withBean(PresetResolver.class, () -> (module, preset) -> LlmConfig.builder("openai", "gpt-4o").build())
                .withBean(DispatchFunction.class, () -> NEVER)
                .withPropertyValues("OPENAI_API_KEY=sk-test-0123456789abcdef",
                        "llmix.kill-switch.state-dir=" + stateDir);
    }

    @Test
    void pricingPropertiesOverrideAndExtendTheBuiltInTable() {
        runner().withPropertyValues("llmix.pricing.openai.gpt-4o.input=3", "llmix.pricing.openai.gpt-4o.output=12",
                "llmix.pricing.sno-gpu.house-model-7.input=0.05", "llmix.pricing.sno-gpu.house-model-7.output=0.2",
                "llmix.pricing.sno-gpu.house-model-7.cached-input=0.01").run(context -> {
                    PriceBook book = context.getBean(PipelineConfig.class).priceBook();
                    assertThat(book.find("openai", "gpt-4o")).isEqualTo(
                            PriceBook.ModelPrice.configured(3, 12, null));
                    assertThat(book.find("sno-gpu", "house-model-7")).isEqualTo(
                            PriceBook.ModelPrice.configured(0.05, 0.2, 0.01));
                    assertThat(book.find("openai", "gpt-4o-mini").source()).startsWith("https://openai.com");
                });
    }

    @Test
    void priceWithoutOutputFailsStartUpNamingTheProperty() {
        runner().withPropertyValues("llmix.pricing.openai.gpt-4o.input=3").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("llmix.pricing.openai.gpt-4o");
        });
    }
}
