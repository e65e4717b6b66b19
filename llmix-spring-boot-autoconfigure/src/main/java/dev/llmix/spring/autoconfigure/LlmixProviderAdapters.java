package dev.llmix.spring.autoconfigure;

import dev.llmix.provider.http.AdapterOptions;
import dev.llmix.providers.ProviderAdapters;
import dev.llmix.providers.ProviderSpec;
import dev.llmix.providers.ProviderSpecs;
import dev.llmix.spi.DispatchFunction;
import dev.llmix.internal.http.DisplayUrls;
import dev.llmix.spring.autoconfigure.diagnostics.InvalidLlmixConfigurationException;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The built-in provider adapters switched on by {@code llmix.provider.<name>.enabled=true}, by canonical provider
 * name, each with its own settings. The auto-configured dispatch routes every call to the adapter of its preset's
 * provider; a preset naming a provider that is not enabled fails locally and nothing is sent.
 */
public final class LlmixProviderAdapters {

    private final Map<String, AdapterOptions> enabled;
    private final Map<String, String> displayBaseUrls;

    private LlmixProviderAdapters(Map<String, AdapterOptions> enabled, Map<String, String> displayBaseUrls) {
        this.enabled = Collections.unmodifiableMap(enabled);
        this.displayBaseUrls = Collections.unmodifiableMap(displayBaseUrls);
    }

    /**
     * The enabled adapters of {@code properties} ({@code llmix.provider.*}).
     *
     * @throws InvalidLlmixConfigurationException for an unknown provider name (with a "did you mean" hint) or a base
     *                                            URL that is not an http(s) URL
     */
    public static LlmixProviderAdapters from(Map<String, LlmixProperties.Adapter> properties,
            Function<String, @Nullable String> env) {
        Map<String, AdapterOptions> enabled = new LinkedHashMap<>();
        Map<String, String> display = new LinkedHashMap<>();
        properties.forEach((name, adapter) -> {
            if (!adapter.isEnabled()) {
                // Settings of a provider served another way (e.g. a Spring AI model) need no descriptor.
                return;
            }
            ProviderSpec spec = spec(name);
            String baseUrl = adapter.getBaseUrl();
            if (baseUrl != null && !baseUrl.isBlank()) {
                checkUrl("llmix.provider." + name + ".base-url", baseUrl);
            }
            AdapterOptions.Builder b = AdapterOptions.builder()
                    .baseUrl(baseUrl)
                    .connectTimeout(adapter.getConnectTimeout())
                    .defaultTimeout(adapter.getRequestTimeout())
                    .maxResponseBytes(adapter.getMaxResponseSize().toBytes())
                    .anthropicVersion(adapter.getAnthropicVersion())
                    .env(env);
            adapter.getDefaultHeaders().forEach(b::defaultHeader);
            if (adapter.getGatewayToken() != null && !adapter.getGatewayToken().isBlank()) {
                b.internalToken(adapter.getGatewayToken());
            }
            if (enabled.put(spec.name(), b.build()) != null) {
                throw new InvalidLlmixConfigurationException("llmix.provider." + name,
                        "provider \"" + spec.name() + "\" is enabled under two names",
                        "Enable it once, under llmix.provider." + spec.name() + ".", null);
            }
            String shown = baseUrl != null && !baseUrl.isBlank() ? baseUrl : spec.defaultBaseUrl();
            display.put(spec.name(), shown == null ? "(from the preset or GPU_BASE_URL)" : DisplayUrls.withoutSecrets(shown));
        });
        return new LlmixProviderAdapters(enabled, display);
    }

    /**
     * The descriptor for a property key such as {@code openai}, {@code gemini} or {@code sno-gpu} (also
     * {@code snoGpu}).
     *
     * @throws InvalidLlmixConfigurationException for a name no descriptor answers to
     */
    static ProviderSpec spec(String propertyName) {
        ProviderSpecs specs = ProviderSpecs.builtIn();
        ProviderSpec spec = specs.find(propertyName);
        if (spec == null) {
            spec = specs.find(kebab(propertyName));
        }
        if (spec == null) {
            String suggestion = specs.suggest(propertyName);
            throw new InvalidLlmixConfigurationException("llmix.provider." + propertyName,
                    "unknown provider '" + propertyName + "'"
                            + (suggestion == null ? "" : " (did you mean '" + suggestion + "'?)"),
                    "Use one of: " + String.join(", ", specs.namesAndAliases()) + ".", null);
        }
        return spec;
    }

    /** The canonical provider name for a property key, or the key itself when no descriptor answers to it. */
    static String canonical(String propertyName) {
        ProviderSpec spec = ProviderSpecs.builtIn().find(propertyName);
        if (spec == null) {
            spec = ProviderSpecs.builtIn().find(kebab(propertyName));
        }
        return spec == null ? propertyName : spec.name();
    }

    private static String kebab(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static void checkUrl(String property, String url) {
        try {
            URI uri = new URI(url.strip());
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
        } catch (Exception e) {
            throw new InvalidLlmixConfigurationException(property,
                    "\"" + DisplayUrls.withoutSecrets(url) + "\" is not an http(s) URL",
                    "Set it to the provider's endpoint, e.g. https://api.openai.com/v1, or remove it to use the "
                            + "provider's default.", null);
        }
    }

    /** Enabled providers (canonical names) with their adapter settings, in configuration order. */
    public Map<String, AdapterOptions> enabled() {
        return enabled;
    }

    /** Enabled providers with the base URL they use, safe to show (no user info, no query). */
    public Map<String, String> baseUrls() {
        return displayBaseUrls;
    }

    /** Whether {@code provider} (a name or alias) is served by an enabled adapter. */
    public boolean isEnabled(String provider) {
        ProviderSpec spec = ProviderSpecs.builtIn().find(provider);
        return spec != null && enabled.containsKey(spec.name());
    }

    /** One dispatch function routing to these adapters plus {@code custom} per-provider dispatch functions. */
    public DispatchFunction routing(Map<String, DispatchFunction> custom) {
        return ProviderAdapters.routing(enabled, custom);
    }

    @Override
    public String toString() {
        return "LlmixProviderAdapters" + displayBaseUrls;
    }
}
