package dev.llmix.spring.autoconfigure;

import dev.llmix.spi.DispatchFunction;
import java.util.Objects;

/**
 * A built-in provider adapter registered by {@code llmix.provider.<name>.enabled=true}. The auto-configuration uses
 * the single registered adapter as the pipeline's {@link DispatchFunction} unless the application defines its own
 * {@code DispatchFunction} bean.
 *
 * @param name     the adapter's property name, e.g. {@code openai} or {@code sno-gpu}
 * @param dispatch the adapter
 */
public record LlmixProviderAdapter(String name, DispatchFunction dispatch) {

    public LlmixProviderAdapter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dispatch, "dispatch");
    }
}
