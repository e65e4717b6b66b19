package dev.llmix.testsupport;

import dev.llmix.pipeline.PipelineConfig;
import java.nio.file.Path;

/** Pipeline settings shared by the pipeline tests of every module. */
public final class PipelineFixtures {

    private PipelineFixtures() {
    }

    /**
     * A deterministic pipeline: no retries, 1 ms back-off without jitter, its own state directory and an empty
     * environment (so no {@code LLM_GLOBAL_CONCURRENCY} or key variable of the machine leaks in).
     */
    public static PipelineConfig.Builder deterministic(Path stateDir) {
        return PipelineConfig.builder()
                .maxRetries(0)
                .retryBaseMs(1)
                .retryMaxDelayMs(1)
                .retryJitterMs(0)
                .jitterRandom(() -> 0)
                .stateDir(stateDir)
                .env(name -> null);
    }
}
