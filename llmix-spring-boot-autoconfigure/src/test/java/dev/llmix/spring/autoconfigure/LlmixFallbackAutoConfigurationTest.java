package dev.llmix.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.client.FallbackAlternative;
import dev.llmix.client.FallbackChains;
import dev.llmix.client.LlmixClient;
import dev.llmix.client.Message;
import dev.llmix.client.PresetResolver;
import dev.llmix.config.LlmConfig;
import dev.llmix.keys.KeyPoolRegistry;
import dev.llmix.limiter.LimiterRegistry;
import dev.llmix.pipeline.CallAttempt;
import dev.llmix.pipeline.CallChunk;
import dev.llmix.pipeline.CallFailureType;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.resilience.CircuitBreakerRegistry;
import dev.llmix.resilience.CircuitState;
import dev.llmix.resilience.KillSwitch;
import dev.llmix.spi.CallEvent;
import dev.llmix.spi.CallInput;
import dev.llmix.spi.CallListener;
import dev.llmix.spi.FallbackEvent;
import dev.llmix.spring.metrics.LlmixMetricsAutoConfiguration;
import dev.llmix.testsupport.SseResponses;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * Fallback chains against two real HTTP servers on loopback (openai primary, anthropic alternative), their
 * properties and start-up checks, and the composite call listener (docs/providers.md, "Fallback chains").
 */
class LlmixFallbackAutoConfigurationTest {

    private static final String OPENAI_KEY = "sk-openai-test-0000000000000001";
    private static final String ANTHROPIC_KEY = "sk-ant-test-000000000000000002";

    private static final Map<String, LlmConfig> PRESETS = Map.of(
            "chat/reply", LlmConfig.builder("openai", "gpt-test").build());

    @TempDir
    Path stateDir;

    private final MockWebServer openai = new MockWebServer();
    private final MockWebServer anthropic = new MockWebServer();

    @BeforeEach
    void start() throws Exception {
        openai.start();
        anthropic.start();
    }

    @AfterEach
    void stop() {
        openai.close();
        anthropic.close();
    }

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LlmixProviderAdapterAutoConfiguration.class,
                        LlmixAutoConfiguration.class))
                .withBean(PresetResolver.class, () -> (m, p) -> PRESETS.get(m + "/" + p))
                .withPropertyValues("llmix.kill-switch.state-dir=" + stateDir, "llmix.pipeline.max-retries=0",
                        "llmix.cache.strategy=disabled");
    }

    private ApplicationContextRunner twoProvidersWithFallback() {
        return runner().withPropertyValues(
                "llmix.provider.openai.enabled=true",
                "llmix.provider.openai.base-url=" + openai.url("/v1"),
                "llmix.provider.openai.api-keys=" + OPENAI_KEY,
                "llmix.provider.openai.breaker.failure-threshold=2",
                "llmix.provider.anthropic.enabled=true",
                "llmix.provider.anthropic.base-url=" + anthropic.url("/v1"),
                "llmix.provider.anthropic.api-keys=" + ANTHROPIC_KEY,
                "llmix.fallbacks[chat/reply][0].provider=anthropic",
                "llmix.fallbacks[chat/reply][0].model=claude-haiku-4-5");
    }

    @Test
    void primary503StormOpensTheBreakerAndCallsAreAnsweredByTheAlternative() {
        openai.setDispatcher(always(status(503)));
        anthropic.setDispatcher(always(anthropicAnswer("from anthropic")));
        twoProvidersWithFallback().run(context -> {
            assertThat(context).hasNotFailed();
            LlmixClient client = context.getBean(LlmixClient.class);
            CallResponse last = null;
            for (int i = 0; i < 5; i++) {
                last = client.call("chat", "reply", List.of(Message.user("question " + i)));
                assertThat(last.content()).isEqualTo("from anthropic");
                assertThat(last.provider()).isEqualTo("anthropic");
                assertThat(last.model()).isEqualTo("claude-haiku-4-5");
            }
            CircuitBreakerRegistry breakers = context.getBean(CircuitBreakerRegistry.class);
            assertThat(breakers.find("openai", "").state()).isEqualTo(CircuitState.OPEN);
            assertThat(last.attempts()).extracting(CallAttempt::provider, CallAttempt::failure).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("openai", CallFailureType.CIRCUIT_OPEN),
                    org.assertj.core.groups.Tuple.tuple("anthropic", null));
        });
        // Two 503s open the breaker (threshold 2); later calls go straight to the alternative.
        assertThat(openai.getRequestCount()).isEqualTo(2);
        assertThat(anthropic.getRequestCount()).isEqualTo(5);
        for (int i = 0; i < 5; i++) {
            RecordedRequest r = take(anthropic);
            assertThat(r.getHeaders().get("x-api-key")).isEqualTo(ANTHROPIC_KEY);
            assertThat(r.getBody().utf8()).contains("claude-haiku-4-5").doesNotContain(OPENAI_KEY);
        }
    }

    @Test
    void primary400DoesNotFallBack() {
        openai.setDispatcher(always(status(400)));
        anthropic.setDispatcher(always(anthropicAnswer("from anthropic")));
        twoProvidersWithFallback().run(context -> {
            CallResponse r = context.getBean(LlmixClient.class).call("chat", "reply", List.of(Message.user("hi")));
            assertThat(r.success()).isFalse();
            assertThat(r.provider()).isEqualTo("openai");
            assertThat(r.failure()).hasValueSatisfying(f -> assertThat(f.status()).isEqualTo(400));
            assertThat(r.attempts()).extracting(CallAttempt::provider).containsExactly("openai");
        });
        assertThat(openai.getRequestCount()).isEqualTo(1);
        assertThat(anthropic.getRequestCount()).isZero();
    }

    @Test
    void killSwitchDoesNotFallBack() {
        openai.setDispatcher(always(status(503)));
        anthropic.setDispatcher(always(anthropicAnswer("from anthropic")));
        twoProvidersWithFallback().run(context -> {
            context.getBean(KillSwitch.class).engage("maintenance");
            CallResponse r = context.getBean(LlmixClient.class).call("chat", "reply", List.of(Message.user("hi")));
            assertThat(r.failure()).hasValueSatisfying(
                    f -> assertThat(f.type()).isEqualTo(CallFailureType.KILL_SWITCH));
        });
        assertThat(openai.getRequestCount()).isZero();
        assertThat(anthropic.getRequestCount()).isZero();
    }

    @Test
    void hangingPrimaryAndSlowAlternativeTimeOutAsOneCall() {
        // Whole-call budget 4 s; the primary's attempt gives up after 1 s, leaving about 3 s for the alternative,
        // which needs 3.5 s: with a budget of its own (4 s) it would have answered.
        openai.setDispatcher(always(openaiAnswer("late").newBuilder().headersDelay(10, TimeUnit.SECONDS).build()));
        anthropic.setDispatcher(always(
                anthropicAnswer("slow").newBuilder().headersDelay(3500, TimeUnit.MILLISECONDS).build()));
        twoProvidersWithFallback().withPropertyValues("llmix.pipeline.default-call-timeout=4s",
                "llmix.provider.openai.request-timeout=1s").run(context -> {
                    CallResponse r = context.getBean(LlmixClient.class)
                            .call("chat", "reply", List.of(Message.user("hi")));
                    assertThat(r.success()).isFalse();
                    assertThat(r.failure()).hasValueSatisfying(
                            f -> assertThat(f.type()).isEqualTo(CallFailureType.TIMEOUT));
                    assertThat(r.attempts()).extracting(CallAttempt::provider, CallAttempt::failure).containsExactly(
                            org.assertj.core.groups.Tuple.tuple("openai", CallFailureType.TIMEOUT),
                            org.assertj.core.groups.Tuple.tuple("anthropic", CallFailureType.TIMEOUT));
                });
        assertThat(openai.getRequestCount()).isEqualTo(1);
        assertThat(anthropic.getRequestCount()).isEqualTo(1);
    }

    @Test
    void fallbackPropertiesBindToTheChainsBean() {
        twoProvidersWithFallback().withPropertyValues(
                "llmix.fallbacks[chat/reply][1].preset=summary/short",
                "llmix.fallbacks[chat/reply][1].model=gpt-test-mini").run(context -> {
                    assertThat(context).hasNotFailed();
                    FallbackChains chains = context.getBean(FallbackChains.class);
                    assertThat(chains.find("chat", "reply")).containsExactly(
                            FallbackAlternative.of("anthropic", "claude-haiku-4-5"),
                            new FallbackAlternative(null, "gpt-test-mini", "summary/short"));
                    assertThat(context.getBean(LlmixClient.class).fallbacks()).isSameAs(chains);
                });
    }

    @Test
    void aFallbackNamingAProviderThatIsNotEnabledFailsAtStartUp() {
        runner().withPropertyValues("llmix.provider.openai.enabled=true",
                "llmix.fallbacks[chat/reply][0].provider=gemini",
                "llmix.fallbacks[chat/reply][0].model=gemini-2.5-flash").run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("llmix.fallbacks[chat/reply][0].provider")
                            .contains("provider 'gemini' is not enabled (enabled: openai)");
                    assertThat(analysis.getAction()).contains("llmix.provider.gemini.enabled=true");
                });
    }

    @Test
    void anUnknownFallbackProviderIsExplainedWithASuggestion() {
        runner().withPropertyValues("llmix.provider.openai.enabled=true",
                "llmix.fallbacks[chat/reply][0].provider=antropic",
                "llmix.fallbacks[chat/reply][0].model=claude-haiku-4-5").run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("llmix.fallbacks[chat/reply][0].provider")
                            .contains("did you mean 'anthropic'?");
                });
    }

    @Test
    void anAlternativeWithoutModelFailsAtStartUp() {
        runner().withPropertyValues("llmix.provider.openai.enabled=true", "llmix.provider.anthropic.enabled=true",
                "llmix.fallbacks[chat/reply][0].provider=anthropic").run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("llmix.fallbacks[chat/reply][0].model")
                            .contains("no model for provider 'anthropic'");
                });
    }

    @Test
    void anEmptyChainFailsAtStartUp() {
        runner().withPropertyValues("llmix.provider.openai.enabled=true", "llmix.fallbacks[chat/reply]=").run(
                context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("llmix.fallbacks[chat/reply]")
                            .contains("the chain is empty");
                });
    }

    @Test
    void theFallbackKeysHaveConfigurationMetadata() throws Exception {
        tools.jackson.databind.JsonNode metadata = tools.jackson.databind.json.JsonMapper.builder().build().readTree(
                java.nio.file.Files.readString(Path.of("target/classes/META-INF/spring-configuration-metadata.json")));
        java.util.Map<String, String> descriptions = new java.util.HashMap<>();
        for (tools.jackson.databind.JsonNode p : metadata.get("properties")) {
            tools.jackson.databind.JsonNode d = p.get("description");
            descriptions.put(p.get("name").asString(), d == null ? "" : d.asString());
        }
        assertThat(descriptions.get("llmix.fallbacks")).contains("<module>/<preset>");
        String type = null;
        for (tools.jackson.databind.JsonNode p : metadata.get("properties")) {
            if (p.get("name").asString().equals("llmix.fallbacks")) {
                type = p.get("type").asString();
            }
        }
        assertThat(type).contains("LlmixProperties$Fallback");
    }

    @Test
    void aChainKeyWithoutModuleFailsAtStartUp() {
        runner().withPropertyValues("llmix.provider.openai.enabled=true", "llmix.provider.anthropic.enabled=true",
                "llmix.fallbacks[reply][0].provider=anthropic", "llmix.fallbacks[reply][0].model=claude").run(
                        context -> {
                            assertThat(context).hasFailed();
                            FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
                            assertThat(analysis.getDescription()).contains("llmix.fallbacks[reply]")
                                    .contains("<module>/<preset>");
                        });
    }

    @Test
    void everyCallListenerBeanReceivesEventsInOrderAndAFailingOneBreaksNothing() {
        openai.setDispatcher(always(status(503)));
        anthropic.setDispatcher(always(anthropicAnswer("from anthropic")));
        twoProvidersWithFallback().withUserConfiguration(Listeners.class).run(context -> {
            CallResponse r = context.getBean(LlmixClient.class).call("chat", "reply", List.of(Message.user("hi")));
            assertThat(r.content()).isEqualTo("from anthropic");
            List<String> seen = context.getBean(Listeners.class).seen;
            assertThat(seen).containsExactly("first:start:openai", "second:start:openai", "first:end:openai",
                    "second:end:openai", "first:fallback:anthropic", "second:fallback:anthropic",
                    "first:start:anthropic", "second:start:anthropic", "first:end:anthropic", "second:end:anthropic");
        });
    }

    @Test
    void metricsCountTheFallbackBesideTheCallTimers() {
        openai.setDispatcher(always(status(503)));
        anthropic.setDispatcher(always(anthropicAnswer("from anthropic")));
        twoProvidersWithFallback()
                .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                        SimpleMetricsExportAutoConfiguration.class, ObservationAutoConfiguration.class,
                        LlmixMetricsAutoConfiguration.class))
                .run(context -> {
                    context.getBean(LlmixClient.class).call("chat", "reply", List.of(Message.user("hi")));
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    assertThat(meters.get("llmix.fallbacks").tag("module", "chat").tag("preset", "reply")
                            .tag("from_provider", "openai").tag("to_provider", "anthropic")
                            .tag("reason", "provider_error").counter().count()).isEqualTo(1.0);
                    assertThat(meters.get("llmix.calls").tag("provider", "openai").timer().count()).isEqualTo(1);
                    assertThat(meters.get("llmix.calls").tag("provider", "anthropic").timer().count()).isEqualTo(1);
                });
    }

    @Test
    void aStreamMovesAlongTheChainBeforeItsFirstChunkAndIsCounted() {
        openai.setDispatcher(always(status(503)));
        anthropic.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return anthropicStream("from ", "anthropic");
            }
        });
        twoProvidersWithFallback()
                .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                        SimpleMetricsExportAutoConfiguration.class, ObservationAutoConfiguration.class,
                        LlmixMetricsAutoConfiguration.class))
                .run(context -> {
                    List<CallChunk> chunks;
                    try (Stream<CallChunk> s = context.getBean(LlmixClient.class).streamBlocking("chat", "reply",
                            List.of(Message.user("hi")))) {
                        chunks = s.collect(Collectors.toList());
                    }
                    assertThat(chunks).extracting(CallChunk::contentDelta).containsExactly("from ", "anthropic", "");
                    CallResponse done = chunks.get(chunks.size() - 1).response();
                    assertThat(done.content()).isEqualTo("from anthropic");
                    assertThat(done.answeredByFallback()).isTrue();
                    assertThat(done.attempts()).extracting(CallAttempt::provider, CallAttempt::failure)
                            .containsExactly(org.assertj.core.groups.Tuple.tuple("openai",
                                    CallFailureType.PROVIDER_ERROR), org.assertj.core.groups.Tuple.tuple("anthropic",
                                            null));
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    assertThat(meters.get("llmix.fallbacks").tag("from_provider", "openai")
                            .tag("to_provider", "anthropic").tag("reason", "provider_error").counter().count())
                            .isEqualTo(1.0);
                });
        assertThat(openai.getRequestCount()).isEqualTo(1);
        assertThat(anthropic.getRequestCount()).isEqualTo(1);
        RecordedRequest r = take(anthropic);
        assertThat(r.getHeaders().get("x-api-key")).isEqualTo(ANTHROPIC_KEY);
        assertThat(r.getHeaders().get("accept")).isEqualTo("text/event-stream");
    }

    @Test
    void theRegistriesAreBeansOfThePipeline() {
        twoProvidersWithFallback().run(context -> {
            CallPipeline pipeline = context.getBean(CallPipeline.class);
            assertThat(context.getBean(CircuitBreakerRegistry.class)).isSameAs(pipeline.circuitBreakers());
            assertThat(context.getBean(LimiterRegistry.class)).isSameAs(pipeline.limiters());
            assertThat(context.getBean(KeyPoolRegistry.class)).isSameAs(pipeline.keyPools());
        });
    }

    /** Two ordered recording listeners around one that always throws. */
    @Configuration(proxyBeanMethods = false)
    static class Listeners {

        final List<String> seen = new CopyOnWriteArrayList<>();

        @Bean
        @Order(2)
        CallListener second() {
            return recorder("second");
        }

        @Bean
        @Order(1)
        CallListener first() {
            return recorder("first");
        }

        @Bean
        @Order(0)
        CallListener broken() {
            return new CallListener() {
                @Override
                public @Nullable Object callStarted(CallInput input) {
                    throw new IllegalStateException("broken");
                }

                @Override
                public void callFinished(CallEvent event, @Nullable Object context) {
                    throw new IllegalStateException("broken");
                }

                @Override
                public void fallback(FallbackEvent event) {
                    throw new IllegalStateException("broken");
                }
            };
        }

        private CallListener recorder(String name) {
            return new CallListener() {
                @Override
                public @Nullable Object callStarted(CallInput input) {
                    seen.add(name + ":start:" + input.config().provider());
                    return name;
                }

                @Override
                public void callFinished(CallEvent event, @Nullable Object context) {
                    // The context is this listener's own, not another's.
                    seen.add(context + ":end:" + event.provider());
                }

                @Override
                public void fallback(FallbackEvent event) {
                    seen.add(name + ":fallback:" + event.toProvider());
                }
            };
        }
    }

    private static Dispatcher always(MockResponse response) {
        return new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return response;
            }
        };
    }

    private static MockResponse status(int code) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json")
                .body("{\"error\":{\"message\":\"status " + code + "\"}}").build();
    }

    private static MockResponse openaiAnswer(String text) {
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                .body("{\"model\":\"gpt-test\",\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\""
                        + text + "\"}}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2}}").build();
    }

    private static MockResponse anthropicAnswer(String text) {
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                .body("{\"model\":\"claude-haiku-4-5\",\"content\":[{\"type\":\"text\",\"text\":\"" + text
                        + "\"}],\"usage\":{\"input_tokens\":1,\"output_tokens\":2}}").build();
    }

    /** A real Anthropic SSE stream with one text delta per piece. */
    private static MockResponse anthropicStream(String... pieces) {
        List<Object> steps = new java.util.ArrayList<>();
        steps.add(SseResponses.event("message_start", "{\"type\":\"message_start\",\"message\":"
                + "{\"model\":\"claude-haiku-4-5\",\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}"));
        steps.add(SseResponses.event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
        for (String piece : pieces) {
            steps.add(SseResponses.event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\"" + piece + "\"}}"));
        }
        steps.add(SseResponses.event("message_delta", "{\"type\":\"message_delta\",\"delta\":"
                + "{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":3}}"));
        steps.add(SseResponses.event("message_stop", "{\"type\":\"message_stop\"}"));
        return SseResponses.sse(new SseResponses.Script(steps));
    }

    private static RecordedRequest take(MockWebServer server) {
        try {
            return server.takeRequest();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
