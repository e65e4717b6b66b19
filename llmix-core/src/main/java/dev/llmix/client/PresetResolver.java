package dev.llmix.client;

import dev.llmix.config.LlmConfig;

/**
 * Looks up a preset by module and preset name, e.g. {@code ("chat", "reply")}. Implementations adapt a published config
 * registry or a directory of {@code .mda} source files; they throw the config exceptions of {@code dev.llmix.config}
 * for unknown or invalid presets.
 */
@FunctionalInterface
public interface PresetResolver {

    /** Returns the resolved preset {@code <module>/<preset>}; never {@code null}. */
    LlmConfig resolve(String module, String preset);
}
