package dev.llmix.spring.autoconfigure.diagnostics;

import dev.llmix.LlmixException;
import java.util.List;

/**
 * Thrown at start-up when the application defines no {@code DispatchFunction} bean, enables no provider adapter
 * ({@code llmix.provider.<name>.enabled=true}) and declares no per-provider dispatch.
 */
public class ProviderAdapterSelectionException extends LlmixException {

    private static final long serialVersionUID = 1L;

    private final List<String> enabledAdapters;

    private final List<String> availableAdapters;

    public ProviderAdapterSelectionException(List<String> enabledAdapters, List<String> availableAdapters) {
        super(enabledAdapters.isEmpty()
                ? "No LLMix provider adapter is enabled and no DispatchFunction bean is defined"
                : "Several LLMix provider adapters are enabled (" + String.join(", ", enabledAdapters)
                        + ") but a pipeline has exactly one dispatch function");
        this.enabledAdapters = List.copyOf(enabledAdapters);
        this.availableAdapters = List.copyOf(availableAdapters);
    }

    /** Names of the adapters switched on by property, in declaration order; empty when none is. */
    public List<String> enabledAdapters() {
        return enabledAdapters;
    }

    /** Names of all adapters the auto-configuration knows. */
    public List<String> availableAdapters() {
        return availableAdapters;
    }
}
