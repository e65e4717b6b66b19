package dev.llmix.spring.actuate;

import dev.llmix.config.mda.MdaPresetLoader;
import dev.llmix.config.registry.ConfigRegistryManager;
import dev.llmix.config.registry.ConfigRegistryStatus;
import dev.llmix.spring.autoconfigure.LlmixProperties;
import dev.llmix.spring.autoconfigure.ResourcePresetSource;
import java.nio.file.Path;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;

/**
 * The default {@code presets} section, from the source that really serves presets: the Config Registry manager's
 * status, else {@code source} with the class path location or the directory of the LLMix preset source, else (the
 * application's own resolver) the configured mode and root ({@code llmix.config.root}, {@code LLMIX_CONFIG_DIR}, else
 * {@code config/llm}).
 */
final class ConfiguredPresets implements PresetsStatusProvider {

    private final ObjectProvider<ConfigRegistryManager> registry;
    private final @Nullable LlmixProperties properties;
    private final Environment environment;
    private final @Nullable ObjectProvider<ResourcePresetSource> packaged;
    private final @Nullable ObjectProvider<MdaPresetLoader> directory;

    ConfiguredPresets(ObjectProvider<ConfigRegistryManager> registry, @Nullable LlmixProperties properties,
            Environment environment) {
        this(registry, null, null, properties, environment);
    }

    ConfiguredPresets(ObjectProvider<ConfigRegistryManager> registry,
            @Nullable ObjectProvider<ResourcePresetSource> packaged, @Nullable ObjectProvider<MdaPresetLoader> directory,
            @Nullable LlmixProperties properties, Environment environment) {
        this.registry = registry;
        this.packaged = packaged;
        this.directory = directory;
        this.properties = properties;
        this.environment = environment;
    }

    @Override
    public LlmixReport.Presets presets() {
        ConfigRegistryManager m = registry.getIfAvailable();
        if (m != null) {
            return of(m);
        }
        ResourcePresetSource resources = packaged == null ? null : packaged.getIfAvailable();
        if (resources != null) {
            return new LlmixReport.Presets("source", resources.location(), null, null, null);
        }
        MdaPresetLoader loader = directory == null ? null : directory.getIfAvailable();
        if (loader != null) {
            // The loader reads <root>/source; the section shows the root, as for a registry.
            Path source = loader.configDir();
            Path root = source.getParent() == null ? source : source.getParent();
            return new LlmixReport.Presets("source", root.toString(), null, null, null);
        }
        String root = properties == null ? null : properties.getConfig().getRoot();
        if (root == null) {
            String env = environment.getProperty("LLMIX_CONFIG_DIR");
            root = env == null || env.isBlank() ? "config/llm" : env;
        }
        String mode = properties == null ? null : properties.getConfig().getMode().name().toLowerCase(Locale.ROOT);
        if (root.strip().startsWith("classpath") && !environment.containsProperty("llmix.config.mode")) {
            // A class path root is served in source mode unless a mode is set (docs/presets.md).
            mode = "source";
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
