package dev.llmix.spi;

import dev.llmix.LlmixException;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A failed provider call, thrown (or used to complete a stage exceptionally) by a {@link DispatchFunction}. With a
 * status code it is a provider error (retryable for 408, 429 and 5xx); without one it is a network error. The
 * headers carry {@code Retry-After} and rate-limit information; their names are matched case-insensitively.
 * Messages must never contain an API key.
 */
public class ProviderException extends LlmixException {

    private static final long serialVersionUID = 1L;

    private final @Nullable Integer statusCode;
    private final Map<String, String> headers;

    /** A provider error with an HTTP status and response headers. */
    public ProviderException(String message, @Nullable Integer statusCode, @Nullable Map<String, String> headers) {
        this(message, statusCode, headers, null);
    }

    /** A provider or network error with a cause. */
    public ProviderException(String message, @Nullable Integer statusCode, @Nullable Map<String, String> headers,
            @Nullable Throwable cause) {
        super(message, cause);
        this.statusCode = statusCode;
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            headers.forEach((k, v) -> {
                if (k != null && v != null) {
                    h.put(k, v);
                }
            });
        }
        this.headers = java.util.Collections.unmodifiableMap(h);
    }

    /** A provider error with an HTTP status and no headers. */
    public static ProviderException ofStatus(int statusCode, String message) {
        return new ProviderException(message, statusCode, null);
    }

    /** A network error (no status code), e.g. a refused connection or a timeout. */
    public static ProviderException network(String message, @Nullable Throwable cause) {
        return new ProviderException(message, null, null, cause);
    }

    /** The HTTP status, or {@code null} for a network error. */
    public @Nullable Integer statusCode() {
        return statusCode;
    }

    /** Response headers; lookups ignore case. */
    public Map<String, String> headers() {
        return headers;
    }

    /** The {@code Retry-After} header value, whatever its case, or {@code null}. */
    public @Nullable String retryAfter() {
        return headers.get("retry-after");
    }

    /** True when there is no status code, i.e. the provider was not reached or did not answer. */
    public boolean isNetworkError() {
        return statusCode == null;
    }

    @Override
    public String toString() {
        return getClass().getName() + "[status=" + statusCode + "]: " + getMessage();
    }
}
