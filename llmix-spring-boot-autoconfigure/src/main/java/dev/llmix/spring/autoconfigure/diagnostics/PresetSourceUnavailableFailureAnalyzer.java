package dev.llmix.spring.autoconfigure.diagnostics;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains {@link PresetSourceUnavailableException}: where LLMix looked for presets and how to point it elsewhere. */
class PresetSourceUnavailableFailureAnalyzer extends AbstractFailureAnalyzer<PresetSourceUnavailableException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, PresetSourceUnavailableException cause) {
        String action = "registry".equals(cause.mode())
                ? "Publish a config registry (current.json and compiled/<revision>/) to " + cause.root()
                        + ", point 'llmix.config.root' at an existing registry, or set 'llmix.config.mode=source' "
                        + "to load the .mda files under <root>/source/<module>/<preset>.mda."
                : "Create " + cause.root().resolve("source") + " with <module>/<preset>.mda files, or point "
                        + "'llmix.config.root' at a directory that has them.";
        return new FailureAnalysis(cause.getMessage(), action, cause);
    }
}
