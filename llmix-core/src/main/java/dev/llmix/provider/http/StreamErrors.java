package dev.llmix.provider.http;

import dev.llmix.spi.ProviderException;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** Shared pieces of the stream decoders: payload parsing and mid-stream error events as provider failures. */
final class StreamErrors {

    /** Error type names to statuses (docs/streaming.md, "Mid-stream errors"). */
    private static final Map<String, Integer> TYPE_STATUS = Map.ofEntries(
            Map.entry("invalid_request_error", 400),
            Map.entry("authentication_error", 401),
            Map.entry("invalid_api_key", 401),
            Map.entry("permission_error", 403),
            Map.entry("not_found_error", 404),
            Map.entry("request_too_large", 413),
            Map.entry("rate_limit_exceeded", 429),
            Map.entry("rate_limit_error", 429),
            Map.entry("insufficient_quota", 429),
            Map.entry("server_error", 500),
            Map.entry("api_error", 500),
            Map.entry("overloaded_error", 529));

    /** Google RPC status names to HTTP statuses. */
    private static final Map<String, Integer> RPC_STATUS = Map.of(
            "INVALID_ARGUMENT", 400,
            "UNAUTHENTICATED", 401,
            "PERMISSION_DENIED", 403,
            "NOT_FOUND", 404,
            "RESOURCE_EXHAUSTED", 429,
            "INTERNAL", 500,
            "UNAVAILABLE", 503,
            "DEADLINE_EXCEEDED", 504);

    private StreamErrors() {
    }

    /** A data payload as a JSON object, else {@code invalid provider stream: <reason>} (network class). */
    static JsonNode parse(String data, List<String> secrets) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(data);
        } catch (JacksonException e) {
            String reason = e.getOriginalMessage();
            if (reason.length() > 200) {
                reason = reason.substring(0, 200) + "…";
            }
            throw ProviderException.network("invalid provider stream: " + Redaction.redact(reason, secrets), null);
        }
        if (node == null || !node.isObject()) {
            throw ProviderException.network("invalid provider stream: expected a JSON object", null);
        }
        return node;
    }

    /**
     * A mid-stream error: its message (else {@code provider stream failed: <type>}), with a status from an integer
     * code in 100–599, else from the type name or Google RPC status; none otherwise. Never carries headers.
     */
    static ProviderException failure(@Nullable JsonNode error, @Nullable JsonNode outer, List<String> secrets) {
        String message = null;
        String type = null;
        Integer status = null;
        if (error != null && error.isString()) {
            message = error.asString();
        } else if (error != null && error.isObject()) {
            message = Json.string(error.get("message"));
            type = Json.string(error.get("type"));
            status = statusOf(error.get("code"));
            if (status == null && error.get("code") != null && error.get("code").isString()) {
                String code = error.get("code").asString();
                status = TYPE_STATUS.get(code);
                if (type == null) {
                    type = code;
                }
            }
            if (status == null && type != null) {
                status = TYPE_STATUS.get(type);
            }
            if (status == null) {
                String rpc = Json.string(error.get("status"));
                if (rpc != null) {
                    status = RPC_STATUS.get(rpc);
                    if (type == null) {
                        type = rpc;
                    }
                }
            }
        }
        if (status == null && outer != null) {
            status = statusOf(outer.get("code"));
        }
        if (message == null && outer != null) {
            message = Json.string(outer.get("message"));
        }
        if (message == null || message.isBlank()) {
            message = "provider stream failed: " + (type == null ? "error" : type);
        }
        if (message.length() > AdapterSupport.MAX_ERROR_TEXT) {
            message = message.substring(0, AdapterSupport.MAX_ERROR_TEXT) + "…";
        }
        return new ProviderException(Redaction.redact(message, secrets), status, null);
    }

    private static @Nullable Integer statusOf(@Nullable JsonNode code) {
        if (code != null && code.isIntegralNumber()) {
            int c = code.asInt();
            if (c >= 100 && c <= 599) {
                return c;
            }
        }
        return null;
    }
}
