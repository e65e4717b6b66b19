package dev.llmix.spring.autoconfigure;

import dev.llmix.client.PresetResolver;
import dev.llmix.config.ConfigDirs;
import dev.llmix.config.LlmConfigException;
import dev.llmix.config.mda.MdaLoadOptions;
import dev.llmix.config.mda.MdaPresetLoader;
import dev.llmix.config.registry.ConfigRegistryManager;
import dev.llmix.config.registry.ConfigRegistryOpenOptions;
import dev.llmix.spring.autoconfigure.diagnostics.InvalidLlmixConfigurationException;
import dev.llmix.spring.autoconfigure.diagnostics.PresetSourceUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.io.support.ResourcePatternUtils;

/**
 * The preset source behind {@link PresetResolver}: a {@link ConfigRegistryManager} over the published registry
 * ({@code llmix.config.mode=registry}, the default) or an {@link MdaPresetLoader} over {@code <root>/source}
 * ({@code source}), or a {@link ResourcePresetSource} for a {@code classpath:} root in source mode (the mode a class
 * path root gets by default). Backs off when the application defines its own {@code PresetResolver}. Opening fails
 * start-up with a {@link PresetSourceUnavailableException} naming the directory; registry mode over a class path root
 * fails with an {@link InvalidLlmixConfigurationException} (a registry is hot-switched, so it needs a directory).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnMissingBean(PresetResolver.class)
final class LlmixPresetSourceConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @Conditional(PresetSourceCondition.Registry.class)
    ConfigRegistryManager llmixConfigRegistryManager(LlmixProperties properties, Environment environment,
            ResourceLoader resourceLoader) {
        PresetLocation location = PresetLocation.resolve(environment, resourceLoader);
        if (location.classpath() != null) {
            throw new InvalidLlmixConfigurationException("llmix.config.mode",
                    "registry mode needs a real directory, and llmix.config.root is the class path location "
                            + location.classpath() + ": the registry hot-switches published revisions by watching "
                            + "current.json, which a jar cannot provide",
                    "Set 'llmix.config.mode=source' to serve the .mda files packaged under " + location.classpath()
                            + "/source, or point 'llmix.config.root' at a directory (e.g. file:/etc/llm) that holds "
                            + "a published registry.", null);
        }
        Path root = location.directory();
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
    @Conditional(PresetSourceCondition.SourceDirectory.class)
    MdaPresetLoader llmixMdaPresetLoader(Environment environment, ResourceLoader resourceLoader) {
        Path root = PresetLocation.resolve(environment, resourceLoader).directory();
        Path source = root.resolve("source");
        if (!Files.isDirectory(source)) {
            throw new PresetSourceUnavailableException("source", root,
                    "the directory " + source + " does not exist", null);
        }
        return MdaPresetLoader.create(source, MdaLoadOptions.DEFAULTS);
    }

    @Bean
    @ConditionalOnMissingBean
    @Conditional(PresetSourceCondition.SourceClasspath.class)
    ResourcePresetSource llmixResourcePresetSource(Environment environment, ResourceLoader resourceLoader) {
        String location = PresetLocation.resolve(environment, resourceLoader).classpath();
        ResourcePresetSource source = new ResourcePresetSource(
                ResourcePatternUtils.getResourcePatternResolver(resourceLoader), location);
        if (source.list().isEmpty()) {
            throw new PresetSourceUnavailableException("source", Path.of(location),
                    "no <module>/<preset>.mda file under " + location + "/source", null);
        }
        return source;
    }

    @Bean
    PresetResolver llmixPresetResolver(ObjectProvider<ConfigRegistryManager> registry,
            ObjectProvider<MdaPresetLoader> sources, ObjectProvider<ResourcePresetSource> resources) {
        MdaPresetLoader directory = sources.getIfAvailable();
        if (directory != null) {
            return directory::loadConfigPreset;
        }
        ResourcePresetSource packaged = resources.getIfAvailable();
        if (packaged != null) {
            return packaged::resolve;
        }
        return registry.getObject()::getPreset;
    }

    /** {@code llmix.config.root} made absolute, or the spec's default resolution (LLMIX_CONFIG_DIR, config/llm). */
    static Path root(LlmixProperties properties, Environment environment) {
        String root = properties.getConfig().getRoot();
        return ConfigDirs.resolve(root == null ? null : Path.of(root), null, environment::getProperty).configDir();
    }
}
