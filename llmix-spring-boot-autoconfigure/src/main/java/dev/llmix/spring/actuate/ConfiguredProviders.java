package dev.llmix.spring.actuate;

import dev.llmix.client.FallbackAlternative;
import dev.llmix.client.FallbackChains;
import dev.llmix.internal.http.DisplayUrls;
import dev.llmix.providers.ProviderSpec;
import dev.llmix.providers.ProviderSpecs;
import dev.llmix.spring.autoconfigure.LlmixProperties;
import dev.llmix.spring.autoconfigure.LlmixProviderAdapters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The providers and fallback chains of the Actuator report, computed once at start-up; never shows a secret. */
final class ConfiguredProviders {

    static final String APPLICATION_DISPATCH = "(the application's dispatch)";

    private ConfiguredProviders() {
    }

    /**
     * Every provider under {@code llmix.provider.*} (enabled or not) and every per-provider dispatch bean, by
     * canonical name; the enabled adapters' base URLs as they use them, the others' as configured or by default.
     */
    static List<LlmixReport.Provider> of(@Nullable LlmixProperties properties, @Nullable LlmixProviderAdapters adapters,
            List<String> customDispatch) {
        Map<String, LlmixReport.Provider> out = new LinkedHashMap<>();
        if (adapters != null) {
            adapters.baseUrls().forEach((name, url) -> out.put(name, new LlmixReport.Provider(name, url, true)));
        }
        if (properties != null) {
            properties.getProvider().forEach((key, adapter) -> {
                ProviderSpec spec = ProviderSpecs.builtIn().find(key);
                String name = spec == null ? key : spec.name();
                if (out.containsKey(name)) {
                    return;
                }
                String url = adapter.getBaseUrl() != null && !adapter.getBaseUrl().isBlank() ? adapter.getBaseUrl()
                        : spec == null || spec.defaultBaseUrl() == null ? "" : spec.defaultBaseUrl();
                out.put(name, new LlmixReport.Provider(name, DisplayUrls.withoutSecrets(url), false));
            });
        }
        for (String custom : customDispatch) {
            ProviderSpec spec = ProviderSpecs.builtIn().find(custom);
            String name = spec == null ? custom : spec.name();
            out.put(name, new LlmixReport.Provider(name, APPLICATION_DISPATCH, true));
        }
        return new ArrayList<>(out.values());
    }

    /** The chains as the report shows them. */
    static Map<String, List<LlmixReport.Fallback>> fallbacks(FallbackChains chains) {
        Map<String, List<LlmixReport.Fallback>> out = new LinkedHashMap<>();
        chains.asMap().forEach((key, alternatives) -> {
            List<LlmixReport.Fallback> list = new ArrayList<>();
            for (FallbackAlternative a : alternatives) {
                list.add(new LlmixReport.Fallback(a.provider(), a.model(), a.preset()));
            }
            out.put(key, List.copyOf(list));
        });
        return out;
    }
}
