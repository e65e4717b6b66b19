package dev.llmix.springai.dispatch;

import io.micrometer.observation.ObservationPredicate;
import org.springframework.ai.chat.observation.ChatModelObservationContext;

/**
 * Suppresses the chat-model observation of a {@link SpringAiDispatch} delegate: the LLMix call around it is already
 * observed once, so the delegate's own {@code gen_ai.client.operation} (and {@code gen_ai.client.token.usage}) would
 * count it twice. Register {@link #predicate()} with the observation registry; HTTP-client observations are untouched.
 */
public final class DelegateObservations {

    private static final ThreadLocal<Boolean> IN_DELEGATE = new ThreadLocal<>();

    private DelegateObservations() {
    }

    /** Disables {@link ChatModelObservationContext} observations started inside a delegate call. */
    public static ObservationPredicate predicate() {
        return (name, context) -> !(context instanceof ChatModelObservationContext && inDelegate());
    }

    /** Whether the current thread is inside a {@link SpringAiDispatch} delegate call. */
    public static boolean inDelegate() {
        return Boolean.TRUE.equals(IN_DELEGATE.get());
    }

    /** Runs {@code action} with the current thread marked as inside a delegate call. */
    static <T> T within(java.util.function.Supplier<T> action) {
        Boolean previous = IN_DELEGATE.get();
        IN_DELEGATE.set(Boolean.TRUE);
        try {
            return action.get();
        } finally {
            if (previous == null) {
                IN_DELEGATE.remove();
            } else {
                IN_DELEGATE.set(previous);
            }
        }
    }
}
