package dev.llmix.spring.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.client.FallbackAlternative;
import dev.llmix.client.FallbackChains;
import dev.llmix.client.PresetResolver;
import dev.llmix.config.LlmConfig;
import dev.llmix.spring.autoconfigure.LlmixAutoConfiguration;
import dev.llmix.spring.autoconfigure.LlmixProviderAdapterAutoConfiguration;
import dev.llmix.spring.autoconfigure.LlmixProviderAdapters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;

/** The two-provider YAML of docs/getting-started.md binds as the page says. */
class GettingStartedFallbackYamlTest {

    private static final String MARKER = "<!-- bound by GettingStartedFallbackYamlTest -->";

    @TempDir
    Path stateDir;

    @Test
    void theTwoProviderExampleWithAFallbackBinds() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("..", "docs", "getting-started.md"));
        int at = lines.indexOf(MARKER);
        assertThat(at).as("marker in getting-started.md").isNotNegative();
        assertThat(lines.get(at + 1)).isEqualTo("```yaml");
        StringBuilder yaml = new StringBuilder();
        for (int i = at + 2; !lines.get(i).equals("```"); i++) {
            yaml.append(lines.get(i)).append('\n');
        }
        List<PropertySource<?>> sources = new YamlPropertySourceLoader().load("getting-started",
                new ByteArrayResource(yaml.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));

        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LlmixProviderAdapterAutoConfiguration.class,
                        LlmixAutoConfiguration.class))
                .withBean(PresetResolver.class, () -> (m, p) -> LlmConfig.builder("openai", "gpt-4o-mini").build())
                .withPropertyValues("llmix.kill-switch.state-dir=" + stateDir)
                .withInitializer(ctx -> sources.forEach(ctx.getEnvironment().getPropertySources()::addFirst))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(LlmixProviderAdapters.class).enabled())
                            .containsOnlyKeys("openai", "anthropic");
                    assertThat(context.getBean(FallbackChains.class).find("chat", "reply"))
                            .containsExactly(FallbackAlternative.of("anthropic", "claude-haiku-4-5"));
                });
    }
}
