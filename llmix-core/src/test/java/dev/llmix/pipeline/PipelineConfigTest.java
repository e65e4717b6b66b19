package dev.llmix.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmix.cache.TwoTierCache;
import dev.llmix.spi.TransformKwargsCallback;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PipelineConfigTest {

    @Test
    void theOwnedExecutorHasMaxOfFourAndTwiceTheCoresThreadsUnlessConfigured() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertThat(PipelineConfig.defaults().executorThreads()).isEqualTo(Math.max(4, 2 * cores));
        assertThat(PipelineConfig.builder().executorThreads(3).build().executorThreads()).isEqualTo(3);
        assertThatThrownBy(() -> PipelineConfig.builder().executorThreads(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("executorThreads must be >= 0");
    }

    @Test
    void defaultsMatchTheOtherBindings() {
        PipelineConfig c = PipelineConfig.defaults();
        assertThat(c.maxRetries()).isEqualTo(3);
        assertThat(c.retryBaseMs()).isEqualTo(1000);
        assertThat(c.retryMaxDelayMs()).isEqualTo(30_000);
        assertThat(c.retryJitterMs()).isEqualTo(1000);
        assertThat(c.retryMaxRetryAfterMs()).isEqualTo(60_000);
        assertThat(c.circuitBreakerThreshold()).isEqualTo(3);
        assertThat(c.circuitBreakerCooldown()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.permittedHalfOpenCalls()).isEqualTo(10);
        assertThat(c.semaphoreInitial()).isEqualTo(32);
        assertThat(c.semaphoreMin()).isEqualTo(4);
        assertThat(c.stateDir()).isNull();
        assertThat(c.transformKwargsOverrides()).isEmpty();
        assertThat(c.responseCache()).isNull();
        assertThat(c.closeResponseCache()).isTrue();
        assertThat(c.cacheKeyPrefix()).isEqualTo("llmix:resp:");
        assertThat(c.defaultCallTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(c.scheduler()).isNull();
        assertThat(c.executor()).isNull();
        assertThat(c.sleeper()).isNull();
        assertThat(c.circuitBreakerConfig().failureThreshold()).isEqualTo(3);
        assertThat(c.circuitBreakerConfig().permittedHalfOpenCalls()).isEqualTo(10);
        assertThat(c.retryPolicy().maxRetries()).isEqualTo(3);
    }

    @Test
    void toBuilderKeepsEveryOption() {
        TwoTierCache cache = TwoTierCache.builder().build();
        PipelineConfig c = PipelineConfig.builder().maxRetries(1).retryBaseMs(2).retryMaxDelayMs(3).retryJitterMs(4)
                .retryMaxRetryAfterMs(5).circuitBreakerThreshold(6).circuitBreakerCooldown(Duration.ofSeconds(7))
                .permittedHalfOpenCalls(8).semaphoreInitial(9).semaphoreMin(2).stateDir(Path.of("/tmp/x"))
                .transformKwargsOverride("openai", TransformKwargsCallback.none()).responseCache(cache)
                .closeResponseCache(false).cacheKeyPrefix("p:").defaultCallTimeout(Duration.ofSeconds(11)).build();
        PipelineConfig copy = c.toBuilder().build();
        assertThat(copy.toString()).isEqualTo(c.toString());
        assertThat(copy.responseCache()).isSameAs(cache);
        assertThat(copy.transformKwargsOverrides()).containsOnlyKeys("openai");
    }

    @Test
    void overridesMapIsImmutable() {
        PipelineConfig c = PipelineConfig.builder().transformKwargsOverride("x", TransformKwargsCallback.none())
                .build();
        assertThatThrownBy(() -> c.transformKwargsOverrides().clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void semaphoreOptionsAreValidatedWithTheLimiterMessages() {
        assertThatThrownBy(() -> PipelineConfig.builder().semaphoreInitial(0).build())
                .hasMessage("initial must be >= 1");
        assertThatThrownBy(() -> PipelineConfig.builder().semaphoreMin(0).build())
                .hasMessage("minConcurrency must be >= 1");
        assertThatThrownBy(() -> PipelineConfig.builder().semaphoreInitial(2).build())
                .hasMessage("minConcurrency must be <= initial");
        assertThat(PipelineConfig.builder().semaphoreInitial(2).semaphoreMin(2).build().semaphoreInitial())
                .isEqualTo(2);
    }

    @Test
    void retryOptionsAreValidatedWithTheRetryPolicyMessages() {
        assertThatThrownBy(() -> PipelineConfig.builder().maxRetries(-1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxRetries must be a non-negative integer, got -1");
        assertThatThrownBy(() -> PipelineConfig.builder().retryBaseMs(Double.NaN).build())
                .hasMessage("baseMs must be a non-negative finite number, got NaN");
        assertThatThrownBy(() -> PipelineConfig.builder().retryJitterMs(-1).build())
                .hasMessage("jitterMs must be a non-negative finite number, got -1");
        assertThat(PipelineConfig.builder().maxRetries(0).retryBaseMs(0).retryMaxDelayMs(0).retryJitterMs(0)
                .retryMaxRetryAfterMs(0).build().maxRetries()).isZero();
    }

    @Test
    void negativeCooldownAndNonPositiveTimeoutAreRejected() {
        assertThatThrownBy(() -> PipelineConfig.builder().circuitBreakerCooldown(Duration.ofMillis(-1)).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PipelineConfig.builder().defaultCallTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void composedRetryBreakerAndLimiterConfigsSetTheSameOptionsAsTheFlatForm() {
        PipelineConfig c = PipelineConfig.builder()
                .retry(dev.llmix.resilience.RetryPolicy.builder().maxRetries(5).baseMs(200).maxDelayMs(4000)
                        .jitterMs(0).maxRetryAfterMs(9000).build())
                .breaker(new dev.llmix.resilience.CircuitBreakerConfig(7, Duration.ofSeconds(11), 2))
                .limiter(new dev.llmix.limiter.LimiterConfig(16, 2))
                .build();
        assertThat(c.retry().maxRetries()).isEqualTo(5);
        assertThat(c.retry().baseMs()).isEqualTo(200);
        assertThat(c.retry().maxDelayMs()).isEqualTo(4000);
        assertThat(c.retry().jitterMs()).isZero();
        assertThat(c.retry().maxRetryAfterMs()).isEqualTo(9000);
        assertThat(c.maxRetries()).isEqualTo(5);
        assertThat(c.breaker()).isEqualTo(new dev.llmix.resilience.CircuitBreakerConfig(7, Duration.ofSeconds(11), 2));
        assertThat(c.limiter()).isEqualTo(new dev.llmix.limiter.LimiterConfig(16, 2));
    }
}
