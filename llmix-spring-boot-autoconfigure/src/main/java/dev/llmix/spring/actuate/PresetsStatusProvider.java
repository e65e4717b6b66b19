package dev.llmix.spring.actuate;

/**
 * Supplies the {@code presets} section of the {@code llmix} endpoint. Auto-configured from the Config Registry manager
 * when there is one; declare a bean to replace it.
 */
@FunctionalInterface
public interface PresetsStatusProvider {

    /** The current presets status; must not block for long. */
    LlmixReport.Presets presets();
}
