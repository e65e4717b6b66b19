package dev.llmix.spring.autoconfigure;

import dev.llmix.spi.DispatchFunction;
import java.util.Objects;

/**
 * An application's own dispatch for one provider, beside the built-in adapters: declare it as a bean and every preset
 * naming {@code name} is sent to {@code dispatch} (it wins over a built-in adapter of the same provider). A
 * {@code DispatchFunction} bean, by contrast, replaces all routing.
 *
 * @param name     the provider name presets use, e.g. {@code openai} or {@code mistral}
 * @param dispatch the dispatch function for that provider
 */
public record LlmixProviderAdapter(String name, DispatchFunction dispatch) {

    public LlmixProviderAdapter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dispatch, "dispatch");
    }
}
