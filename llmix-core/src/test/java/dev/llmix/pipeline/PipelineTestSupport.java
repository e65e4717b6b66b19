package dev.llmix.pipeline;

import dev.llmix.testsupport.PipelineFixtures;
import dev.llmix.spi.CallInput;
import dev.llmix.spi.DispatchFunction;
import dev.llmix.config.CommonParams;
import dev.llmix.config.LlmConfig;
import dev.llmix.keys.KeyPool;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The defaults of pipeline.md §14: no retries, 1 ms back-off without jitter, an empty environment, a private state
 * directory, a key pool {@code ["test-key"]} for {@code openai}, and the config {@code openai / gpt-4, temperature 0.7}.
 */
abstract class PipelineTestSupport {

    static final LlmConfig CONFIG = LlmConfig.builder("openai", "gpt-4")
            .common(CommonParams.builder().temperature(0.7).build())
            .build();
    static final List<Map<String, Object>> HI = List.of(Map.of("role", "user", "content", "hi"));

    @TempDir
    Path stateDir;

    private final List<CallPipeline> pipelines = new ArrayList<>();

    @AfterEach
    void closePipelines() {
        pipelines.forEach(CallPipeline::close);
    }

    PipelineConfig.Builder options() {
        return PipelineFixtures.deterministic(stateDir);
    }

    CallPipeline pipeline(PipelineConfig.Builder options, DispatchFunction dispatch) {
        CallPipeline p = new CallPipeline(options.build(), dispatch);
        pipelines.add(p);
        p.setKeyPool("openai", new KeyPool(List.of("test-key")));
        return p;
    }

    CallPipeline pipeline(DispatchFunction dispatch) {
        return pipeline(options(), dispatch);
    }

    static CallInput input(LlmConfig config) {
        return CallInput.of(config, HI);
    }

    static CallInput input() {
        return input(CONFIG);
    }

    static LlmConfig.Builder config() {
        return CONFIG.toBuilder();
    }

    static CommonParams.Builder common() {
        return CONFIG.commonOrEmpty().toBuilder();
    }
}
