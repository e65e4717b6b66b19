package dev.llmix.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.client.PresetResolver;
import dev.llmix.config.LlmConfig;
import dev.llmix.spring.autoconfigure.LlmixAutoConfiguration;
import dev.llmix.spring.autoconfigure.LlmixProviderAdapterAutoConfiguration;
import dev.llmix.spring.killswitch.LlmixKillSwitchAutoConfiguration;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code GET /actuator/llmix} lists the providers (base URL without secrets) and the fallback chains. */
class LlmixEndpointProvidersTest {

    @TempDir
    Path stateDir;

    @Test
    void reportShowsProvidersWithoutSecretsAndTheFallbackChains() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LlmixProviderAdapterAutoConfiguration.class,
                        LlmixAutoConfiguration.class, LlmixKillSwitchAutoConfiguration.class,
                        EndpointAutoConfiguration.class, LlmixEndpointAutoConfiguration.class))
                .withBean(PresetResolver.class, () -> (m, p) -> LlmConfig.builder("openai", "gpt-test").build())
                .withPropertyValues("llmix.kill-switch.state-dir=" + stateDir,
                        "management.endpoints.web.exposure.include=llmix",
                        "llmix.provider.openai.enabled=true",
                        "llmix.provider.openai.base-url=https://user:hunter2@llm.example.test/v1?token=abc123",
                        "llmix.provider.anthropic.enabled=true",
                        "llmix.provider.gemini.base-url=https://gemini.example.test/v1beta",
                        "llmix.fallbacks[chat/reply][0].provider=anthropic",
                        "llmix.fallbacks[chat/reply][0].model=claude-haiku-4-5")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    LlmixReport report = context.getBean(LlmixEndpoint.class).report();
                    assertThat(report.providers()).containsExactly(
                            new LlmixReport.Provider("openai", "https://llm.example.test/v1", true),
                            new LlmixReport.Provider("anthropic", "https://api.anthropic.com/v1", true),
                            new LlmixReport.Provider("google", "https://gemini.example.test/v1beta", false));
                    assertThat(report.fallbacks()).containsOnlyKeys("chat/reply");
                    assertThat(report.fallbacks().get("chat/reply")).isEqualTo(
                            List.of(new LlmixReport.Fallback("anthropic", "claude-haiku-4-5", null)));
                    assertThat(report.toString()).doesNotContain("hunter2").doesNotContain("abc123");
                });
    }
}
