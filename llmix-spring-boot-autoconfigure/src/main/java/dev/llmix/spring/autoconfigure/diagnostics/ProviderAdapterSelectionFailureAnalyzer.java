package dev.llmix.spring.autoconfigure.diagnostics;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains {@link ProviderAdapterSelectionException}: how to pick exactly one way of calling providers. */
class ProviderAdapterSelectionFailureAnalyzer extends AbstractFailureAnalyzer<ProviderAdapterSelectionException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ProviderAdapterSelectionException cause) {
        String available = String.join(", ", cause.availableAdapters());
        return new FailureAnalysis(
                "LLMix needs a way to call providers, but no bean of type dev.llmix.spi.DispatchFunction is defined "
                        + "and no provider adapter is enabled.",
                "Enable the provider adapters your presets name, for example 'llmix.provider.openai.enabled=true' "
                        + "(available: " + available + "), or define a bean of type "
                        + "dev.llmix.spi.DispatchFunction (or LlmixProviderAdapter beans, one per provider).",
                cause);
    }
}
