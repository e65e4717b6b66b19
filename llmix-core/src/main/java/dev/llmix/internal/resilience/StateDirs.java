package dev.llmix.internal.resilience;

import dev.llmix.internal.EcmaScript;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Resolves the LLMix state directory that holds the kill switch and the cross-process lock file, in the order every
 * LLMix binding uses: explicit directory, {@code LLMIX_STATE_DIR}, {@code XDG_STATE_HOME/llmix},
 * {@code <user.home>/.local/state/llmix}.
 */
public final class StateDirs {

    /** Environment variable naming the state directory itself (used as is). */
    public static final String STATE_DIR_ENV = "LLMIX_STATE_DIR";

    /** XDG base directory variable; the state directory is its {@code llmix} sub-directory. */
    public static final String XDG_STATE_HOME_ENV = "XDG_STATE_HOME";

    /** Sub-directory appended to {@code XDG_STATE_HOME} and to {@code ~/.local/state}. */
    public static final String SUB_DIRECTORY = "llmix";

    private StateDirs() {
    }

    /**
     * Returns {@code explicitDir} when it is given and not blank (used as is, nothing appended); otherwise
     * {@code LLMIX_STATE_DIR}, then {@code XDG_STATE_HOME/llmix}, then {@code <user.home>/.local/state/llmix}.
     * Blank variables count as unset.
     */
    public static Path resolve(@Nullable Path explicitDir, Function<String, @Nullable String> env) {
        Objects.requireNonNull(env, "env");
        if (explicitDir != null && !isBlank(explicitDir.toString())) {
            return explicitDir;
        }
        String stateDir = env.apply(STATE_DIR_ENV);
        if (stateDir != null && !isBlank(stateDir)) {
            return Path.of(stateDir);
        }
        String xdg = env.apply(XDG_STATE_HOME_ENV);
        if (xdg != null && !isBlank(xdg)) {
            return Path.of(xdg, SUB_DIRECTORY);
        }
        return Path.of(System.getProperty("user.home"), ".local", "state", SUB_DIRECTORY);
    }

    /** {@link #resolve(Path, Function)} against the process environment. */
    public static Path resolve(@Nullable Path explicitDir) {
        return resolve(explicitDir, System::getenv);
    }

    private static boolean isBlank(String value) {
        return EcmaScript.trim(value).isEmpty();
    }
}
