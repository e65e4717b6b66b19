package dev.llmix.spring.autoconfigure;

import dev.llmix.client.PresetResolver;
import dev.llmix.config.ConfigDirs;
import dev.llmix.config.LlmConfigException;
import dev.llmix.config.mda.MdaLoadOptions;
import dev.llmix.config.mda.MdaPresetLoader;
import dev.llmix.config.registry.ConfigRegistryManager;
import dev.llmix.config.registry.ConfigRegistryOpenOptions;
import dev.llmix.spring.autoconfigure.diagnostics.PresetSourceUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The preset source behind {@link PresetResolver}: a {@link ConfigRegistryManager} over the published registry
 * ({@code llmix.config.mode=registry}, the default) or an {@link MdaPresetLoader} over {@code <root>/source}
 * ({@code source}). Backs off when the application defines its own {@code PresetResolver}. Opening fails start-up with
 * a {@link PresetSourceUnavailableException} naming the directory.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnMissingBean(PresetResolver.class)
final class LlmixPresetSourceConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "llmix.config", name = "mode", havingValue = "registry", matchIfMissing = true)
    ConfigRegistryManager llmixConfigRegistryManager(LlmixProperties properties, Environment environment) {
        Path root = root(properties, environment);
        if (!Files.isDirectory(root)) {
            throw new PresetSourceUnavailableException("registry", root, "the directory does not exist", null);
        }
        try {
            return ConfigRegistryManager.open(root, ConfigRegistryOpenOptions.builder()
                    .refreshInterval(properties.getConfig().getRefreshInterval())
                    .build());
        } catch (LlmConfigException e) {
            throw new PresetSourceUnavailableException("registry", root, e.getMessage(), e);
        }
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "llmix.config", name = "mode", havingValue = "source")
    MdaPresetLoader llmixMdaPresetLoader(LlmixProperties properties, Environment environment) {
        Path root = root(properties, environment);
        Path source = root.resolve("source");
        if (!Files.isDirectory(source)) {
            throw new PresetSourceUnavailableException("source", root,
                    "the directory " + source + " does not exist", null);
        }
        return MdaPresetLoader.create(source, MdaLoadOptions.DEFAULTS);
    }

    @Bean
    PresetResolver llmixPresetResolver(LlmixProperties properties, ObjectProvider<ConfigRegistryManager> registry,
            ObjectProvider<MdaPresetLoader> sources) {
        if (properties.getConfig().getMode() == PresetSourceMode.SOURCE) {
            return sources.getObject()::loadConfigPreset;
        }
        return registry.getObject()::getPreset;
    }

    /** {@code llmix.config.root} made absolute, or the spec's default resolution (LLMIX_CONFIG_DIR, config/llm). */
    static Path root(LlmixProperties properties, Environment environment) {
        String root = properties.getConfig().getRoot();
        return ConfigDirs.resolve(root == null ? null : Path.of(root), null, environment::getProperty).configDir();
    }
}
