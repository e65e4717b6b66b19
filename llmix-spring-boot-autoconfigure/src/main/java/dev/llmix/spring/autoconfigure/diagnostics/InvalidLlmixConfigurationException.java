package dev.llmix.spring.autoconfigure.diagnostics;

import dev.llmix.LlmixException;
import org.jspecify.annotations.Nullable;

/**
 * Thrown at start-up when {@code llmix.*} settings are individually valid but do not work together (e.g. a limiter
 * floor above its ceiling, or a fleet kill switch without Redis). Carries the offending property and how to fix it.
 */
public class InvalidLlmixConfigurationException extends LlmixException {

    private static final long serialVersionUID = 1L;

    private final String property;
    private final String action;

    public InvalidLlmixConfigurationException(String property, String problem, String action,
            @Nullable Throwable cause) {
        super(property + ": " + problem, cause);
        this.property = property;
        this.action = action;
    }

    /** The property (or group of properties) to change, e.g. {@code llmix.pipeline.limiter.min}. */
    public String property() {
        return property;
    }

    /** What the user should do about it. */
    public String action() {
        return action;
    }
}
