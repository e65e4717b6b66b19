package dev.llmix.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.testsupport.InMemoryResponseCacheStore;
import dev.llmix.spi.ResponseCacheStore;
import dev.llmix.cache.TwoTierCache;
import dev.llmix.client.LlmixClient;
import dev.llmix.client.Message;
import dev.llmix.client.PresetResolver;
import dev.llmix.config.CachingStrategy;
import dev.llmix.config.LlmConfig;
import dev.llmix.spi.CacheHitTier;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.spi.DispatchFunction;
import dev.llmix.spi.LlmUsage;
import dev.llmix.pipeline.PipelineConfig;
import dev.llmix.spi.ProviderResult;
import dev.llmix.resilience.KillSwitch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

@ExtendWith(OutputCaptureExtension.class)
class LlmixAutoConfigurationTest {

    private static final DispatchFunction NEVER = ctx -> new CompletableFuture<>();

    private static final LlmConfig CACHED = LlmConfig.builder("openai", "gpt-test").caching(CachingStrategy.MEMORY)
            .build();

    private static final PresetResolver PRESETS = (module, preset) -> CACHED;

    @TempDir
    Path stateDir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LlmixProviderAdapterAutoConfiguration.class,
                    LlmixAutoConfiguration.class))
            .withBean(PresetResolver.class, () -> PRESETS)
            .withPropertyValues("OPENAI_API_KEY=sk-test-0123456789abcdef");

    private ApplicationContextRunner withDispatch() {
        return runner.withBean(DispatchFunction.class, () -> NEVER)
                .withPropertyValues("llmix.kill-switch.state-dir=" + stateDir);
    }

    @Test
    void defaultsBindToTheDocumentedValues() {
        withDispatch().run(context -> {
            LlmixProperties p = context.getBean(LlmixProperties.class);
            assertThat(p.getPipeline().getMaxRetries()).isEqualTo(3);
            assertThat(p.getPipeline().getBreaker().getCooldown()).isEqualTo(Duration.ofSeconds(30));
            assertThat(p.getPipeline().getLimiter().getInitial()).isEqualTo(32);
            assertThat(p.getCache().getKeyPrefix()).isEqualTo("llmix:resp:");
            assertThat(p.getConfig().getRoot()).isNull();
            assertThat(p.getConfig().getMode()).isEqualTo(PresetSourceMode.REGISTRY);
        });
    }

    @Test
    void defaultsCreateThePipelineCacheClientAndShutdownHook() {
        withDispatch().run(context -> {
            assertThat(context).hasSingleBean(CallPipeline.class).hasSingleBean(TwoTierCache.class)
                    .hasSingleBean(PipelineConfig.class).hasSingleBean(LlmixClient.class)
                    .hasSingleBean(LlmixKeyPools.class).hasSingleBean(LlmixGracefulShutdown.class);
            PipelineConfig config = context.getBean(PipelineConfig.class);
            assertThat(config.maxRetries()).isEqualTo(3);
            assertThat(config.circuitBreakerConfig().failureThreshold()).isEqualTo(3);
            assertThat(config.semaphoreInitial()).isEqualTo(32);
            assertThat(config.semaphoreMin()).isEqualTo(4);
            assertThat(config.responseCache()).isSameAs(context.getBean(TwoTierCache.class));
            assertThat(config.closeResponseCache()).isFalse();
            assertThat(config.cacheKeyPrefix()).isEqualTo("llmix:resp:");
            assertThat(context.getBean(TwoTierCache.class).stats().strategy()).isEqualTo(CachingStrategy.MEMORY);
            assertThat(context.getBean(TwoTierCache.class).stats().l2Enabled()).isFalse();
        });
    }

    @Test
    void pipelinePropertiesReachThePipelineConfig() {
        withDispatch().withPropertyValues("llmix.pipeline.max-retries=5", "llmix.pipeline.retry-base-delay=200ms",
                "llmix.pipeline.retry-max-delay=2s", "llmix.pipeline.retry-jitter=0",
                "llmix.pipeline.retry-max-retry-after=10s", "llmix.pipeline.breaker.failure-threshold=7",
                "llmix.pipeline.breaker.cooldown=1m", "llmix.pipeline.breaker.half-open-probes=3",
                "llmix.pipeline.limiter.initial=8", "llmix.pipeline.limiter.min=2",
                "llmix.pipeline.default-call-timeout=45s", "llmix.cache.key-prefix=app:llm:",
                "llmix.cache.max-items=10", "llmix.cache.ttl=5m").run(context -> {
                    PipelineConfig c = context.getBean(PipelineConfig.class);
                    assertThat(c.maxRetries()).isEqualTo(5);
                    assertThat(c.retryBaseMs()).isEqualTo(200);
                    assertThat(c.retryMaxDelayMs()).isEqualTo(2000);
                    assertThat(c.retryJitterMs()).isZero();
                    assertThat(c.retryMaxRetryAfterMs()).isEqualTo(10_000);
                    assertThat(c.circuitBreakerConfig().failureThreshold()).isEqualTo(7);
                    assertThat(c.circuitBreakerConfig().cooldown()).isEqualTo(Duration.ofMinutes(1));
                    assertThat(c.circuitBreakerConfig().permittedHalfOpenCalls()).isEqualTo(3);
                    assertThat(c.semaphoreInitial()).isEqualTo(8);
                    assertThat(c.semaphoreMin()).isEqualTo(2);
                    assertThat(c.defaultCallTimeout()).isEqualTo(Duration.ofSeconds(45));
                    assertThat(c.cacheKeyPrefix()).isEqualTo("app:llm:");
                    assertThat(c.stateDir()).isEqualTo(stateDir.toAbsolutePath());
                    assertThat(context.getBean(TwoTierCache.class).stats().l1Max()).isEqualTo(10);
                    assertThat(context.getBean(TwoTierCache.class).ttl()).isEqualTo(Duration.ofMinutes(5));
                });
    }

    @Test
    void customizersAdjustThePipelineConfig() {
        withDispatch().withBean(PipelineConfigCustomizer.class, () -> b -> b.maxRetries(0))
                .run(context -> assertThat(context.getBean(PipelineConfig.class).maxRetries()).isZero());
    }

    @Test
    void userPipelineCacheConfigAndClientWin() {
        TwoTierCache cache = TwoTierCache.builder().maxItems(5).build();
        PipelineConfig config = PipelineConfig.builder().stateDir(stateDir).build();
        CallPipeline pipeline = new CallPipeline(config, NEVER);
        LlmixClient client = new LlmixClient(pipeline, PRESETS);
        withDispatch().withBean(TwoTierCache.class, () -> cache).withBean(PipelineConfig.class, () -> config)
                .withBean(CallPipeline.class, () -> pipeline).withBean(LlmixClient.class, () -> client)
                .run(context -> {
                    assertThat(context.getBean(TwoTierCache.class)).isSameAs(cache);
                    assertThat(context.getBean(PipelineConfig.class)).isSameAs(config);
                    assertThat(context.getBean(CallPipeline.class)).isSameAs(pipeline);
                    assertThat(context.getBean(LlmixClient.class)).isSameAs(client);
                });
    }

    @Test
    void skipStrategiesCreateNoResponseCache() {
        for (String strategy : List.of("disabled", "native", "gateway")) {
            withDispatch().withPropertyValues("llmix.cache.strategy=" + strategy).run(context -> {
                assertThat(context).doesNotHaveBean(TwoTierCache.class).hasSingleBean(CallPipeline.class);
                assertThat(context.getBean(PipelineConfig.class).responseCache()).isNull();
            });
        }
    }

    @Test
    void redisStrategyWithoutRedisFailsWithAnExplanation() {
        withDispatch().withPropertyValues("llmix.cache.strategy=redis").run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("llmix.cache.strategy=redis");
            assertThat(analysis.getAction()).contains("redis-or-memory").contains("spring.data.redis.url");
        });
    }

    @Test
    void redisOrMemoryWithoutRedisWarnsOnceAndUsesL1Only(CapturedOutput output) {
        withDispatch().withPropertyValues("llmix.cache.strategy=redis-or-memory").run(context -> {
            TwoTierCache cache = context.getBean(TwoTierCache.class);
            assertThat(cache.stats().strategy()).isEqualTo(CachingStrategy.MEMORY);
            assertThat(cache.stats().l2Enabled()).isFalse();
        });
        assertThat(output.getOut().split("degrading to L1 only", -1)).hasSize(2);
    }

    @Test
    void redisStrategyUsesTheResponseCacheStoreBeanAsL2() {
        withDispatch().withPropertyValues("llmix.cache.strategy=redis")
                .withBean(ResponseCacheStore.class, InMemoryResponseCacheStore::new).run(context -> {
                    TwoTierCache cache = context.getBean(TwoTierCache.class);
                    assertThat(cache.stats().strategy()).isEqualTo(CachingStrategy.REDIS);
                    assertThat(cache.stats().l2Enabled()).isTrue();
                });
    }

    @Test
    void memoryStrategyIgnoresAnAvailableL2Store() {
        withDispatch().withBean(ResponseCacheStore.class, InMemoryResponseCacheStore::new).run(context ->
                assertThat(context.getBean(TwoTierCache.class).stats().l2Enabled()).isFalse());
    }

    @Test
    void configuredKeysBecomeThePipelinesKeyPools() {
        withDispatch().withPropertyValues("llmix.keys.anthropic=sk-ant-aaaaaaaaaaaaaaaa1111,sk-ant-bbbbbbbbbbbbbbbb2222")
                .run(context -> {
                    CallPipeline pipeline = context.getBean(CallPipeline.class);
                    assertThat(pipeline.getKeyPool("anthropic").totalCount()).isEqualTo(2);
                    assertThat(context.getBean(LlmixKeyPools.class).toString()).doesNotContain("aaaaaaaaaaaaaaaa");
                });
    }

    @Test
    void keyPoolsFallBackToProviderEnvironmentVariables() {
        withDispatch().withPropertyValues("SNO_GPU_KEYS=k-one-0123456789,k-two-0123456789").run(context -> {
            CallPipeline pipeline = context.getBean(CallPipeline.class);
            assertThat(pipeline.getKeyPool("openai").totalCount()).isEqualTo(1);
            assertThat(pipeline.getKeyPool("sno-gpu").totalCount()).isEqualTo(2);
            assertThat(pipeline.getKeyPool("anthropic")).isNull();
        });
    }

    @Test
    void limiterMinAboveInitialFailsNamingBothProperties() {
        withDispatch().withPropertyValues("llmix.pipeline.limiter.initial=4", "llmix.pipeline.limiter.min=8")
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("llmix.pipeline.limiter.min")
                            .contains("(8)").contains("llmix.pipeline.limiter.initial (4)");
                    assertThat(analysis.getAction()).contains("at most llmix.pipeline.limiter.initial");
                });
    }

    @Test
    void clientCallsThePresetThroughThePipelineAndServesTheRepeatFromL1() {
        AtomicInteger dispatches = new AtomicInteger();
        DispatchFunction dispatch = ctx -> {
            dispatches.incrementAndGet();
            return CompletableFuture.completedFuture(ProviderResult.of("hello " + ctx.model(), ctx.model(),
                    LlmUsage.of(1, 2, 3)));
        };
        runner.withBean(DispatchFunction.class, () -> dispatch)
                .withPropertyValues("llmix.kill-switch.state-dir=" + stateDir).run(context -> {
                    LlmixClient client = context.getBean(LlmixClient.class);
                    CallResponse first = client.call("chat", "reply", List.of(Message.user("hi")));
                    CallResponse second = client.call("chat", "reply", List.of(Message.user("hi")));

                    assertThat(first.success()).isTrue();
                    assertThat(first.content()).isEqualTo("hello gpt-test");
                    assertThat(first.cacheHit()).isNull();
                    assertThat(second.cacheHit()).isEqualTo(CacheHitTier.L1);
                    assertThat(dispatches).hasValue(1);
                });
    }

    @Test
    void contextCloseWaitsForInFlightCallsThenClosesThePipeline() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<ProviderResult> release = new CompletableFuture<>();
        DispatchFunction slow = ctx -> {
            started.countDown();
            return release;
        };
        CompletableFuture<CallResponse>[] inFlight = new CompletableFuture[1];
        CallPipeline[] pipeline = new CallPipeline[1];
        runner.withBean(DispatchFunction.class, () -> slow)
                .withPropertyValues("llmix.kill-switch.state-dir=" + stateDir, "llmix.cache.strategy=disabled")
                .run(context -> {
                    LlmixClient client = context.getBean(LlmixClient.class);
                    pipeline[0] = context.getBean(CallPipeline.class);
                    inFlight[0] = client.callAsync("chat", "reply", List.of(Message.user("hi")));
                    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
                    CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS).execute(() ->
                            release.complete(ProviderResult.of("done", "gpt-test", LlmUsage.of(1, 1, 2))));
                });
        // run() closed the context: the lifecycle waited for the call before closing the pipeline.
        assertThat(inFlight[0]).isCompleted();
        assertThat(inFlight[0].join().content()).isEqualTo("done");
        assertThat(pipeline[0].isClosed()).isTrue();
    }

    @Test
    void shutdownTimeoutBoundsTheWait() {
        CompletableFuture<ProviderResult> never = new CompletableFuture<>();
        CallPipeline[] pipeline = new CallPipeline[1];
        long[] closedAfterMs = new long[1];
        runner.withBean(DispatchFunction.class, () -> ctx -> never)
                .withPropertyValues("llmix.kill-switch.state-dir=" + stateDir, "llmix.cache.strategy=disabled",
                        "llmix.pipeline.shutdown-timeout=100ms")
                .run(context -> {
                    pipeline[0] = context.getBean(CallPipeline.class);
                    context.getBean(LlmixClient.class).callAsync("chat", "reply", List.of(Message.user("hi")));
                    closedAfterMs[0] = System.nanoTime();
                });
        closedAfterMs[0] = (System.nanoTime() - closedAfterMs[0]) / 1_000_000;
        assertThat(pipeline[0].isClosed()).isTrue();
        assertThat(closedAfterMs[0]).isLessThan(5_000);
    }

    @Test
    void killSwitchLivesInTheConfiguredStateDir() {
        withDispatch().run(context -> assertThat(context.getBean(KillSwitch.class).path())
                .isEqualTo(stateDir.resolve("killswitch")));
    }

    @Test
    void killSwitchStateDirFallsBackToLlmixStateDirFromTheEnvironment() {
        runner.withBean(DispatchFunction.class, () -> NEVER)
                .withPropertyValues("LLMIX_STATE_DIR=" + stateDir.resolve("env"))
                .run(context -> assertThat(context.getBean(KillSwitch.class).path())
                        .isEqualTo(stateDir.resolve("env").resolve("killswitch")));
    }

    @Test
    void userKillSwitchWins() {
        KillSwitch mine = new KillSwitch(stateDir.resolve("mine"));
        withDispatch().withBean(KillSwitch.class, () -> mine)
                .run(context -> assertThat(context.getBean(KillSwitch.class)).isSameAs(mine));
    }

    @Test
    void userDispatchFunctionWins() {
        withDispatch().run(context -> assertThat(context.getBean(DispatchFunction.class)).isSameAs(NEVER));
    }

    @Test
    void noAdapterAndNoDispatchFunctionFailsWithAnExplanation() {
        runner.withPropertyValues("llmix.kill-switch.state-dir=" + stateDir).run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("no provider adapter is enabled");
            assertThat(analysis.getAction()).contains("llmix.provider.openai.enabled=true")
                    .contains("openai, anthropic, google, gemini").contains("DispatchFunction");
        });
    }

    @ParameterizedTest
    @CsvSource({
            "llmix.pipeline.max-retries, -1",
            "llmix.pipeline.max-retries, three",
            "llmix.pipeline.retry-base-delay, -5ms",
            "llmix.pipeline.breaker.failure-threshold, 0",
            "llmix.pipeline.breaker.cooldown, soon",
            "llmix.pipeline.breaker.half-open-probes, 0",
            "llmix.pipeline.limiter.initial, 0",
            "llmix.pipeline.limiter.min, 0",
            "llmix.cache.ttl, 0s",
            "llmix.cache.max-items, 0",
            "llmix.cache.strategy, sometimes",
            "llmix.config.mode, database",
            "llmix.config.refresh-interval, -1s",
            "llmix.provider.openai.connect-timeout, 0s",
            "llmix.provider.openai.enabled, maybe",
    })
    void invalidPropertyValueFailsBindingNamingTheProperty(String property, String value) {
        withDispatch().withPropertyValues(property + "=" + value).run(context -> {
            assertThat(context).hasFailed();
            BindException failure = FailureAnalyses.bindFailure(context.getStartupFailure());
            assertThat(failure.getProperty()).isNotNull();
            assertThat(failure.getProperty().getName().toString()).isEqualTo(property);
        });
    }

    @Test
    void attemptTimeoutAndTheCallTimeoutVariableReachThePipelineConfig() {
        withDispatch().withPropertyValues("llmix.pipeline.attempt-timeout=15s", "LLMIX_CALL_TIMEOUT_MS=90000")
                .run(context -> {
                    PipelineConfig c = context.getBean(PipelineConfig.class);
                    assertThat(c.attemptTimeout()).isEqualTo(Duration.ofSeconds(15));
                    assertThat(c.defaultCallTimeout()).isEqualTo(Duration.ofSeconds(90));
                });
    }

    @Test
    void attemptTimeoutMustBePositive() {
        withDispatch().withPropertyValues("llmix.pipeline.attempt-timeout=0s").run(context ->
                assertThat(FailureAnalyses.bindFailure(context.getStartupFailure()).getProperty().getName().toString())
                        .isEqualTo("llmix.pipeline.attempt-timeout"));
    }

    @Test
    void defaultCallTimeoutMustBePositive() {
        withDispatch().withPropertyValues("llmix.pipeline.default-call-timeout=0s").run(context ->
                assertThat(FailureAnalyses.bindFailure(context.getStartupFailure()).getProperty().getName().toString())
                        .isEqualTo("llmix.pipeline.default-call-timeout"));
    }

    @Test
    void noApiKeyAppearsInStartupFailuresOrLogs(CapturedOutput output) {
        String secret = "sk-proj-SECRETSECRETSECRET42";
        runner.withPropertyValues("llmix.kill-switch.state-dir=" + stateDir, "llmix.keys.openai=" + secret,
                "ANTHROPIC_API_KEY=" + secret, "llmix.cache.strategy=redis-or-memory").run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription() + analysis.getAction()).doesNotContain("SECRET");
                    for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
                        assertThat(String.valueOf(t.getMessage())).doesNotContain("SECRET");
                    }
                });
        withDispatch().withPropertyValues("llmix.keys.openai=" + secret).run(context -> {
            assertThat(context.getBean(LlmixKeyPools.class).toString()).doesNotContain("SECRET");
            assertThat(context.getBean(CallPipeline.class).getKeyPool("openai").toString()).doesNotContain("SECRET");
            assertThat(context.getBean(LlmixProperties.class).toString()).doesNotContain("SECRET");
        });
        assertThat(output.getAll()).doesNotContain("SECRET");
    }

    @Test
    void keyListWithOnlyBlanksFailsWithoutShowingKeys() {
        withDispatch().withPropertyValues("llmix.keys.openai[0]= ", "llmix.keys.openai[1]=").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessage("llmix.keys.openai holds no non-blank key");
        });
    }

    @Test
    void propertiesToStringMasksApiKeys() {
        withDispatch().withPropertyValues("llmix.keys.openai=sk-proj-abcdefghijklmnop1234,sk-proj-zyxwvutsrqpo9876")
                .run(context -> {
                    LlmixProperties p = context.getBean(LlmixProperties.class);
                    assertThat(p.getKeys().get("openai")).hasSize(2);
                    assertThat(p.toString()).doesNotContain("abcdefghijklmnop").doesNotContain("zyxwvutsrqpo")
                            .contains("sk-…1234").contains("sk-…9876");
                });
    }
}
