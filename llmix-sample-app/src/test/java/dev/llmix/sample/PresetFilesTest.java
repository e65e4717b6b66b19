package dev.llmix.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.config.CachingStrategy;
import dev.llmix.config.LlmConfig;
import dev.llmix.config.mda.MdaLoadOptions;
import dev.llmix.config.mda.MdaPresetLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The sample's own presets are valid {@code .mda} files that the core loader accepts. */
class PresetFilesTest {

    private static final Path CONFIG_DIR = Path.of("config/llm");

    private static LlmConfig load(String preset) {
        return MdaPresetLoader.loadSourcePreset(CONFIG_DIR, "demo", preset,
                MdaLoadOptions.DEFAULTS);
    }

    @Test
    void chatPresetIsCachedInMemoryOrRedis() {
        LlmConfig config = load("chat");
        assertThat(config.provider()).isEqualTo("openai");
        assertThat(config.cachingStrategy()).isEqualTo(CachingStrategy.REDIS_OR_MEMORY);
    }

    @Test
    void freshPresetIsNeverCached() {
        assertThat(load("fresh").cachingStrategy()).isEqualTo(CachingStrategy.DISABLED);
    }

    @Test
    void thinkingPresetKeepsThinkingOutput() {
        assertThat(load("thinking").commonOrEmpty().keepsThinkingOutput()).isTrue();
    }
}
