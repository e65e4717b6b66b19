package dev.llmix.spring.autoconfigure;

import dev.llmix.client.PresetResolver;
import dev.llmix.config.ConfigAccessException;
import dev.llmix.internal.config.ConfigNames;
import dev.llmix.config.ConfigNotFoundException;
import dev.llmix.config.InvalidConfigException;
import dev.llmix.config.LlmConfig;
import dev.llmix.config.mda.LlmixProjectValidator;
import dev.llmix.config.mda.MdaLoadOptions;
import dev.llmix.config.mda.MdaPresetLoader;
import dev.llmix.config.mda.MdaSource;
import dev.llmix.config.mda.MdaSourceLoader;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.io.support.ResourcePatternResolver;
import org.springframework.util.ClassUtils;

/**
 * Presets read through Spring's resource abstraction from {@code <location>/source/<module>/<preset>.mda}, for a
 * {@code classpath:} root such as presets packaged in the application's jar ({@code llmix.config.mode=source}). Class
 * path resources do not change while the application runs, so each preset is parsed once and then served from memory.
 * The auto-configured {@link PresetResolver} delegates to {@link #resolve(String, String)}. Thread-safe.
 */
public final class ResourcePresetSource {

    private final ResourcePatternResolver resources;
    private final String location;
    private final ConcurrentHashMap<String, LlmConfig> loaded = new ConcurrentHashMap<>();

    /**
     * A source over {@code location}, e.g. {@code classpath:config/llm}.
     *
     * @param resources resolves {@code location} and its patterns (the application context)
     */
    public ResourcePresetSource(ResourcePatternResolver resources, String location) {
        // Bound to the class loader seen now: a resolver that falls back to the thread's context class loader would
        // not see the jar's classes from the pool threads that validate presets in parallel.
        ClassLoader loader = Objects.requireNonNull(resources, "resources").getClassLoader();
        this.resources = new PathMatchingResourcePatternResolver(
                loader != null ? loader : ClassUtils.getDefaultClassLoader());
        this.location = Objects.requireNonNull(location, "location");
    }

    /** The root location, e.g. {@code classpath:config/llm}. */
    public String location() {
        return location;
    }

    /**
     * The preset {@code <module>/<preset>}.
     *
     * @throws ConfigNotFoundException when there is no such file
     * @throws InvalidConfigException  when it does not parse or validate
     */
    public LlmConfig resolve(String module, String preset) {
        ConfigNames.validateModule(module);
        ConfigNames.validatePreset(preset);
        String name = module + "/" + preset;
        LlmConfig config = loaded.get(name);
        if (config != null) {
            return config;
        }
        config = load(resources.getResource(location + "/source/" + name + ".mda"),
                location + "/source/" + name + ".mda");
        LlmConfig previous = loaded.putIfAbsent(name, config);
        return previous != null ? previous : config;
    }

    /** Every {@code <module>/<preset>.mda} under {@code <location>/source}, ordered by module and preset. */
    public List<PresetFile> list() {
        List<PresetFile> out = new ArrayList<>();
        try {
            for (Resource r : resources.getResources(location + "/source/*/*.mda")) {
                String url = r.getURL().toString();
                String[] parts = url.split("/");
                if (parts.length < 2) {
                    continue;
                }
                String module = parts[parts.length - 2];
                String file = parts[parts.length - 1];
                String preset = file.substring(0, file.length() - ".mda".length());
                out.add(new PresetFile(module, preset, location + "/source/" + module + "/" + file));
            }
        } catch (IOException e) {
            throw new ConfigAccessException("Cannot list presets under " + location + "/source: " + e.getMessage(),
                    e);
        }
        out.sort(Comparator.comparing(PresetFile::module).thenComparing(PresetFile::preset));
        return out;
    }

    /** The text of a listed preset file, for diagnostics. */
    String text(PresetFile file) {
        return new String(read(resources.getResource(file.location()), file.location()),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Parses and validates one resource as an {@code .mda} preset, named {@code source} in messages. */
    static LlmConfig load(Resource resource, String source) {
        byte[] bytes = read(resource, source);
        MdaSource mda = MdaSourceLoader.load(bytes, source, MdaLoadOptions.DEFAULTS, LlmixProjectValidator.INSTANCE);
        return MdaPresetLoader.project(mda.frontmatter(), source);
    }

    private static byte[] read(Resource resource, String source) {
        if (!resource.exists()) {
            throw new ConfigNotFoundException("Config file not found: " + source);
        }
        try (InputStream in = resource.getInputStream()) {
            byte[] bytes = in.readNBytes(MdaSourceLoader.MAX_FILE_BYTES + 1);
            if (bytes.length > MdaSourceLoader.MAX_FILE_BYTES) {
                throw new InvalidConfigException("Config file " + source + " is larger than "
                        + MdaSourceLoader.MAX_FILE_BYTES + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw new ConfigAccessException("Cannot read config file " + source + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "ResourcePresetSource[" + location + "]";
    }

    /**
     * One preset file found under the source root.
     *
     * @param module   the module directory's name
     * @param preset   the file name without {@code .mda}
     * @param location the file's location as shown in messages
     */
    public record PresetFile(String module, String preset, String location) {
    }
}
