package dev.llmix.spring.autoconfigure.diagnostics;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains {@link InvalidLlmixConfigurationException}: which property is wrong and what to set instead. */
class InvalidLlmixConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidLlmixConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidLlmixConfigurationException cause) {
        return new FailureAnalysis("Invalid LLMix configuration: " + cause.getMessage(), cause.action(), cause);
    }
}
