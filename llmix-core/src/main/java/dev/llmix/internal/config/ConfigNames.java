package dev.llmix.internal.config;

import dev.llmix.config.ConfigSecurityException;
import dev.llmix.config.InvalidConfigException;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The name rules for modules, presets and scopes (registry-safe names that can become path segments), user ids and
 * config versions. Every check runs before any file is touched; names with path characters are a security error.
 */
public final class ConfigNames {

    /** {@code ^(_default|[a-z][a-z0-9_]{0,63})$}. */
    public static final Pattern MODULE = Pattern.compile("_default|[a-z][a-z0-9_]{0,63}");
    /** {@code ^(_base[a-z0-9_]*|[a-z][a-z0-9_]{0,63})$}. */
    public static final Pattern PRESET = Pattern.compile("_base[a-z0-9_]*|[a-z][a-z0-9_]{0,63}");
    /** {@code ^(_default|[a-z][a-z0-9_-]{0,63})$} (hyphen allowed). */
    public static final Pattern SCOPE = Pattern.compile("_default|[a-z][a-z0-9_-]{0,63}");
    private static final Pattern USER_ID = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
    private static final int MAX_LENGTH = 64;

    private ConfigNames() {
    }

    /**
     * Validates a module name.
     *
     * @throws InvalidConfigException when empty, longer than 64 or not matching {@link #MODULE}
     * @throws ConfigSecurityException when it contains {@code / \ .. ~ $} or a backquote
     */
    public static String validateModule(@Nullable String module) {
        return validate("module", module, MODULE);
    }

    /** Validates a preset name; same errors as {@link #validateModule(String)} with {@link #PRESET}. */
    public static String validatePreset(@Nullable String preset) {
        return validate("preset", preset, PRESET);
    }

    /** Validates a scope name; same errors as {@link #validateModule(String)} with {@link #SCOPE}. */
    public static String validateScope(@Nullable String scope) {
        return validate("scope", scope, SCOPE);
    }

    /** True for a user id of 1–64 characters from {@code [a-zA-Z0-9_-]} without dangerous substrings; never throws. */
    public static boolean isValidUserId(@Nullable String userId) {
        return userId != null && !hasDangerousCharacters(userId) && USER_ID.matcher(userId).matches();
    }

    /**
     * Validates a config version number.
     *
     * @throws InvalidConfigException unless 1 ≤ version ≤ 9999
     */
    public static int validateVersion(int version) {
        if (version < 1 || version > 9999) {
            throw new InvalidConfigException("Invalid config version " + version + ": must be an integer from 1 to 9999");
        }
        return version;
    }

    /** True when {@code name} contains one of {@code / \ .. ~ $} or a backquote. */
    public static boolean hasDangerousCharacters(String name) {
        return name.indexOf('/') >= 0 || name.indexOf('\\') >= 0 || name.contains("..") || name.indexOf('~') >= 0
                || name.indexOf('$') >= 0 || name.indexOf('`') >= 0;
    }

    private static String validate(String kind, @Nullable String name, Pattern pattern) {
        if (name == null || name.isEmpty()) {
            throw new InvalidConfigException("Invalid " + kind + " name: must not be empty");
        }
        if (name.length() > MAX_LENGTH) {
            throw new InvalidConfigException("Invalid " + kind + " name \"" + abbreviate(name) + "\": longer than "
                    + MAX_LENGTH + " characters");
        }
        if (hasDangerousCharacters(name)) {
            throw new ConfigSecurityException("Invalid " + kind + " name \"" + name
                    + "\": path characters (/ \\ .. ~ $ `) are not allowed");
        }
        if (!pattern.matcher(name).matches()) {
            throw new InvalidConfigException("Invalid " + kind + " name \"" + name + "\": must match ^("
                    + pattern.pattern() + ")$");
        }
        return name;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
