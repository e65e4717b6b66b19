package dev.llmix.cache;

import dev.llmix.internal.json.CanonicalWriter;
import java.util.Objects;

/**
 * Response-cache keys: {@code prefix + lowercase hex SHA-256(UTF-8(canonical JSON))}, identical to the keys the
 * TypeScript and Python bindings write for the same request, so services in different languages can share one Redis.
 */
public final class CacheKeys {

    /** The prefix used by the TypeScript and Python bindings (the published Rust crate uses {@code llmix:resp:v2:}). */
    public static final String DEFAULT_PREFIX = "llmix:resp:";

    private CacheKeys() {
    }

    /** The key with the default {@code llmix:resp:} prefix. */
    public static String generate(CacheKeyParams params) {
        return generate(params, DEFAULT_PREFIX);
    }

    /** The key with a custom prefix (e.g. {@code llmix:resp:v2:} to share entries with the Rust crate). */
    public static String generate(CacheKeyParams params, String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        return params.key(prefix);
    }

    /** The exact text that is hashed, for debugging key mismatches between services. */
    public static String canonical(CacheKeyParams params) {
        return params.canonical();
    }

    /**
     * Lowercase hex SHA-256 of the UTF-8 bytes of {@code utf8Text}, encoded as {@code String.getBytes(UTF_8)} does (a
     * lone surrogate becomes {@code ?}; canonical JSON never contains one, it escapes them).
     */
    public static String sha256Hex(String utf8Text) {
        CanonicalWriter w = CanonicalWriter.borrow();
        w.writeText(utf8Text, false);
        String hex = w.sha256Key("");
        w.release();
        return hex;
    }
}
