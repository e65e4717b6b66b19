package dev.llmix.pipeline;

import dev.llmix.spi.ProviderException;
import dev.llmix.LlmixLocalException;
import dev.llmix.resilience.CircuitOpenException;
import dev.llmix.resilience.KillSwitchActiveException;
import dev.llmix.resilience.RetryPolicy;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * Sorts a failure into the error classes of docs/pipeline.md: local (never retried, never counted), cancellation (like local),
 * circuit open (neither retried nor counted), provider (has a status) and network (everything else). Local types are
 * tested first, because some local types (Jackson's) would otherwise look like I/O failures.
 */
final class ErrorClassifier {

    enum Kind { LOCAL, CANCELLED, CIRCUIT_OPEN, PROVIDER, NETWORK }

    private ErrorClassifier() {
    }

    /** Strips the wrappers that futures add around the real failure. */
    static Throwable unwrap(Throwable t) {
        Throwable cur = t;
        while ((cur instanceof CompletionException || cur instanceof ExecutionException) && cur.getCause() != null) {
            cur = cur.getCause();
        }
        return cur;
    }

    static Kind classify(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof LlmixLocalException || t instanceof KillSwitchActiveException || isLocalJdkType(t)
                || isJacksonException(t) || t instanceof Error) {
            // A java.lang.Error (assertion, VM trouble) says nothing about the provider: never retried or counted.
            return Kind.LOCAL;
        }
        if (t instanceof CancellationException || t instanceof InterruptedException) {
            return Kind.CANCELLED;
        }
        if (t instanceof CircuitOpenException) {
            return Kind.CIRCUIT_OPEN;
        }
        if (t instanceof ProviderException pe && pe.statusCode() != null) {
            return Kind.PROVIDER;
        }
        return Kind.NETWORK;
    }

    /** The HTTP status of a provider error, else {@code null}. */
    static @Nullable Integer statusOf(Throwable failure) {
        Throwable t = unwrap(failure);
        return t instanceof ProviderException pe ? pe.statusCode() : null;
    }

    /** The {@code Retry-After} header of a provider error (any case), else {@code null}. */
    static @Nullable String retryAfterOf(Throwable failure) {
        Throwable t = unwrap(failure);
        return t instanceof ProviderException pe ? pe.retryAfter() : null;
    }

    /** Whether the retry loop may try again after this failure. */
    static boolean isRetryable(Throwable failure) {
        switch (classify(failure)) {
            case NETWORK:
                return true;
            case PROVIDER:
                Integer status = statusOf(failure);
                return status != null && RetryPolicy.isRetryable(status);
            default:
                return false;
        }
    }

    /** The message a failed {@link CallResponse} carries: the message, or {@code toString()} when there is none. */
    static String messageOf(Throwable failure) {
        Throwable t = unwrap(failure);
        String m = t.getMessage();
        return m != null ? m : t.toString();
    }

    private static boolean isLocalJdkType(Throwable t) {
        return t instanceof IllegalArgumentException
                || t instanceof NullPointerException
                || t instanceof ClassCastException
                || t instanceof IndexOutOfBoundsException
                || t instanceof ArithmeticException
                || t instanceof UnsupportedOperationException;
    }

    private static boolean isJacksonException(Throwable t) {
        if (t instanceof tools.jackson.core.JacksonException) {
            return true;
        }
        // Jackson 2 may be on an application's classpath; match it by name to avoid a dependency.
        for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
            String n = c.getName();
            if (n.equals("com.fasterxml.jackson.core.JacksonException")
                    || n.equals("com.fasterxml.jackson.core.JsonProcessingException")) {
                return true;
            }
        }
        return false;
    }
}
