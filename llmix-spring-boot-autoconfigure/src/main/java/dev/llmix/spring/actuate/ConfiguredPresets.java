package dev.llmix.spring.actuate;

import dev.llmix.config.registry.ConfigRegistryManager;
import dev.llmix.config.registry.ConfigRegistryStatus;
import dev.llmix.spring.autoconfigure.LlmixProperties;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;

/**
 * The default {@code presets} section: the Config Registry manager's status when one serves presets, otherwise the
 * configured mode ({@code llmix.config.mode}) and root ({@code llmix.config.root}, {@code LLMIX_CONFIG_DIR}, else
 * {@code config/llm}).
 */
final class ConfiguredPresets implements PresetsStatusProvider {

    private final ObjectProvider<ConfigRegistryManager> registry;
    private final @Nullable LlmixProperties properties;
    private final Environment environment;

    ConfiguredPresets(ObjectProvider<ConfigRegistryManager> registry, @Nullable LlmixProperties properties,
            Environment environment) {
        this.registry = registry;
        this.properties = properties;
        this.environment = environment;
    }

    @Override
    public LlmixReport.Presets presets() {
        ConfigRegistryManager m = registry.getIfAvailable();
        if (m != null) {
            return of(m);
        }
        String mode = properties == null ? null : properties.getConfig().getMode().name().toLowerCase(Locale.ROOT);
        String root = properties == null ? null : properties.getConfig().getRoot();
        if (root == null) {
            String env = environment.getProperty("LLMIX_CONFIG_DIR");
            root = env == null || env.isBlank() ? "config/llm" : env;
        }
        return new LlmixReport.Presets(mode, root, null, null, null);
    }

    /** The section for a Config Registry: its root, active revision, last successful reload and last error. */
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
