package dev.llmix.client;

import dev.llmix.providers.ProviderSpec;
import dev.llmix.providers.ProviderSpecs;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The fallback chains of an application by called preset, {@code module/preset} → ordered alternatives
 * (docs/providers.md, "Fallback chains"). Immutable; looked up without allocation on every call.
 */
public final class FallbackChains {

    private static final FallbackChains NONE = new FallbackChains(Map.of(), Map.of());

    private final Map<String, List<FallbackAlternative>> chains;
    /** module → preset → chain, so a look-up needs no string concatenation. */
    private final Map<String, Map<String, List<FallbackAlternative>>> byModule;

    private FallbackChains(Map<String, List<FallbackAlternative>> chains,
            Map<String, Map<String, List<FallbackAlternative>>> byModule) {
        this.chains = chains;
        this.byModule = byModule;
    }

    /** No fallback chain. */
    public static FallbackChains none() {
        return NONE;
    }

    /**
     * Validated chains. Provider names are checked against the built-in descriptors; whether a provider is enabled
     * is for the caller to check (the Spring starter does so at start-up).
     *
     * @throws InvalidFallbackChainException for a key that is not {@code module/preset}, an empty chain, an
     *                                       alternative with neither preset nor provider and model, a provider
     *                                       without a model (or the reverse) when no preset is given, or an
     *                                       unknown provider (with a "did you mean" hint)
     */
    public static FallbackChains of(Map<String, List<FallbackAlternative>> chains) {
        if (chains.isEmpty()) {
            return NONE;
        }
        Map<String, List<FallbackAlternative>> copy = new LinkedHashMap<>();
        Map<String, Map<String, List<FallbackAlternative>>> byModule = new HashMap<>();
        chains.forEach((key, alternatives) -> {
            int slash = key == null ? -1 : key.indexOf('/');
            if (slash <= 0 || slash == key.length() - 1 || key.indexOf('/', slash + 1) >= 0 || key.isBlank()) {
                throw new InvalidFallbackChainException(String.valueOf(key), null, "",
                        "the key must be <module>/<preset>, e.g. chat/reply");
            }
            if (alternatives == null || alternatives.isEmpty()) {
                throw new InvalidFallbackChainException(key, null, "", "the chain is empty; list at least one "
                        + "alternative (provider and model, or preset) or remove the chain");
            }
            for (int i = 0; i < alternatives.size(); i++) {
                check(key, i, alternatives.get(i));
            }
            List<FallbackAlternative> list = List.copyOf(alternatives);
            copy.put(key, list);
            byModule.computeIfAbsent(key.substring(0, slash), m -> new HashMap<>()).put(key.substring(slash + 1), list);
        });
        return new FallbackChains(Collections.unmodifiableMap(copy), byModule);
    }

    private static void check(String key, int i, @Nullable FallbackAlternative a) {
        if (a == null) {
            throw new InvalidFallbackChainException(key, i, "", "the alternative is empty");
        }
        boolean hasPreset = a.preset() != null && !a.preset().isBlank();
        boolean hasProvider = a.provider() != null && !a.provider().isBlank();
        boolean hasModel = a.model() != null && !a.model().isBlank();
        if (!hasPreset && !hasProvider) {
            throw new InvalidFallbackChainException(key, i, "provider",
                    "no provider (and no preset); give provider and model, or preset");
        }
        if (!hasPreset && !hasModel) {
            throw new InvalidFallbackChainException(key, i, "model",
                    "no model for provider '" + a.provider() + "'; give the model to call there");
        }
        if (hasPreset && (a.preset().indexOf('/') != a.preset().lastIndexOf('/') || a.preset().startsWith("/")
                || a.preset().endsWith("/"))) {
            throw new InvalidFallbackChainException(key, i, "preset",
                    "'" + a.preset() + "' is neither a preset name nor <module>/<preset>");
        }
        if (hasProvider) {
            ProviderSpecs specs = ProviderSpecs.builtIn();
            ProviderSpec spec = specs.find(a.provider());
            if (spec == null) {
                String suggestion = specs.suggest(a.provider());
                throw new InvalidFallbackChainException(key, i, "provider", "unknown provider '" + a.provider() + "'"
                        + (suggestion == null ? "" : " (did you mean '" + suggestion + "'?)") + "; known: "
                        + String.join(", ", specs.namesAndAliases()));
            }
        }
    }

    /** The chain of preset {@code module/preset}, or {@code null} when it has none. */
    public @Nullable List<FallbackAlternative> find(String module, String preset) {
        Map<String, List<FallbackAlternative>> m = byModule.get(module);
        return m == null ? null : m.get(preset);
    }

    /** Every chain, {@code module/preset} → alternatives, in configuration order. */
    public Map<String, List<FallbackAlternative>> asMap() {
        return chains;
    }

    /** Whether there is no chain at all. */
    public boolean isEmpty() {
        return chains.isEmpty();
    }

    @Override
    public String toString() {
        return "FallbackChains" + chains;
    }
}
