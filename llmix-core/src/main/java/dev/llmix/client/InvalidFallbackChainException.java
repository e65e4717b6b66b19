package dev.llmix.client;

import dev.llmix.LlmixException;
import org.jspecify.annotations.Nullable;

/**
 * A fallback chain (docs/providers.md, "Fallback chains") is contradictory: a key that is not {@code module/preset},
 * an empty chain, an alternative without provider and model, or an unknown provider.
 */
public class InvalidFallbackChainException extends LlmixException {

    private static final long serialVersionUID = 1L;

    private final String chain;
    private final @Nullable Integer index;
    private final String field;

    public InvalidFallbackChainException(String chain, @Nullable Integer index, String field, String message) {
        super("Fallback chain '" + chain + "'" + (index == null ? "" : " alternative " + index)
                + (field.isEmpty() ? "" : " (" + field + ")") + ": " + message);
        this.chain = chain;
        this.index = index;
        this.field = field;
    }

    /** The chain's key, {@code module/preset}. */
    public String chain() {
        return chain;
    }

    /** The position of the wrong alternative from 0, or {@code null} when the chain as a whole is wrong. */
    public @Nullable Integer index() {
        return index;
    }

    /** The wrong field ({@code provider}, {@code model}, {@code preset}), or {@code ""} for the chain itself. */
    public String field() {
        return field;
    }
}
