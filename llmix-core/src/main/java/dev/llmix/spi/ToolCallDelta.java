package dev.llmix.spi;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One fragment of a streamed tool call: the call's ordinal, its id and name on the fragment where they first become
 * known, and the next piece of its arguments JSON text.
 *
 * @param index          the tool call's 0-based ordinal within the answer
 * @param id             the call id, present on the fragment where it first becomes known
 * @param name           the function name, present on the fragment where it first becomes known
 * @param argumentsDelta the next piece of the arguments JSON text; {@code ""} when this fragment adds none
 */
public record ToolCallDelta(int index, @Nullable String id, @Nullable String name, String argumentsDelta) {

    public ToolCallDelta {
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, got " + index);
        }
        Objects.requireNonNull(argumentsDelta, "argumentsDelta");
    }

    /** True when the fragment carries an id, a name or argument text. */
    public boolean isEmpty() {
        return (id == null || id.isEmpty()) && (name == null || name.isEmpty()) && argumentsDelta.isEmpty();
    }
}
