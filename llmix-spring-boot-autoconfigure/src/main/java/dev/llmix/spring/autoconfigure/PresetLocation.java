package dev.llmix.spring.autoconfigure;

import dev.llmix.config.ConfigDirs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.io.support.ResourcePatternResolver;
import org.springframework.core.io.support.ResourcePatternUtils;

/**
 * Where presets are read from and how: {@code llmix.config.root} as a directory or a {@code classpath:} location, and
 * the effective {@code llmix.config.mode}. Decided from the environment alone so that the bean conditions and the beans
 * agree. Start-up only.
 *
 * @param directory the root directory, or {@code null} for a class path root
 * @param classpath the class path location without a trailing slash (e.g. {@code classpath:config/llm}), or
 *                  {@code null} for a directory root
 * @param mode      {@code llmix.config.mode} when set; otherwise {@code source} for a class path root (a jar cannot
 *                  hold a hot-switched registry) and {@code registry} for a directory
 */
record PresetLocation(@Nullable Path directory, @Nullable String classpath, PresetSourceMode mode) {

    static final String DEFAULT_CLASSPATH_ROOT = "classpath:config/llm";

    /** What the user sees: the absolute directory or the class path location. */
    String display() {
        return classpath != null ? classpath : String.valueOf(directory);
    }

    static PresetLocation resolve(Environment environment, ResourceLoader resourceLoader) {
        String root = environment.getProperty("llmix.config.root");
        String mode = environment.getProperty("llmix.config.mode");
        String classpath = null;
        Path directory = null;
        if (root != null && !root.isBlank() && root.strip().startsWith("classpath")) {
            classpath = trimSlash(root.strip().replaceFirst("^classpath\\*:", "classpath:"));
        } else if (root != null && !root.isBlank()) {
            String path = root.strip().startsWith("file:") ? root.strip().substring(5) : root.strip();
            directory = ConfigDirs.resolve(Path.of(path), null, environment::getProperty).configDir();
        } else {
            String env = environment.getProperty(ConfigDirs.ENV_VARIABLE);
            if ((env == null || env.isBlank()) && hasPackagedPresets(resourceLoader)) {
                classpath = DEFAULT_CLASSPATH_ROOT;
            } else {
                directory = ConfigDirs.resolve(null, null, environment::getProperty).configDir();
            }
        }
        PresetSourceMode effective;
        if (mode != null && !mode.isBlank()) {
            effective = PresetSourceMode.valueOf(mode.strip().replace('-', '_').toUpperCase(Locale.ROOT));
        } else {
            effective = classpath != null ? PresetSourceMode.SOURCE : PresetSourceMode.REGISTRY;
        }
        return new PresetLocation(directory, classpath, effective);
    }

    /** Whether the class path holds {@code config/llm/source/<module>/<preset>.mda} files. */
    private static boolean hasPackagedPresets(ResourceLoader resourceLoader) {
        ResourcePatternResolver resolver = ResourcePatternUtils.getResourcePatternResolver(resourceLoader);
        try {
            return resolver.getResources(DEFAULT_CLASSPATH_ROOT + "/source/*/*.mda").length > 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static String trimSlash(String s) {
        String out = s;
        while (out.endsWith("/")) {
            out = out.substring(0, out.length() - 1);
        }
        return out;
    }
}
