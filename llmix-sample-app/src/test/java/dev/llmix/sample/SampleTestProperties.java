package dev.llmix.sample;

import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Properties every sample test uses: a private kill-switch directory and an instant simulated provider. */
final class SampleTestProperties {

    private SampleTestProperties() {
    }

    static void register(DynamicPropertyRegistry registry, Path stateDir) {
        // Never touch the developer's real kill switch (~/.local/state/llmix/killswitch).
        registry.add("llmix.kill-switch.state-dir", stateDir::toString);
        registry.add("sample.simulated.min-latency-ms", () -> "0");
        registry.add("sample.simulated.max-latency-ms", () -> "20");
    }
}
