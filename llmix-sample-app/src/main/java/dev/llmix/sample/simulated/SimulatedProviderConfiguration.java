package dev.llmix.sample.simulated;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.random.RandomGenerator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Makes the {@link SimulatedProvider} the pipeline's dispatch function unless {@code sample.simulated.enabled=false},
 * in which case the starter's real HTTP adapters answer instead.
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
}
