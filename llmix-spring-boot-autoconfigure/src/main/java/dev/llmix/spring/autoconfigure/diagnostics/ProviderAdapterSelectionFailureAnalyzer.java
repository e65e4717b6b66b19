package dev.llmix.spring.autoconfigure.diagnostics;

import java.util.stream.Collectors;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains {@link ProviderAdapterSelectionException}: how to pick exactly one way of calling providers. */
class ProviderAdapterSelectionFailureAnalyzer extends AbstractFailureAnalyzer<ProviderAdapterSelectionException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ProviderAdapterSelectionException cause) {
        String available = String.join(", ", cause.availableAdapters());
        if (cause.enabledAdapters().isEmpty()) {
            return new FailureAnalysis(
                    "LLMix needs exactly one way to call providers, but no bean of type "
                            + "dev.llmix.spi.DispatchFunction is defined and no provider adapter is enabled.",
                    "Enable exactly one provider adapter, for example 'llmix.provider.openai.enabled=true' "
                            + "(available: " + available + "), or define a bean of type "
                            + "dev.llmix.spi.DispatchFunction.",
                    cause);
        }
        String properties = cause.enabledAdapters().stream()
                .map(name -> "'llmix.provider." + name + ".enabled=true'")
                .collect(Collectors.joining(", "));
        return new FailureAnalysis(
                "LLMix found several enabled provider adapters (" + properties + "), but a pipeline dispatches "
                        + "through exactly one.",
                "Keep only one of " + properties + ", or define your own bean of type "
                        + "dev.llmix.spi.DispatchFunction (for example one that routes by provider name).",
                cause);
    }
}
