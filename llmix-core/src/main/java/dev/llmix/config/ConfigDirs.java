package dev.llmix.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Finds the LLMix config directory ({@code config/llm}, also the registry root): an explicit directory wins, then the
 * {@code LLMIX_CONFIG_DIR} environment variable (resolved against the project root), then {@code config/llm} under
 * the project root. The project root is found by walking up from the working directory to a build root.
 */
public final class ConfigDirs {

    /** The environment variable that names the config directory. */
    public static final String ENV_VARIABLE = "LLMIX_CONFIG_DIR";
    /** The default config directory, relative to the project root. */
    public static final String DEFAULT_DIR = "config/llm";

    private static final List<String> MONOREPO_FILES = List.of("settings.gradle", "settings.gradle.kts");
    private static final List<String> LOCK_FILES = List.of("gradle.lockfile", "mvnw", "gradlew", "bun.lock",
            "pnpm-lock.yaml", "package-lock.json", "yarn.lock", "uv.lock", "poetry.lock", "Pipfile.lock", "pdm.lock");
    private static final List<String> MANIFEST_FILES = List.of("pom.xml", "build.gradle", "build.gradle.kts",
            "package.json", "pyproject.toml");

    private ConfigDirs() {
    }

    /** Where a resolved config directory came from. */
    public enum Source {
        /** The caller's explicit directory. */
        EXPLICIT,
        /** The {@code LLMIX_CONFIG_DIR} environment variable. */
        ENV,
        /** The default {@code config/llm} under the project root. */
        DEFAULT
    }

    /**
     * A resolved, absolute, normalized config directory and where it came from.
     *
     * @param configDir the directory (it need not exist)
     * @param source    which rule chose it
     */
    public record Resolved(Path configDir, Source source) {
    }

    /** Resolves with the process environment and the detected project root. */
    public static Resolved resolve(@Nullable Path explicitConfigDir) {
        return resolve(explicitConfigDir, null, System::getenv);
    }

    /**
     * Resolves the config directory.
     *
     * @param explicitConfigDir an explicit directory (made absolute against the working directory), or null
     * @param projectRoot       the project root, or null to detect it from the working directory
     * @param env               environment lookup; a blank {@code LLMIX_CONFIG_DIR} counts as unset
     */
    public static Resolved resolve(@Nullable Path explicitConfigDir, @Nullable Path projectRoot,
            Function<String, @Nullable String> env) {
        if (explicitConfigDir != null) {
            return new Resolved(expandHome(explicitConfigDir).toAbsolutePath().normalize(), Source.EXPLICIT);
        }
        Path root = projectRoot != null ? projectRoot.toAbsolutePath().normalize()
                : findProjectRoot(Path.of("").toAbsolutePath());
        String fromEnv = env.apply(ENV_VARIABLE);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new Resolved(root.resolve(expandHome(Path.of(fromEnv))).normalize(), Source.ENV);
        }
        return new Resolved(root.resolve(DEFAULT_DIR).normalize(), Source.DEFAULT);
    }

    /**
     * Walks up from {@code start}: the first monorepo root ({@code settings.gradle[.kts]}, a {@code pom.xml} with
     * {@code <modules>}, a {@code package.json} with {@code workspaces}) wins at once; otherwise the closest directory
     * with a lockfile-like marker, else the closest with a build manifest, else {@code start}.
     */
    public static Path findProjectRoot(Path start) {
        Path dir = start.toAbsolutePath().normalize();
        @Nullable Path firstLock = null;
        @Nullable Path firstManifest = null;
        for (Path cur = dir; cur != null; cur = cur.getParent()) {
            Path d = cur;
            if (isMonorepoRoot(d)) {
                return d;
            }
            if (firstLock == null && LOCK_FILES.stream().anyMatch(f -> Files.exists(d.resolve(f)))) {
                firstLock = d;
            }
            if (firstManifest == null && MANIFEST_FILES.stream().anyMatch(f -> Files.exists(d.resolve(f)))) {
                firstManifest = d;
            }
        }
        if (firstLock != null) {
            return firstLock;
        }
        return firstManifest != null ? firstManifest : dir;
    }

    /** Expands a leading {@code ~} or {@code ~/} to the user's home directory; other forms are left alone. */
    public static Path expandHome(Path path) {
        String s = path.toString();
        if (s.equals("~")) {
            return Path.of(System.getProperty("user.home"));
        }
        if (s.startsWith("~/")) {
            return Path.of(System.getProperty("user.home")).resolve(s.substring(2));
        }
        return path;
    }

    private static boolean isMonorepoRoot(Path d) {
        if (MONOREPO_FILES.stream().anyMatch(f -> Files.exists(d.resolve(f)))) {
            return true;
        }
        return fileContains(d.resolve("pom.xml"), "<modules>") || fileContains(d.resolve("package.json"),
                "\"workspaces\"");
    }

    private static boolean fileContains(Path file, String needle) {
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > 1_000_000) {
                return false;
            }
            return Files.readString(file).contains(needle);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
