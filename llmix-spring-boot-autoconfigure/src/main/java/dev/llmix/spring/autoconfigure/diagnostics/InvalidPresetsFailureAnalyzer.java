package dev.llmix.spring.autoconfigure.diagnostics;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains {@link InvalidPresetsException}: each broken preset with file, line and field, and how to proceed. */
class InvalidPresetsFailureAnalyzer extends AbstractFailureAnalyzer<InvalidPresetsException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidPresetsException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Fix the presets listed above (docs/presets.md lists every key with its type and default), or set "
                        + "'llmix.config.validate-on-startup=false' to defer the errors to the first call of each "
                        + "preset.", cause);
    }
}
