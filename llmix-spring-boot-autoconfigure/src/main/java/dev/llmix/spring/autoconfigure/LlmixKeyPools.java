package dev.llmix.spring.autoconfigure;

import dev.llmix.keys.KeyPool;
import dev.llmix.providers.ProviderSpec;
import dev.llmix.providers.ProviderSpecs;
import dev.llmix.keys.KeyPools;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The API key pools the auto-configured pipeline starts with, by provider name: every provider listed under
 * {@code llmix.keys.*}, plus every well-known provider whose {@code <PROVIDER>_KEYS} or {@code <PROVIDER>_API_KEY}
 * variable is set. {@link #toString()} shows masked keys only.
 */
public final class LlmixKeyPools {

    /** Providers whose environment variables are looked up even when {@code llmix.keys} does not name them. */
    public static final List<String> WELL_KNOWN_PROVIDERS = ProviderSpecs.builtIn().namesAndAliases();

    private final Map<String, KeyPool> pools;

    public LlmixKeyPools(Map<String, KeyPool> pools) {
        this.pools = Collections.unmodifiableMap(new LinkedHashMap<>(pools));
    }

    /** {@link #of(Map, Map, Function)} without per-provider settings. */
    public static LlmixKeyPools of(Map<String, List<String>> configured, Function<String, @Nullable String> env) {
        return of(configured, Map.of(), env);
    }

    /**
     * Pools from configured keys, falling back to the environment: {@code llmix.provider.<name>.api-keys} first, then
     * {@code llmix.keys.<name>}, then the provider descriptor's variables ({@code <PROVIDER>_KEYS},
     * {@code <PROVIDER>_API_KEY}, then its fallbacks such as {@code GEMINI_API_KEY} for {@code google}).
     *
     * @throws IllegalArgumentException when a configured list holds no non-blank key (the message names the property
     *                                  and never shows a key)
     */
    public static LlmixKeyPools of(Map<String, List<String>> configured, Map<String, LlmixProperties.Adapter> providers,
            Function<String, @Nullable String> env) {
        Map<String, KeyPool> pools = new LinkedHashMap<>();
        providers.forEach((name, adapter) -> {
            List<String> keys = adapter.getApiKeys();
            if (keys != null && !keys.isEmpty()) {
                String canonical = LlmixProviderAdapters.canonical(name);
                pools.put(canonical, pool(keys, "llmix.provider." + name + ".api-keys"));
            }
        });
        Set<String> names = new java.util.LinkedHashSet<>(configured.keySet());
        names.addAll(WELL_KNOWN_PROVIDERS);
        for (String provider : names) {
            if (pools.containsKey(provider)) {
                continue;
            }
            List<String> keys = configured.get(provider);
            if (keys != null && !keys.isEmpty()) {
                pools.put(provider, pool(keys, "llmix.keys." + provider));
                continue;
            }
            ProviderSpec spec = ProviderSpecs.builtIn().find(provider);
            KeyPool fromEnv = spec != null ? spec.keyPoolFromEnv(provider, env) : fromPlainEnv(provider, env);
            if (fromEnv != null) {
                pools.put(provider, fromEnv);
            }
        }
        return new LlmixKeyPools(pools);
    }

    private static KeyPool pool(List<String> keys, String property) {
        if (keys.stream().allMatch(k -> k == null || k.isBlank())) {
            throw new IllegalArgumentException(property + " holds no non-blank key");
        }
        return new KeyPool(keys.stream().filter(k -> k != null && !k.isBlank()).toList());
    }

    private static @Nullable KeyPool fromPlainEnv(String provider, Function<String, @Nullable String> env) {
        String prefix = KeyPools.envPrefix(provider);
        return isSet(env.apply(prefix + "_KEYS")) || isSet(env.apply(prefix + "_API_KEY"))
                ? KeyPools.fromEnv(provider, env) : null;
    }

    private static boolean isSet(@Nullable String value) {
        return value != null && !value.isBlank();
    }

    /** Pools by provider name, in registration order. */
    public Map<String, KeyPool> pools() {
        return pools;
    }

    @Override
    public String toString() {
        return "LlmixKeyPools" + pools;
    }
}
