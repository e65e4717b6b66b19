package dev.llmix.config.mda;

import dev.llmix.config.ConfigAccessException;
import dev.llmix.config.ConfigDirs;
import dev.llmix.internal.config.ConfigNames;
import dev.llmix.config.ConfigNotFoundException;
import dev.llmix.config.ConfigSecurityException;
import dev.llmix.config.InvalidConfigException;
import dev.llmix.config.LlmConfig;
import dev.llmix.internal.config.LlmConfigJson;
import dev.llmix.internal.config.LlmConfigRules;
import dev.llmix.internal.config.PresetFieldsNotApplied;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Loads LLMix presets from {@code .mda} files: path rules (only {@code .mda}, legacy YAML refused, no traversal, no
 * symlink escape), the MDA source loader with the LLMix project rules, and the projection of
 * {@code metadata.snoai-llmix} into a validated {@link LlmConfig}. Static methods take explicit paths; an instance
 * is bound to a resolved config directory ({@link ConfigDirs}) and options.
 */
public final class MdaPresetLoader {

    private final Path configDir;
    private final MdaLoadOptions options;

    private MdaPresetLoader(Path configDir, MdaLoadOptions options) {
        this.configDir = configDir;
        this.options = options;
    }

    /** A loader over an explicit config directory. */
    public static MdaPresetLoader create(Path configDir, MdaLoadOptions options) {
        return new MdaPresetLoader(configDir.toAbsolutePath().normalize(), options);
    }

    /**
     * A loader over the config directory resolved from an optional explicit directory, then {@code LLMIX_CONFIG_DIR}
     * (via {@code env}), then {@code config/llm} under the project root.
     */
    public static MdaPresetLoader resolve(@Nullable Path explicitConfigDir, Function<String, @Nullable String> env,
            MdaLoadOptions options) {
        return create(ConfigDirs.resolve(explicitConfigDir, null, env).configDir(), options);
    }

    /** A loader over the config directory resolved from the process environment, default options. */
    public static MdaPresetLoader fromEnvironment() {
        return resolve(null, System::getenv, MdaLoadOptions.DEFAULTS);
    }

    /** The config directory this loader reads. */
    public Path configDir() {
        return configDir;
    }

    /** Loads {@code <configDir>/<module>/<preset>.mda}. */
    public LlmConfig loadConfigPreset(String module, String preset) {
        return loadMdaConfigFromFile(configDir, module, preset, options);
    }

    /** Loads an {@code .mda} file; a relative path is resolved against the config directory. */
    public LlmConfig loadConfig(Path file) {
        return loadMdaConfig(file.isAbsolute() ? file : configDir.resolve(file), options);
    }

    /** {@link #loadMdaConfig(Path, MdaLoadOptions)} with default options. */
    public static LlmConfig loadMdaConfig(Path file) {
        return loadMdaConfig(file, MdaLoadOptions.DEFAULTS);
    }

    /**
     * Loads one {@code .mda} preset file.
     *
     * @throws InvalidConfigException     for a {@code .yaml}/{@code .yml} or non-{@code .mda} path, an invalid file
     *                                    ({@link MdaConfigException} with its category) or an invalid projection
     * @throws ConfigSecurityException    when the real path leaves its directory (e.g. a symlink)
     * @throws ConfigNotFoundException    when the file does not exist
     * @throws ConfigAccessException      when it cannot be read or is not a regular file
     */
    public static LlmConfig loadMdaConfig(Path file, MdaLoadOptions options) {
        return loadMdaPreset(file, options).config();
    }

    /** Like {@link #loadMdaConfig(Path, MdaLoadOptions)} but also returns the MDA source details. */
    public static MdaPreset loadMdaPreset(Path file, MdaLoadOptions options) {
        checkExtension(file.getFileName() == null ? file.toString() : file.getFileName().toString(), file);
        Path abs = file.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        if (parent == null) {
            throw new InvalidConfigException("Not a preset file path: " + file);
        }
        Path real = ensureContained(abs, parent);
        byte[] bytes = read(real, abs);
        String source = abs.toString();
        MdaSource mda = MdaSourceLoader.load(bytes, source, options, LlmixProjectValidator.INSTANCE);
        return new MdaPreset(abs, project(mda.frontmatter(), source), mda);
    }

    /** {@link #loadMdaConfigPreset(String, Path, MdaLoadOptions)} with default options. */
    public static LlmConfig loadMdaConfigPreset(String name, Path baseDir) {
        return loadMdaConfigPreset(name, baseDir, MdaLoadOptions.DEFAULTS);
    }

    /**
     * Loads {@code <baseDir>/<preset>.mda}, where the preset is the last path component of {@code name} without a
     * trailing {@code .mda}, validated as a preset name.
     */
    public static LlmConfig loadMdaConfigPreset(String name, Path baseDir, MdaLoadOptions options) {
        checkExtension(name, null);
        String last = name;
        int slash = Math.max(last.lastIndexOf('/'), last.lastIndexOf('\\'));
        if (slash >= 0) {
            last = last.substring(slash + 1);
        }
        if (last.toLowerCase(Locale.ROOT).endsWith(".mda")) {
            last = last.substring(0, last.length() - 4);
        }
        String preset = ConfigNames.validatePreset(last);
        Path dir = baseDir.toAbsolutePath().normalize();
        Path file = dir.resolve(preset + ".mda");
        ensureContained(file, dir);
        return loadMdaConfig(file, options);
    }

    /** {@link #loadMdaConfigFromFile(Path, String, String, MdaLoadOptions)} with default options. */
    public static LlmConfig loadMdaConfigFromFile(Path configDir, String module, String preset) {
        return loadMdaConfigFromFile(configDir, module, preset, MdaLoadOptions.DEFAULTS);
    }

    /**
     * Validates the names, then loads {@code <configDir>/<module>/<preset>.mda} contained in {@code configDir}. A
     * preset named like a legacy {@code .yaml}/{@code .yml} file is refused as "no longer supported" (docs/presets.md)
     * rather than reported as an invalid name.
     */
    public static LlmConfig loadMdaConfigFromFile(Path configDir, String module, String preset,
            MdaLoadOptions options) {
        checkExtension(preset, null);
        Path file = buildMdaConfigFilePath(configDir, module, preset);
        ensureContained(file, configDir.toAbsolutePath().normalize());
        return loadMdaConfig(file, options);
    }

    /** Loads an editable registry source: {@code <registryRoot>/source/<module>/<preset>.mda}. */
    public static LlmConfig loadSourcePreset(Path registryRoot, String module, String preset, MdaLoadOptions options) {
        return loadMdaConfigFromFile(registryRoot.resolve("source"), module, preset, options);
    }

    /** The absolute path {@code configDir/<module>/<preset>.mda} after validating both names. */
    public static Path buildMdaConfigFilePath(Path configDir, String module, String preset) {
        ConfigNames.validateModule(module);
        ConfigNames.validatePreset(preset);
        return configDir.toAbsolutePath().normalize().resolve(module).resolve(preset + ".mda");
    }

    /**
     * Projects a validated frontmatter's {@code metadata.snoai-llmix} into an {@link LlmConfig} and validates it.
     *
     * @throws InvalidConfigException "Projected MDA config validation failed for &lt;source&gt;: …"
     */
    public static LlmConfig project(Map<String, ?> frontmatter, String source) {
        Map<String, ?> ns = map(map(frontmatter.get("metadata")).get(LlmixProjectValidator.NAMESPACE));
        Map<String, @Nullable Object> common = new LinkedHashMap<>(map(ns.get("common")));
        Object provider = common.remove("provider");
        Object model = common.remove("model");
        Map<String, @Nullable Object> out = new LinkedHashMap<>();
        out.put("provider", provider);
        out.put("model", model);
        if (!common.isEmpty()) {
            out.put("common", common);
        }
        for (String key : List.of("providerOptions", "timeout", "caching", "deprecated", "bypassGateway")) {
            if (ns.containsKey(key)) {
                out.put(key, ns.get(key));
            }
        }
        out.put("description", ns.containsKey("description") ? ns.get("description") : frontmatter.get("description"));
        if (ns.containsKey("tags")) {
            out.put("tags", ns.get("tags"));
        } else if (frontmatter.containsKey("tags")) {
            out.put("tags", frontmatter.get("tags"));
        }
        List<String> issues = LlmConfigRules.validateConfig(out);
        if (!issues.isEmpty()) {
            throw new InvalidConfigException("Projected MDA config validation failed for " + source + ": "
                    + String.join("; ", issues));
        }
        LlmConfig config = LlmConfigJson.fromMap(out, source);
        PresetFieldsNotApplied.warnOnce(config, source);
        return config;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> map(@Nullable Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, ?>) m : Map.of();
    }

    private static void checkExtension(String name, @Nullable Path file) {
        String lower = name.toLowerCase(Locale.ROOT);
        String shown = file == null ? name : file.toString();
        if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
            throw new InvalidConfigException("YAML presets are no longer supported: " + shown
                    + " (convert it to an .mda file)");
        }
        if (file != null && !lower.endsWith(".mda")) {
            throw new InvalidConfigException("Preset files must have the .mda extension: " + shown);
        }
    }

    /**
     * The real path of {@code file} (symlinks resolved; the normalized path under the real base when it does not
     * exist), which must lie inside the real path of {@code baseDir}.
     */
    static Path ensureContained(Path file, Path baseDir) {
        Path realBase;
        Path realFile;
        try {
            realBase = Files.exists(baseDir) ? baseDir.toRealPath() : baseDir.toAbsolutePath().normalize();
            Path abs = file.toAbsolutePath().normalize();
            if (Files.exists(abs)) {
                realFile = abs.toRealPath();
            } else if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
                // a dangling symlink: judge it by where it points
                realFile = abs.getParent().toRealPath().resolve(Files.readSymbolicLink(abs)).normalize();
            } else {
                Path relative = baseDir.toAbsolutePath().normalize().relativize(abs);
                realFile = realBase.resolve(relative).normalize();
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigAccessException("Cannot resolve " + file + ": " + e.getMessage(), e);
        }
        if (!realFile.startsWith(realBase)) {
            throw new ConfigSecurityException("Path traversal detected: " + file + " resolves outside " + baseDir);
        }
        return realFile;
    }

    private static byte[] read(Path real, Path shown) {
        if (!Files.exists(real)) {
            throw new ConfigNotFoundException("Config file not found: " + shown);
        }
        if (!Files.isRegularFile(real)) {
            throw new ConfigAccessException("Config file is not a regular file: " + shown);
        }
        try (InputStream in = Files.newInputStream(real)) {
            byte[] bytes = in.readNBytes(MdaSourceLoader.MAX_FILE_BYTES + 1);
            if (bytes.length > MdaSourceLoader.MAX_FILE_BYTES) {
                throw new InvalidConfigException("Config file " + shown + " is larger than "
                        + MdaSourceLoader.MAX_FILE_BYTES + " bytes");
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw new ConfigNotFoundException("Config file not found: " + shown, e);
        } catch (AccessDeniedException e) {
            throw new ConfigAccessException("Permission denied reading config file " + shown, e);
        } catch (IOException e) {
            throw new ConfigAccessException("Cannot read config file " + shown + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "MdaPresetLoader[configDir=" + configDir + "]";
    }

}
