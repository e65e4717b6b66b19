package dev.llmix.spi;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An attempt failed; either another one follows after {@code retryDelay}, or this failure ends the call.
 *
 * @param provider   the preset's provider
 * @param model      the preset's model
 * @param baseUrl    the effective base URL ({@code ""} for the provider's default)
 * @param attempt    0 for the first attempt, then 1, 2, …
 * @param status     the provider's HTTP status, or {@code null} when there was none (network, timeout, local)
 * @param reason     why, as a low-cardinality name: the failure type lower-cased, e.g. {@code rate_limited},
 *                   {@code provider_error}, {@code timeout}, {@code network}, {@code authentication}
 * @param retryDelay the back-off before the next attempt, or {@code null} when this failure is final
 */
public record AttemptFailedEvent(String provider, String model, String baseUrl, int attempt, @Nullable Integer status,
        String reason, @Nullable Duration retryDelay) {

    public AttemptFailedEvent {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(reason, "reason");
    }

    /** Whether another attempt follows. */
    public boolean willRetry() {
        return retryDelay != null;
    }
}
