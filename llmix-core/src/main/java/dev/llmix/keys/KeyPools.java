package dev.llmix.keys;

import dev.llmix.internal.EcmaScript;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Builds {@link KeyPool}s from environment variables {@code <P>_KEYS} (comma-separated, checked first) and
 * {@code <P>_API_KEY} (one key, never split), as {@code loadKeysFromEnv} does in the reference.
 * Variable names are matched exactly through the given lookup.
 */
public final class KeyPools {

    private KeyPools() {
    }

    /** {@link #fromEnv(String, Function)} over the process environment ({@link System#getenv(String)}). */
    public static KeyPool fromEnv(String provider) {
        return fromEnv(provider, System::getenv);
    }

    /**
     * Loads the pool for {@code provider} from {@code env}. A {@code <P>_KEYS} value that is non-blank is always used,
     * even when all of its items are empty (then the pool constructor fails; there is no fallback).
     *
     * @throws IllegalStateException    {@code No API keys found for <P>. Set <P>_KEYS (comma-separated) or
     *                                  <P>_API_KEY.} when neither variable has a non-blank value
     * @throws IllegalArgumentException from the {@link KeyPool} constructor when {@code <P>_KEYS} holds only commas
     *                                  and whitespace
     */
    public static KeyPool fromEnv(String provider, Function<String, @Nullable String> env) {
        Objects.requireNonNull(env, "env");
        String prefix = envPrefix(provider);
        String list = env.apply(prefix + "_KEYS");
        if (list != null && !EcmaScript.trim(list).isEmpty()) {
            List<String> parts = Arrays.asList(list.split(",", -1));
            return new KeyPool(parts);
        }
        String single = env.apply(prefix + "_API_KEY");
        if (single != null && !EcmaScript.trim(single).isEmpty()) {
            return new KeyPool(List.of(single));
        }
        throw new IllegalStateException("No API keys found for " + prefix + ". Set " + prefix
                + "_KEYS (comma-separated) or " + prefix + "_API_KEY.");
    }

    /**
     * The variable prefix for {@code provider}: upper-cased with locale-independent full case mapping ({@code ß} →
     * {@code SS}), every {@code -} replaced by {@code _} ({@code sno-gpu} → {@code SNO_GPU}).
     */
    public static String envPrefix(String provider) {
        Objects.requireNonNull(provider, "provider");
        return provider.toUpperCase(Locale.ROOT).replace('-', '_');
    }
}
