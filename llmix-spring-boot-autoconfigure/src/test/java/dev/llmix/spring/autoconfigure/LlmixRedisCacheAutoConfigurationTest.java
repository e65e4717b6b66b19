package dev.llmix.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.testsupport.InMemoryResponseCacheStore;
import dev.llmix.spi.ResponseCacheStore;
import dev.llmix.cache.TwoTierCache;
import dev.llmix.client.PresetResolver;
import dev.llmix.config.CachingStrategy;
import dev.llmix.config.LlmConfig;
import dev.llmix.spi.DispatchFunction;
import dev.llmix.spring.redis.RedisResponseCacheStore;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/** Redis present or absent, and what each cache strategy makes of it. No server is contacted: L2 connects lazily. */
@ExtendWith(OutputCaptureExtension.class)
class LlmixRedisCacheAutoConfigurationTest {

    @TempDir
    Path stateDir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
                        LlmixProviderAdapterAutoConfiguration.class, LlmixRedisCacheAutoConfiguration.class,
                        LlmixAutoConfiguration.class))
                .withBean(DispatchFunction.class, () -> ctx -> new CompletableFuture<>())
                .withBean(PresetResolver.class, () -> (m, p) -> LlmConfig.builder("openai", "gpt-test").build())
                .withPropertyValues("llmix.kill-switch.state-dir=" + stateDir,
                        "spring.data.redis.url=redis://127.0.0.1:1");
    }

    @Test
    void redisStrategyWithRedisBuildsTheL2StoreOnBootsConnectionFactory() {
        runner().withPropertyValues("llmix.cache.strategy=redis").run(context -> {
            assertThat(context).hasSingleBean(RedisConnectionFactory.class)
                    .hasSingleBean(RedisResponseCacheStore.class);
            TwoTierCache cache = context.getBean(TwoTierCache.class);
            assertThat(cache.stats().strategy()).isEqualTo(CachingStrategy.REDIS);
            assertThat(cache.stats().l2Enabled()).isTrue();
        });
    }

    @Test
    void l2UsesAnIsolatedConnectionByDefault() {
        runner().withPropertyValues("llmix.cache.strategy=redis").run(context ->
                assertThat(context.getBean(RedisResponseCacheStore.class).ownsConnection()).isTrue());
    }

    @Test
    void l2CanShareTheApplicationsConnection() {
        runner().withPropertyValues("llmix.cache.strategy=redis", "llmix.cache.isolated-redis-connection=false")
                .run(context -> assertThat(context.getBean(RedisResponseCacheStore.class).ownsConnection()).isFalse());
    }

    @Test
    void redisOrMemoryWithRedisUsesL2() {
        runner().withPropertyValues("llmix.cache.strategy=redis-or-memory").run(context -> {
            assertThat(context).hasSingleBean(RedisResponseCacheStore.class);
            assertThat(context.getBean(TwoTierCache.class).stats().l2Enabled()).isTrue();
            assertThat(context.getBean(TwoTierCache.class).stats().strategy())
                    .isEqualTo(CachingStrategy.REDIS_OR_MEMORY);
        });
    }

    @Test
    void memoryStrategyLeavesRedisAlone() {
        runner().run(context -> {
            assertThat(context).doesNotHaveBean(RedisResponseCacheStore.class);
            assertThat(context.getBean(TwoTierCache.class).stats().l2Enabled()).isFalse();
        });
    }

    @Test
    void redisStrategyWithoutSpringDataRedisFailsWithAnExplanation() {
        runner().withClassLoader(new FilteredClassLoader(RedisConnectionFactory.class))
                .withPropertyValues("llmix.cache.strategy=redis").run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("Spring Data Redis is not on the class path");
                    assertThat(analysis.getAction()).contains("spring-boot-starter-data-redis")
                            .contains("llmix.cache.strategy=redis-or-memory");
                });
    }

    @Test
    void redisStrategyWithoutConnectionFactoryFailsWithAnExplanation() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LlmixProviderAdapterAutoConfiguration.class,
                        LlmixRedisCacheAutoConfiguration.class, LlmixAutoConfiguration.class))
                .withBean(DispatchFunction.class, () -> ctx -> new CompletableFuture<>())
                .withBean(PresetResolver.class, () -> (m, p) -> LlmConfig.builder("openai", "gpt-test").build())
                .withPropertyValues("llmix.kill-switch.state-dir=" + stateDir, "llmix.cache.strategy=redis")
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("no RedisConnectionFactory bean is available");
                    assertThat(analysis.getAction()).contains("spring.data.redis.url");
                });
    }

    @Test
    void redisOrMemoryWithoutSpringDataRedisWarnsOnceAndUsesL1Only(CapturedOutput output) {
        runner().withClassLoader(new FilteredClassLoader(RedisConnectionFactory.class))
                .withPropertyValues("llmix.cache.strategy=redis-or-memory").run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(RedisResponseCacheStore.class);
                    assertThat(context.getBean(TwoTierCache.class).stats().strategy())
                            .isEqualTo(CachingStrategy.MEMORY);
                    assertThat(context.getBean(TwoTierCache.class).stats().l2Enabled()).isFalse();
                });
        assertThat(output.getOut().split("degrading to L1 only", -1)).hasSize(2);
    }

    @Test
    void userResponseCacheStoreWins() {
        ResponseCacheStore mine = new InMemoryResponseCacheStore();
        runner().withPropertyValues("llmix.cache.strategy=redis").withBean(ResponseCacheStore.class, () -> mine)
                .run(context -> {
                    assertThat(context).doesNotHaveBean(RedisResponseCacheStore.class);
                    assertThat(context.getBean(ResponseCacheStore.class)).isSameAs(mine);
                });
    }
}
