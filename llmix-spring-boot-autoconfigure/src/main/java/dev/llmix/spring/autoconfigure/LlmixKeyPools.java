package dev.llmix.spring.autoconfigure;

import dev.llmix.keys.KeyPool;
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
    public static final List<String> WELL_KNOWN_PROVIDERS = List.of("openai", "anthropic", "google", "gemini",
            "deepseek", "openrouter", "sno-gpu", "deepinfra", "novita", "together");

    private final Map<String, KeyPool> pools;

    public LlmixKeyPools(Map<String, KeyPool> pools) {
        this.pools = Collections.unmodifiableMap(new LinkedHashMap<>(pools));
    }

    /**
     * Pools from configured keys, falling back to the environment: a provider in {@code configured} with a non-empty
     * list uses that list; otherwise {@code <PROVIDER>_KEYS} / {@code <PROVIDER>_API_KEY} from {@code env} are used if
     * set.
     *
     * @throws IllegalArgumentException when a configured list holds no non-blank key (the message names the property
     *                                  and never shows a key)
     */
    public static LlmixKeyPools of(Map<String, List<String>> configured, Function<String, @Nullable String> env) {
        Map<String, KeyPool> pools = new LinkedHashMap<>();
        Set<String> providers = new java.util.LinkedHashSet<>(configured.keySet());
        providers.addAll(WELL_KNOWN_PROVIDERS);
        for (String provider : providers) {
            List<String> keys = configured.get(provider);
            if (keys != null && !keys.isEmpty()) {
                if (keys.stream().allMatch(k -> k == null || k.isBlank())) {
                    throw new IllegalArgumentException("llmix.keys." + provider + " holds no non-blank key");
                }
                pools.put(provider, new KeyPool(keys.stream().filter(k -> k != null && !k.isBlank()).toList()));
                continue;
            }
            String prefix = KeyPools.envPrefix(provider);
            if (isSet(env.apply(prefix + "_KEYS")) || isSet(env.apply(prefix + "_API_KEY"))) {
                pools.put(provider, KeyPools.fromEnv(provider, env));
            }
        }
        return new LlmixKeyPools(pools);
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
