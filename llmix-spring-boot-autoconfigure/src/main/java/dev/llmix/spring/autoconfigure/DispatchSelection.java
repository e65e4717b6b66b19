package dev.llmix.spring.autoconfigure;

import dev.llmix.spi.DispatchFunction;
import dev.llmix.spring.autoconfigure.diagnostics.ProviderAdapterSelectionException;
import java.util.List;

/** Picks the pipeline's dispatch function from the enabled provider adapters: exactly one must be enabled. */
final class DispatchSelection {

    /** Property names of the adapters the auto-configuration can register, in declaration order. */
    static final List<String> ADAPTERS = List.of("openai", "anthropic", "gemini", "sno-gpu");

    private DispatchSelection() {
    }

    static DispatchFunction select(List<LlmixProviderAdapter> adapters) {
        if (adapters.size() == 1) {
            return adapters.get(0).dispatch();
        }
        List<String> names = adapters.stream().map(LlmixProviderAdapter::name).toList();
        throw new ProviderAdapterSelectionException(names, ADAPTERS);
    }
}
