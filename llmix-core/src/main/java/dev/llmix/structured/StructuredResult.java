package dev.llmix.structured;

import dev.llmix.pipeline.CallResponse;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of {@code callForObjectResult}: the bound value, or the failure, with the last pipeline response.
 *
 * @param value    the bound value, or {@code null} on failure
 * @param response the last pipeline response
 * @param error    the failure, or {@code null} on success
 * @param <T>      the requested type
 */
public record StructuredResult<T>(@Nullable T value, CallResponse response,
        @Nullable StructuredOutputException error) {

    /** Whether a value was produced. */
    public boolean isSuccess() {
        return error == null;
    }
}
