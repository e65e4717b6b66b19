package dev.llmix.spring.actuate;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The HTTP face of the {@code llmix} endpoint's writes: answers bad input with {@code 400 {"error": "…"}} (the
 * dashboard contract) instead of Spring's generic error body.
 */
@EndpointWebExtension(endpoint = LlmixEndpoint.class)
public class LlmixWebEndpointExtension {

    private final LlmixEndpoint endpoint;

    public LlmixWebEndpointExtension(LlmixEndpoint endpoint) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    }

    /** As below, without a key fingerprint. */
    public WebEndpointResponse<Object> write(String target, @Nullable Boolean engage, @Nullable String reason,
            @Nullable String provider, @Nullable String baseUrl, @Nullable Boolean clear,
            @Nullable SecurityContext security) {
        return write(target, engage, reason, provider, baseUrl, clear, null, security);
    }

    /** As {@link LlmixEndpoint#write}, with {@code 400 {"error": "…"}} for bad input. */
    @WriteOperation
    public WebEndpointResponse<Object> write(@Selector String target, @Nullable Boolean engage,
            @Nullable String reason, @Nullable String provider, @Nullable String baseUrl, @Nullable Boolean clear,
            @Nullable String fingerprint, @Nullable SecurityContext security) {
        try {
            return new WebEndpointResponse<>(endpoint.write(target, engage, reason, provider, baseUrl, clear,
                    fingerprint, security));
        } catch (InvalidEndpointRequestException e) {
            return new WebEndpointResponse<>(Map.of("error", e.getReason()), WebEndpointResponse.STATUS_BAD_REQUEST);
        }
    }
}
