package dev.llmix.spring.actuate;

import dev.llmix.config.registry.ConfigRegistryManager;
import dev.llmix.config.registry.ConfigRegistryStatus;

/** The {@code presets} section for a Config Registry. */
final class RegistryPresets {

    private RegistryPresets() {
    }

    static LlmixReport.Presets of(ConfigRegistryManager manager) {
        ConfigRegistryStatus s = manager.status();
        Throwable error = s.lastReloadError();
        String message = null;
        if (error != null) {
            message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        }
        return new LlmixReport.Presets("registry", manager.root().toString(), s.activeRevision(),
                LlmixEndpoint.iso(s.lastSuccessfulReloadAt()), message);
    }
}
