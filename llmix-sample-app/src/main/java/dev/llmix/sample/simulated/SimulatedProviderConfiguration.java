package dev.llmix.sample.simulated;

import dev.llmix.keys.KeyPool;
import dev.llmix.spring.autoconfigure.LlmixKeyPools;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.random.RandomGenerator;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Makes the {@link SimulatedProvider} the pipeline's dispatch function unless {@code sample.simulated.enabled=false},
 * in which case the starter's real HTTP adapters answer instead. The pipeline still wants a key pool per provider, so
 * this configuration also supplies two obviously fake keys for {@code openai}; real keys are never needed.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "sample.simulated.enabled", matchIfMissing = true)
@EnableConfigurationProperties(SimulatorProperties.class)
public class SimulatedProviderConfiguration {

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService simulatedProviderScheduler() {
        return Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "simulated-provider");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Bean
    SimulatedProvider simulatedProvider(SimulatorProperties properties, ScheduledExecutorService simulatedProviderScheduler) {
        return new SimulatedProvider(properties.toSettings(), simulatedProviderScheduler,
                RandomGenerator.of("L64X128MixRandom"), System::currentTimeMillis);
    }

    /** The simulated provider's streamed answers: word-sized deltas every {@code sample.simulated.chunk-delay-ms}. */
    @Bean
    SimulatedStreams simulatedStreams(SimulatedProvider simulatedProvider,
            ScheduledExecutorService simulatedProviderScheduler,
            @Value("${sample.simulated.chunk-delay-ms:30}") long chunkDelayMs) {
        return new SimulatedStreams(simulatedProvider, simulatedProviderScheduler, chunkDelayMs);
    }

    /**
     * Fake keys for the two vendors the simulator plays (openai, and anthropic as the fallback), so the dashboard has
     * key pools to show; the simulated provider never checks them.
     */
    @Bean
    LlmixKeyPools simulatedKeyPools() {
        return new LlmixKeyPools(Map.of("openai", new KeyPool(List.of("sim-key-not-secret-0001",
                "sim-key-not-secret-0002")), "anthropic", new KeyPool(List.of("sim-key-not-secret-0003"))));
    }
}
