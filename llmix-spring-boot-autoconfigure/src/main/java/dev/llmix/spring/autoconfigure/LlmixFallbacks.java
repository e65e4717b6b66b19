package dev.llmix.spring.autoconfigure;

import dev.llmix.client.FallbackAlternative;
import dev.llmix.client.FallbackChains;
import dev.llmix.client.InvalidFallbackChainException;
import dev.llmix.providers.ProviderSpec;
import dev.llmix.providers.ProviderSpecs;
import dev.llmix.spring.autoconfigure.diagnostics.InvalidLlmixConfigurationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Turns {@code llmix.fallbacks} into validated {@link FallbackChains}, naming the offending property on error. */
final class LlmixFallbacks {

    private LlmixFallbacks() {
    }

    /**
     * The chains of {@code properties}.
     *
     * @param served the canonical names of the providers the auto-configured dispatch serves, or {@code null} when
     *               the application's own dispatch function serves every provider
     * @throws InvalidLlmixConfigurationException for a malformed chain (see {@link FallbackChains#of}) or an
     *                                            alternative whose provider is not served
     */
    static FallbackChains from(Map<String, List<LlmixProperties.Fallback>> properties, @Nullable Set<String> served) {
        Map<String, List<FallbackAlternative>> chains = new LinkedHashMap<>();
        properties.forEach((key, list) -> {
            List<FallbackAlternative> alternatives = new ArrayList<>();
            if (list != null) {
                list.forEach(f -> alternatives.add(f == null ? null
                        : new FallbackAlternative(f.getProvider(), f.getModel(), f.getPreset())));
            }
            chains.put(key, alternatives);
        });
        FallbackChains result;
        try {
            result = FallbackChains.of(chains);
        } catch (InvalidFallbackChainException e) {
            throw new InvalidLlmixConfigurationException(property(e.chain(), e.index(), e.field()), e.getMessage(),
                    "Correct llmix.fallbacks: each key is \"[<module>/<preset>]\" and each alternative has a provider "
                            + "and a model, or a preset (docs/providers.md, \"Fallback chains\").", e);
        }
        if (served != null) {
            result.asMap().forEach((key, alternatives) -> {
                for (int i = 0; i < alternatives.size(); i++) {
                    String provider = alternatives.get(i).provider();
                    if (provider == null || provider.isBlank()) {
                        continue;
                    }
                    ProviderSpec spec = ProviderSpecs.builtIn().find(provider);
                    String canonical = spec == null ? provider : spec.name();
                    if (!served.contains(canonical)) {
                        throw new InvalidLlmixConfigurationException(property(key, i, "provider"),
                                "provider '" + provider + "' is not enabled (enabled: "
                                        + (served.isEmpty() ? "none" : String.join(", ", served)) + ")",
                                "Enable it with llmix.provider." + provider + ".enabled=true, or remove this "
                                        + "alternative from the chain.", null);
                    }
                }
            });
        }
        return result;
    }

    private static String property(String chain, @Nullable Integer index, String field) {
        return "llmix.fallbacks[" + chain + "]" + (index == null ? "" : "[" + index + "]")
                + (index == null || field.isEmpty() ? "" : "." + field);
    }
}
