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

    /**
     * For kill switches other than the file (e.g. a fleet-wide switch); {@code message} should start with
     * {@code Kill switch active} like the file's.
     *
     * @param path the local kill switch file of the refusing pipeline
     */
    protected KillSwitchActiveException(Path path, String message) {
        super(Objects.requireNonNull(message, "message"));
        this.path = Objects.requireNonNull(path, "path");
    }

    /** The kill switch file whose existence blocked the call. */
    public Path path() {
        return path;
    }
}
