package dev.llmix.fleet;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A Lua script run by {@code EVALSHA} with its SHA-1 computed locally, so that the first call needs no
 * {@code SCRIPT LOAD}; {@link FleetRuntime#script} falls back to {@code EVAL} once on {@code NOSCRIPT}.
 *
 * @param name for logs
 * @param text the Lua source
 * @param sha1 lowercase hex SHA-1 of the source
 */
public record FleetScript(String name, String text, String sha1) {

    /** A script with its digest computed. */
    public static FleetScript of(String name, String text) {
        Objects.requireNonNull(text, "text");
        try {
            byte[] d = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
            return new FleetScript(name, text, HexFormat.of().formatHex(d));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by the Java platform", e);
        }
    }
}
