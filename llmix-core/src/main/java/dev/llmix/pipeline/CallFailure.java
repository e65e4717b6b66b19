package dev.llmix.pipeline;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The typed reason of a failed call, beside {@link CallResponse#error()} (the contract's diagnostic string, which may
 * name files or URLs). Everything here is safe to return to an end user.
 *
 * @param type      what kind of failure it was
 * @param status    the provider's HTTP status, or {@code null} when no HTTP answer was involved
 * @param retryable whether the same call may succeed when tried again later
 * @param provider  the preset's provider, e.g. {@code openai}
 * @param message   a sentence for end users: no file path, key, or base URL
 */
public record CallFailure(CallFailureType type, @Nullable Integer status, boolean retryable, String provider,
        String message) {

    public CallFailure {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(message, "message");
    }

    /** A failure with the type's default message (plus the status when there is one). */
    public static CallFailure of(CallFailureType type, @Nullable Integer status, boolean retryable, String provider) {
        String message = status == null ? type.defaultMessage()
                : type.defaultMessage() + " (HTTP " + status + ")";
        return new CallFailure(type, status, retryable, provider, message);
    }
}
