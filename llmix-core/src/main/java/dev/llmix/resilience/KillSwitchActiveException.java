package dev.llmix.resilience;

import dev.llmix.LlmixException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Thrown when the kill switch file exists: an operator has stopped all LLMix calls that use this state directory.
 */
public class KillSwitchActiveException extends LlmixException {

    private static final long serialVersionUID = 1L;

    private final transient Path path;

    public KillSwitchActiveException(Path path) {
        super("Kill switch active: " + Objects.requireNonNull(path, "path") + " exists. All LLMix calls are blocked.");
        this.path = path;
    }

    /** The kill switch file whose existence blocked the call. */
    public Path path() {
        return path;
    }
}
