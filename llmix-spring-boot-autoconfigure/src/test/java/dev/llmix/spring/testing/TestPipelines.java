package dev.llmix.spring.testing;

import dev.llmix.cache.TwoTierCache;
import dev.llmix.config.CachingStrategy;
import dev.llmix.config.LlmConfig;
import dev.llmix.keys.KeyPool;
import dev.llmix.spi.CallInput;
import dev.llmix.spi.CallListener;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.spi.KillSwitchGate;
import dev.llmix.pipeline.PipelineConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Real {@link CallPipeline}s over a {@link ScriptedLlm}, with the suite's test keys for {@code openai}. */
public final class TestPipelines {

    /** A cached preset ({@code memory}) for openai / gpt-4. */
    public static final LlmConfig CACHED = LlmConfig.builder("openai", "gpt-4").caching(CachingStrategy.MEMORY).build();
    /** An uncached preset for openai / gpt-4. */
    public static final LlmConfig UNCACHED = LlmConfig.builder("openai", "gpt-4").build();

    private TestPipelines() {
    }

    /** Options without retries, with a 1-threshold breaker and a long cooldown, in {@code stateDir}. */
    public static PipelineConfig.Builder options(Path stateDir) {
        return PipelineConfig.builder()
                .maxRetries(0)
                .retryBaseMs(1)
                .retryMaxDelayMs(1)
                .retryJitterMs(0)
                .circuitBreakerThreshold(1)
                .circuitBreakerCooldown(Duration.ofMinutes(10))
                .stateDir(stateDir)
                .env(name -> null);
    }

    /** A pipeline with an L1 cache, the listener and gate given (either may be null), and the test keys. */
    public static CallPipeline pipeline(Path stateDir, ScriptedLlm llm, @Nullable CallListener listener,
            @Nullable KillSwitchGate gate) {
        PipelineConfig config = options(stateDir)
                .responseCache(TwoTierCache.builder().maxItems(100).build())
                .callListener(listener)
                .killSwitchGate(gate)
                .build();
        CallPipeline p = new CallPipeline(config, llm);
        p.setKeyPool("openai", new KeyPool(ScriptedLlm.TEST_KEYS));
        return p;
    }

    /** One user message with this text. */
    public static CallInput input(LlmConfig config, String text) {
        return CallInput.of(config, List.of(Map.of("role", "user", "content", text)));
    }
}
