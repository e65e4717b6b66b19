package dev.llmix.spring.autoconfigure;

/** Where {@code LlmixClient} reads presets from ({@code llmix.config.mode}). */
public enum PresetSourceMode {
    /** Published revisions of the config registry ({@code current.json} → {@code compiled/<rev>/}), hot-switched. */
    REGISTRY,
    /** The editable {@code .mda} files under {@code <root>/source/<module>/<preset>.mda}, read on every lookup. */
    SOURCE
}
