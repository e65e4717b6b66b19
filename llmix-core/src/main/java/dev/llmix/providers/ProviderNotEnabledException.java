package dev.llmix.providers;

import dev.llmix.provider.http.AdapterConfigException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A call named a provider that no enabled adapter serves. Raised before anything is sent, so the call's key never
 * reaches another provider's endpoint; local, never retried and never counted against a circuit breaker.
 */
public class ProviderNotEnabledException extends AdapterConfigException {

    private static final long serialVersionUID = 1L;

    private final String provider;
    private final List<String> enabledProviders;

    /**
     * @param provider         the provider the call named
     * @param enabledProviders the providers served, or null when every built-in one is (the message then has no list)
     */
    public ProviderNotEnabledException(String provider, @Nullable List<String> enabledProviders) {
        super("No provider adapter for \"" + provider + "\"" + (enabledProviders == null ? ""
                : "; enabled: " + (enabledProviders.isEmpty() ? "(none)" : String.join(", ", enabledProviders))));
        this.provider = provider;
        this.enabledProviders = enabledProviders == null ? List.of() : List.copyOf(enabledProviders);
    }

    /** The provider the call named. */
    public String provider() {
        return provider;
    }

    /** The providers this application enabled. */
    public List<String> enabledProviders() {
        return enabledProviders;
    }
}
