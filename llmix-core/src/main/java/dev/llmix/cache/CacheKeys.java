package dev.llmix.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * Response-cache keys: {@code prefix + lowercase hex SHA-256(UTF-8(canonical JSON))}, identical to the keys the
 * TypeScript and Python bindings write for the same request, so services in different languages can share one Redis.
 */
public final class CacheKeys {

    /** The prefix used by the TypeScript and Python bindings (the published Rust crate uses {@code llmix:resp:v2:}). */
    public static final String DEFAULT_PREFIX = "llmix:resp:";

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** Cloning a prepared digest is far cheaper than a provider lookup on every call. */
    private static final MessageDigest SHA256_PROTOTYPE = newSha256();

    private CacheKeys() {
    }

    /** The key with the default {@code llmix:resp:} prefix. */
    public static String generate(CacheKeyParams params) {
        return generate(params, DEFAULT_PREFIX);
    }

    /** The key with a custom prefix (e.g. {@code llmix:resp:v2:} to share entries with the Rust crate). */
    public static String generate(CacheKeyParams params, String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        return prefix.concat(sha256Hex(params.canonical()));
    }

    /** The exact text that is hashed, for debugging key mismatches between services. */
    public static String canonical(CacheKeyParams params) {
        return params.canonical();
    }

    /**
     * Lowercase hex SHA-256 of the UTF-8 bytes of {@code utf8Text}. A lone surrogate in the input would be encoded as
     * {@code ?}; canonical JSON never contains one (it escapes them).
     */
    public static String sha256Hex(String utf8Text) {
        byte[] digest = sha256().digest(utf8Text.getBytes(StandardCharsets.UTF_8));
        char[] hex = new char[digest.length * 2];
        for (int i = 0; i < digest.length; i++) {
            int b = digest[i] & 0xff;
            hex[2 * i] = HEX[b >>> 4];
            hex[2 * i + 1] = HEX[b & 0xf];
        }
        return new String(hex);
    }

    private static MessageDigest sha256() {
        try {
            return (MessageDigest) SHA256_PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return newSha256();
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }
}
