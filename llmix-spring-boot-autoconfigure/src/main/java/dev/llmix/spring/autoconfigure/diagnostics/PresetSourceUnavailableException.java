package dev.llmix.spring.autoconfigure.diagnostics;

import dev.llmix.LlmixException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Thrown at start-up when the preset source named by {@code llmix.config.*} cannot be opened: the registry root or its
 * {@code source/} directory is missing, or the published registry does not load.
 */
public class PresetSourceUnavailableException extends LlmixException {

    private static final long serialVersionUID = 1L;

    private final String mode;

    private final Path root;

    public PresetSourceUnavailableException(String mode, Path root, String reason, @Nullable Throwable cause) {
        super("LLMix preset source (llmix.config.mode=" + mode + ") at " + root + " is unavailable: " + reason, cause);
        this.mode = mode;
        this.root = root;
    }

    /** The configured mode, {@code registry} or {@code source}. */
    public String mode() {
        return mode;
    }

    /** The absolute root directory that was tried. */
    public Path root() {
        return root;
    }
}
