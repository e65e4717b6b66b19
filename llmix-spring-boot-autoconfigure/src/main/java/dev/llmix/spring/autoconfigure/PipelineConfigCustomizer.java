package dev.llmix.spring.autoconfigure;

import dev.llmix.pipeline.PipelineConfig;

/**
 * Tweaks the auto-configured {@link PipelineConfig} before it is built, e.g. to add kwargs transform overrides or test
 * clocks, without replacing the whole bean. Applied in {@code @Order} order after the {@code llmix.pipeline.*}
 * properties.
 */
@FunctionalInterface
public interface PipelineConfigCustomizer {

    void customize(PipelineConfig.Builder builder);
}
