package dev.llmix.spi;

import dev.llmix.spi.CallInput;
import dev.llmix.LlmixLocalException;
import dev.llmix.internal.JsonDepth;
import java.util.List;

/**
 * The chat messages of a call cannot be sent: a message is {@code null}, or the messages nest deeper than
 * {@link JsonDepth#MAX_DEPTH} levels (a message that contains itself counts as infinitely deep).
 * Thrown by {@link CallInput} and by the HTTP adapters before anything is sent; never retried.
 */
public class InvalidMessagesException extends LlmixLocalException {

    private static final long serialVersionUID = 1L;

    /** An exception with {@code message}, which never quotes the messages themselves. */
    public InvalidMessagesException(String message) {
        super(message);
    }

    /**
     * Checks that no message is {@code null}.
     *
     * @throws InvalidMessagesException for a {@code null} message
     */
    static void checkNoNulls(List<?> messages) {
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i) == null) {
                throw new InvalidMessagesException("invalid messages: messages[" + i + "] is null");
            }
        }
    }

    /**
     * Checks that {@code messages} nest at most {@link JsonDepth#MAX_DEPTH} levels below the list, stopping there, so a
     * message that contains itself cannot exhaust the stack.
     *
     * @throws InvalidMessagesException for nesting beyond the limit
     */
    public static void checkDepth(List<?> messages) {
        if (JsonDepth.exceeds(messages, JsonDepth.MAX_DEPTH + 1)) {
            throw new InvalidMessagesException("invalid messages: nested deeper than " + JsonDepth.MAX_DEPTH
                    + " levels, or a message contains itself");
        }
    }
}
