package dev.llmix.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.client.LlmixClient;
import dev.llmix.client.Message;
import dev.llmix.client.PresetResolver;
import dev.llmix.config.LlmConfig;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.provider.http.AdapterOptions;
import dev.llmix.spi.DispatchFunction;
import dev.llmix.spi.LlmUsage;
import dev.llmix.spi.ProviderResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Multi-provider routing: every enabled adapter is live, and a preset's provider picks it. */
class LlmixProviderAdapterAutoConfigurationTest {

    private static final String OPENAI_KEY = "sk-openai-test-0000000000000001";
    private static final String ANTHROPIC_KEY = "sk-ant-test-000000000000000002";
    private static final String GEMINI_KEY = "gm-test-00000000000000000000003";

    private static final Map<String, LlmConfig> PRESETS = Map.of(
            "chat/openai", LlmConfig.builder("openai", "gpt-test").build(),
            "chat/anthropic", LlmConfig.builder("anthropic", "claude-test").build(),
            "chat/google", LlmConfig.builder("google", "gemini-test").build(),
            "chat/together", LlmConfig.builder("together", "llama-test").build());

    @TempDir
    Path stateDir;

    private final MockWebServer openai = new MockWebServer();
    private final MockWebServer anthropic = new MockWebServer();
    private final MockWebServer gemini = new MockWebServer();

    @BeforeEach
    void start() throws Exception {
        openai.start();
        anthropic.start();
        gemini.start();
    }

    @AfterEach
    void stop() {
        openai.close();
        anthropic.close();
        gemini.close();
    }

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LlmixProviderAdapterAutoConfiguration.class,
                        LlmixAutoConfiguration.class))
                .withBean(PresetResolver.class, () -> (m, p) -> PRESETS.get(m + "/" + p))
                .withPropertyValues("llmix.kill-switch.state-dir=" + stateDir, "llmix.pipeline.max-retries=0");
    }

    private ApplicationContextRunner threeProviders() {
        return runner().withPropertyValues(
                "llmix.provider.openai.enabled=true",
                "llmix.provider.openai.base-url=" + openai.url("/v1"),
                "llmix.provider.openai.api-keys=" + OPENAI_KEY,
                "llmix.provider.anthropic.enabled=true",
                "llmix.provider.anthropic.base-url=" + anthropic.url("/v1"),
                "llmix.provider.anthropic.api-keys=" + ANTHROPIC_KEY,
                "llmix.provider.gemini.enabled=true",
                "llmix.provider.gemini.base-url=" + gemini.url("/v1beta"),
                "llmix.provider.gemini.api-keys=" + GEMINI_KEY);
    }

    @Test
    void eachPresetReachesItsOwnProviderWithItsOwnKey() {
        openai.enqueue(json("{\"model\":\"gpt-test\",\"choices\":[{\"message\":{\"role\":\"assistant\","
                + "\"content\":\"from openai\"}}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2}}"));
        anthropic.enqueue(json("{\"model\":\"claude-test\",\"content\":[{\"type\":\"text\",\"text\":\"from anthropic\"}],"
                + "\"usage\":{\"input_tokens\":1,\"output_tokens\":2}}"));
        gemini.enqueue(json("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"from gemini\"}]}}],"
                + "\"usageMetadata\":{\"promptTokenCount\":1,\"candidatesTokenCount\":2}}"));
        threeProviders().run(context -> {
            assertThat(context).hasNotFailed();
            LlmixClient client = context.getBean(LlmixClient.class);
            assertThat(client.call("chat", "openai", List.of(Message.user("hi"))).content()).isEqualTo("from openai");
            assertThat(client.call("chat", "anthropic", List.of(Message.user("hi"))).content())
                    .isEqualTo("from anthropic");
            assertThat(client.call("chat", "google", List.of(Message.user("hi"))).content())
                    .isEqualTo("from gemini");
        });
        RecordedRequest o = takeOne(openai);
        assertThat(o.getUrl().encodedPath()).isEqualTo("/v1/chat/completions");
        assertThat(o.getHeaders().get("Authorization")).isEqualTo("Bearer " + OPENAI_KEY);
        RecordedRequest a = takeOne(anthropic);
        assertThat(a.getUrl().encodedPath()).isEqualTo("/v1/messages");
        assertThat(a.getHeaders().get("x-api-key")).isEqualTo(ANTHROPIC_KEY);
        RecordedRequest g = takeOne(gemini);
        assertThat(g.getUrl().encodedPath()).isEqualTo("/v1beta/models/gemini-test:generateContent");
        assertThat(g.getHeaders().get("x-goog-api-key")).isEqualTo(GEMINI_KEY);
        Map<RecordedRequest, String> own = Map.of(o, OPENAI_KEY, a, ANTHROPIC_KEY, g, GEMINI_KEY);
        own.forEach((request, ownKey) -> {
            StringBuilder everything = new StringBuilder(request.getUrl().toString());
            for (String name : request.getHeaders().names()) {
                everything.append('\n').append(name).append(": ").append(request.getHeaders().get(name));
            }
            for (String key : List.of(OPENAI_KEY, ANTHROPIC_KEY, GEMINI_KEY)) {
                assertThat(everything.toString().contains(key)).as(key).isEqualTo(key.equals(ownKey));
            }
        });
    }

    @Test
    void aPresetNamingAProviderThatIsNotEnabledFailsLocallyAndSendsNothing() {
        runner().withPropertyValues("llmix.provider.anthropic.enabled=true",
                        "llmix.provider.anthropic.base-url=" + anthropic.url("/v1"),
                        "llmix.provider.anthropic.api-keys=" + ANTHROPIC_KEY,
                        "OPENAI_API_KEY=" + OPENAI_KEY)
                .run(context -> {
                    CallResponse r = context.getBean(LlmixClient.class)
                            .call("chat", "openai", List.of(Message.user("hi")));
                    assertThat(r.success()).isFalse();
                    assertThat(r.error()).isEqualTo("No provider adapter for \"openai\"; enabled: anthropic");
                });
        assertThat(anthropic.getRequestCount()).isZero();
        assertThat(openai.getRequestCount()).isZero();
    }

    @Test
    void oneEnabledAdapterNeedsNoNewProperty() {
        openai.enqueue(json("{\"choices\":[{\"message\":{\"content\":\"ok\"}}]}"));
        runner().withPropertyValues("llmix.provider.openai.enabled=true",
                        "llmix.provider.openai.base-url=" + openai.url("/v1"), "OPENAI_API_KEY=" + OPENAI_KEY)
                .run(context -> assertThat(context.getBean(LlmixClient.class)
                        .call("chat", "openai", List.of(Message.user("hi"))).content()).isEqualTo("ok"));
        assertThat(takeOne(openai).getHeaders().get("Authorization")).isEqualTo("Bearer " + OPENAI_KEY);
    }

    @Test
    void aPerProviderDispatchBeanServesItsProviderBesideTheBuiltInAdapters() {
        DispatchFunction together = ctx -> CompletableFuture.completedFuture(
                new ProviderResult("mine for " + ctx.provider(), ctx.model(), LlmUsage.ZERO, null, null));
        threeProviders().withPropertyValues("TOGETHER_API_KEY=tg-test-key-000000000000")
                .withBean(LlmixProviderAdapter.class, () -> new LlmixProviderAdapter("together", together))
                .run(context -> assertThat(context.getBean(LlmixClient.class)
                        .call("chat", "together", List.of(Message.user("hi"))).content())
                        .isEqualTo("mine for together"));
    }

    @Test
    void userDispatchFunctionReplacesAllRouting() {
        DispatchFunction mine = ctx -> new CompletableFuture<>();
        runner().withBean(DispatchFunction.class, () -> mine)
                .withPropertyValues("llmix.provider.openai.enabled=true", "llmix.provider.gemini.enabled=true")
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(LlmixProviderAdapters.class);
                    assertThat(context.getBean(DispatchFunction.class)).isSameAs(mine);
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
    void aProviderNameTypoIsExplainedWithASuggestion() {
        runner().withPropertyValues("llmix.provider.opnai.enabled=true").run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("unknown provider 'opnai' (did you mean 'openai'?)");
        });
    }

    @Test
    void aBaseUrlThatIsNotAUrlFailsAtStartUp() {
        runner().withPropertyValues("llmix.provider.openai.enabled=true", "llmix.provider.openai.base-url=api.openai")
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("llmix.provider.openai.base-url")
                            .contains("is not an http(s) URL");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic", "gemini", "google", "sno-gpu", "openrouter", "deepseek",
            "deepinfra", "novita", "together"})
    void everyProviderCanBeEnabled(String name) {
        runner().withPropertyValues("llmix.provider." + name + ".enabled=true").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(LlmixProviderAdapters.class).enabled()).hasSize(1);
        });
    }

    @Test
    void perProviderSettingsBind() {
        runner().withPropertyValues("llmix.provider.sno-gpu.enabled=true",
                        "llmix.provider.sno-gpu.base-url=http://gpu.internal:8080",
                        "llmix.provider.sno-gpu.connect-timeout=2s", "llmix.provider.sno-gpu.request-timeout=90s",
                        "llmix.provider.sno-gpu.max-response-size=2MB",
                        "llmix.provider.sno-gpu.default-headers.X-Team=search",
                        "llmix.provider.sno-gpu.gateway-token=gw-secret-token-0001",
                        "llmix.provider.anthropic.enabled=true",
                        "llmix.provider.anthropic.anthropic-version=2024-01-01",
                        "llmix.provider.anthropic.breaker.failure-threshold=7",
                        "llmix.provider.anthropic.limiter.initial=8",
                        "llmix.provider.anthropic.retry.max-retries=1")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    AdapterOptions gpu = context.getBean(LlmixProviderAdapters.class).enabled().get("sno-gpu");
                    assertThat(gpu.baseUrl()).isEqualTo("http://gpu.internal:8080");
                    assertThat(gpu.connectTimeout()).hasSeconds(2);
                    assertThat(gpu.defaultTimeout()).hasSeconds(90);
                    assertThat(gpu.maxResponseBytes()).isEqualTo(2L * 1024 * 1024);
                    assertThat(gpu.defaultHeaders()).containsEntry("X-Team", "search");
                    assertThat(gpu.internalToken()).isEqualTo("gw-secret-token-0001");
                    assertThat(context.getBean(LlmixProperties.class).toString()).doesNotContain("gw-secret-token-0001");
                    AdapterOptions ant = context.getBean(LlmixProviderAdapters.class).enabled().get("anthropic");
                    assertThat(ant.anthropicVersion()).isEqualTo("2024-01-01");
                    var config = context.getBean(CallPipeline.class).config();
                    assertThat(config.breakerFor("anthropic").failureThreshold()).isEqualTo(7);
                    assertThat(config.breakerFor("anthropic").cooldown()).isEqualTo(Duration.ofSeconds(30));
                    assertThat(config.breakerFor("openai").failureThreshold()).isEqualTo(3);
                    assertThat(config.limiterFor("anthropic").initial()).isEqualTo(8);
                    assertThat(config.retryFor("anthropic").maxRetries()).isEqualTo(1);
                    assertThat(config.retryFor("openai").maxRetries()).isZero();
                });
    }

    private static MockResponse json(String body) {
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body(body).build();
    }

    private static RecordedRequest takeOne(MockWebServer server) {
        assertThat(server.getRequestCount()).isEqualTo(1);
        try {
            return server.takeRequest();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
