package dev.llmix.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.llmix.client.LlmixClient;
import dev.llmix.client.PresetNotFoundException;
import dev.llmix.config.registry.ConfigRegistryManager;
import dev.llmix.spi.DispatchFunction;
import dev.llmix.spring.actuate.LlmixHealthContributorAutoConfiguration;
import dev.llmix.spring.actuate.LlmixEndpoint;
import dev.llmix.spring.actuate.LlmixEndpointAutoConfiguration;
import dev.llmix.spring.actuate.LlmixHealthIndicator;
import dev.llmix.spring.actuate.LlmixReport;
import dev.llmix.spring.killswitch.LlmixKillSwitchAutoConfiguration;
import dev.llmix.spring.autoconfigure.diagnostics.InvalidPresetsException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Start-up fails fast, with the file, line and field, for presets and adapters that cannot work. */
class LlmixStartupValidationTests {

    private static final DispatchFunction NEVER = ctx -> new CompletableFuture<>();

    @TempDir
    Path tmp;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void captureLogs() {
        logs.start();
        ((Logger) LoggerFactory.getLogger(LlmixStartupCheck.class)).addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        ((Logger) LoggerFactory.getLogger(LlmixStartupCheck.class)).detachAppender(logs);
    }

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LlmixProviderAdapterAutoConfiguration.class,
                        LlmixAutoConfiguration.class, LlmixHealthContributorAutoConfiguration.class))
                .withPropertyValues("llmix.kill-switch.state-dir=" + tmp.resolve("state"), "llmix.keys.openai=sk-x");
    }

    private ApplicationContextRunner withSource(String id, String mda) throws Exception {
        Path root = TestRegistry.writeSource(tmp.resolve("llm"), id, mda);
        return runner().withBean(DispatchFunction.class, () -> NEVER)
                .withPropertyValues("llmix.config.root=" + root, "llmix.config.mode=source");
    }

    private static String preset(String common) {
        return "---\nname: reply\ndescription: Replies.\nmetadata:\n  snoai-llmix:\n    common:\n" + common + "---\n";
    }

    @Test
    void aMalformedPresetStopsStartUpNamingFileLineAndField() throws Exception {
        withSource("chat/reply", preset("      provider: openai\n      model: gpt-4o\n      temperature: 7\n"))
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
                    Path file = tmp.resolve("llm/source/chat/reply.mda");
                    assertThat(analysis.getDescription())
                            .contains(file + ":9: metadata.snoai-llmix.common.temperature: must be between 0 and 2");
                    assertThat(analysis.getAction()).contains("llmix.config.validate-on-startup=false");
                });
    }

    @Test
    void aYamlSyntaxErrorStopsStartUpNamingTheFileLine() throws Exception {
        withSource("chat/reply", "---\nname: reply\ndescription: [unclosed\n---\n").run(context -> {
            assertThat(context).hasFailed();
            InvalidPresetsException e = (InvalidPresetsException) FailureAnalyses.analyze(
                    context.getStartupFailure()).getCause();
            assertThat(e.problems()).singleElement().satisfies(p -> {
                assertThat(p.file()).endsWith("reply.mda");
                assertThat(p.line()).isEqualTo(3);
            });
        });
    }

    @Test
    void aProviderTypoIsAnsweredWithASuggestion() throws Exception {
        withSource("chat/reply", preset("      provider: opnai\n      model: gpt-4o\n")).run(context -> {
            assertThat(context).hasFailed();
            assertThat(FailureAnalyses.analyze(context.getStartupFailure()).getDescription())
                    .contains(":7: metadata.snoai-llmix.common.provider: unknown provider 'opnai' "
                            + "(did you mean 'openai'?)");
        });
    }

    @Test
    void validationCanBeDeferredToTheFirstCall() throws Exception {
        withSource("chat/reply", preset("      provider: openai\n      model: gpt-4o\n      temperature: 7\n"))
                .withPropertyValues("llmix.config.validate-on-startup=false")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void aPresetWhoseProviderHasNoAdapterStopsStartUp() throws Exception {
        Path root = TestRegistry.writeSource(tmp.resolve("llm"), "chat/reply",
                TestRegistry.source("reply", "anthropic", "claude-x", "memory"));
        runner().withPropertyValues("llmix.config.root=" + root, "llmix.config.mode=source",
                "llmix.provider.openai.enabled=true").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(FailureAnalyses.analyze(context.getStartupFailure()).getDescription())
                            .contains("provider 'anthropic' has no adapter")
                            .contains("llmix.provider.anthropic.enabled=true");
                });
    }

    @Test
    void anAdapterBaseUrlThatIsNotAUrlStopsStartUpNamingTheProperty() throws Exception {
        Path root = TestRegistry.writeSource(tmp.resolve("llm"), "chat/reply",
                TestRegistry.source("reply", "openai", "gpt-4o", "memory"));
        runner().withPropertyValues("llmix.config.root=" + root, "llmix.config.mode=source",
                "llmix.provider.openai.enabled=true", "llmix.provider.openai.base-url=localhost:8080/v1")
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("llmix.provider.openai.base-url");
                    assertThat(analysis.getAction()).contains("https://");
                });
    }

    @Test
    void aProviderWithoutKeyIsAWarningAndHealthDown() throws Exception {
        withSource("chat/reply", preset("      provider: deepseek\n      model: deepseek-chat\n")).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(LlmixStartupCheck.class).requiredProviders()).containsExactly("deepseek");
            assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
                    .contains("no API key for provider 'deepseek'").contains("DEEPSEEK_API_KEY"));
            var health = context.getBean(LlmixHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsKey("providers");
        });
    }

    @Test
    void aProviderWithAKeyIsUp() throws Exception {
        withSource("chat/reply", preset("      provider: openai\n      model: gpt-4o\n")).run(context -> {
            assertThat(context.getBean(LlmixHealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
        });
    }

    @Test
    void oneInfoLineSummarisesTheSetUpWithoutSecrets() throws Exception {
        Path root = TestRegistry.writeSource(tmp.resolve("llm"), "chat/reply",
                TestRegistry.source("reply", "openai", "gpt-4o", "memory"));
        runner().withPropertyValues("llmix.config.root=" + root, "llmix.config.mode=source",
                "llmix.provider.openai.enabled=true",
                "llmix.provider.openai.base-url=https://user:s3cret@llm.example.test/v1?token=s3cret")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(logs.list).filteredOn(e -> e.getFormattedMessage().startsWith("LLMix ready"))
                            .singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
                                    .contains("openai adapter at https://llm.example.test/v1")
                                    .contains("1 preset (source mode")
                                    .contains("cache memory")
                                    .contains("kill switch local (state directory " + tmp.resolve("state"))
                                    .doesNotContain("s3cret").doesNotContain("sk-x"));
                });
    }

    @Test
    void anUnknownPresetThrowsPresetNotFound() throws Exception {
        withSource("chat/reply", preset("      provider: openai\n      model: gpt-4o\n")).run(context ->
                assertThatThrownBy(() -> context.getBean(LlmixClient.class).call("chat", "nope", List.of()))
                        .isInstanceOf(PresetNotFoundException.class));
    }

    private ApplicationContextRunner withPackagedPresets() throws Exception {
        Path classes = tmp.resolve("classes");
        TestRegistry.writeSource(classes.resolve("config/llm"), "chat/reply",
                TestRegistry.source("reply", "openai", "gpt-packaged", "memory"));
        URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader());
        return runner().withClassLoader(loader).withBean(DispatchFunction.class, () -> NEVER);
    }

    @Test
    void presetsOnTheClassPathAreTheDefaultRootAndServedInSourceMode() throws Exception {
        withPackagedPresets().run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(ResourcePresetSource.class)
                    .doesNotHaveBean(ConfigRegistryManager.class);
            assertThat(context.getBean(LlmixClient.class).preset("chat", "reply").model()).isEqualTo("gpt-packaged");
            assertThat(context.getBean(LlmixStartupCheck.class).presetCount()).isEqualTo(1);
        });
    }

    private static ApplicationContextRunner withEndpoint(ApplicationContextRunner runner) {
        return runner.withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class,
                        LlmixKillSwitchAutoConfiguration.class, LlmixEndpointAutoConfiguration.class))
                .withPropertyValues("management.endpoints.web.exposure.include=llmix");
    }

    @Test
    void theEndpointReportsSourceModeForAClasspathRoot() throws Exception {
        withEndpoint(withPackagedPresets()).run(context -> assertThat(
                context.getBean(LlmixEndpoint.class).report().presets())
                .isEqualTo(new LlmixReport.Presets("source", "classpath:config/llm", null, null, null)));
    }

    @Test
    void theEndpointReportsSourceModeAndTheRootForASourceDirectory() throws Exception {
        withEndpoint(withSource("chat/reply", TestRegistry.source("reply", "openai", "gpt-x", "memory")))
                .run(context -> assertThat(context.getBean(LlmixEndpoint.class).report().presets())
                        .isEqualTo(new LlmixReport.Presets("source", tmp.resolve("llm").toAbsolutePath().toString(),
                                null, null, null)));
    }

    @Test
    void anExplicitClasspathRootWorksToo() throws Exception {
        withPackagedPresets().withPropertyValues("llmix.config.root=classpath:config/llm").run(context ->
                assertThat(context.getBean(ResourcePresetSource.class).location()).isEqualTo("classpath:config/llm"));
    }

    @Test
    void registryModeOverAClasspathRootExplainsThatItNeedsADirectory() throws Exception {
        withPackagedPresets().withPropertyValues("llmix.config.root=classpath:config/llm", "llmix.config.mode=registry")
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("registry mode needs a real directory");
                    assertThat(analysis.getAction()).contains("llmix.config.mode=source");
                });
    }

    @Test
    void aFileRootIsADirectory() throws Exception {
        Path root = TestRegistry.writeSource(tmp.resolve("llm"), "chat/reply",
                TestRegistry.source("reply", "openai", "gpt-file", "memory"));
        runner().withBean(DispatchFunction.class, () -> NEVER)
                .withPropertyValues("llmix.config.root=file:" + root, "llmix.config.mode=source")
                .run(context -> assertThat(context.getBean(LlmixClient.class).preset("chat", "reply").model())
                        .isEqualTo("gpt-file"));
    }

    @Test
    void presetFilesAreNotNeededToFindTheMissingOnes() throws Exception {
        Files.createDirectories(tmp.resolve("llm/source"));
        runner().withBean(DispatchFunction.class, () -> NEVER)
                .withPropertyValues("llmix.config.root=" + tmp.resolve("llm"), "llmix.config.mode=source")
                .run(context -> assertThat(context.getBean(LlmixStartupCheck.class).presetCount()).isZero());
    }
}
