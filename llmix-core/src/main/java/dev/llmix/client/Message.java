package dev.llmix.client;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A chat message with a role and text content, serialised as {@code {"role":…,"content":…}}. {@link LlmixClient}
 * turns messages into plain maps before the call, so they take part in the cache key exactly like hand-built maps.
 *
 * @param role    {@code system}, {@code user}, {@code assistant} or any role the provider accepts
 * @param content the message text
 */
@JsonPropertyOrder({"role", "content"})
public record Message(String role, String content) {

    public Message {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }

    /** A {@code system} message. */
    public static Message system(String content) {
        return new Message("system", content);
    }

    /** A {@code user} message. */
    public static Message user(String content) {
        return new Message("user", content);
    }

    /** An {@code assistant} message. */
    public static Message assistant(String content) {
        return new Message("assistant", content);
    }

    /** This message as an unmodifiable JSON object with {@code role} first, the form the pipeline and cache key use. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>(4);
        map.put("role", role);
        map.put("content", content);
        return java.util.Collections.unmodifiableMap(map);
    }
}
