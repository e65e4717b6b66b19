package dev.llmix.budget;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a budget covers: all calls of a provider, one model of it, or one API key (by fingerprint, never the key).
 * {@link #id()} is the scope id used in messages, metric tags, Actuator and fleet keys.
 *
 * @param kind      provider, model or key scope
 * @param provider  the presets' provider name
 * @param qualifier the model name (model scope) or key fingerprint (key scope); {@code null} for the provider scope
 */
public record BudgetScope(Kind kind, String provider, @Nullable String qualifier) {

    /** The three scope kinds, in the order a call consumes from them. */
    public enum Kind {
        /** All calls of a provider; id {@code p:<provider>}. */
        PROVIDER("p:", "provider"),
        /** Calls of one model; id {@code m:<provider>/<model>}. */
        MODEL("m:", "model"),
        /** Calls with one key; id {@code k:<provider>/<fingerprint>}. */
        KEY("k:", "key");

        private final String prefix;
        private final String tag;

        Kind(String prefix, String tag) {
            this.prefix = prefix;
            this.tag = tag;
        }

        /** Lower-case name used as the {@code scope} metric tag. */
        public String tag() {
            return tag;
        }
    }

    /** Checks that a qualifier is present exactly for model and key scopes. */
    public BudgetScope {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(provider, "provider");
        if (provider.isEmpty()) {
            throw new IllegalArgumentException("provider must not be empty");
        }
        if ((kind == Kind.PROVIDER) != (qualifier == null)) {
            throw new IllegalArgumentException(kind == Kind.PROVIDER ? "a provider scope has no qualifier"
                    : "a " + kind.tag + " scope needs a qualifier");
        }
    }

    /** The provider scope. */
    public static BudgetScope provider(String provider) {
        return new BudgetScope(Kind.PROVIDER, provider, null);
    }

    /** A model scope. */
    public static BudgetScope model(String provider, String model) {
        return new BudgetScope(Kind.MODEL, provider, model);
    }

    /** A key scope from a key fingerprint ({@link #keyFingerprint(String)}). */
    public static BudgetScope key(String provider, String fingerprint) {
        return new BudgetScope(Kind.KEY, provider, fingerprint);
    }

    /**
     * Scope id: {@code p:<provider>}, {@code m:<provider>/<model>} or {@code k:<provider>/<fp>}, with {@code %},
     * <code>{</code>, <code>}</code> and characters up to U+0020 percent-encoded in the names.
     */
    public String id() {
        String q = qualifier;
        return q == null ? kind.prefix + encode(provider) : kind.prefix + encode(provider) + "/" + encode(q);
    }

    /** Percent-encodes {@code %}, braces and characters up to U+0020 (space and controls) as {@code %XX}. */
    public static String encode(String name) {
        StringBuilder sb = null;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean escape = c == '%' || c == '{' || c == '}' || c <= ' ';
            if (escape && sb == null) {
                sb = new StringBuilder(name.length() + 8).append(name, 0, i);
            }
            if (sb != null) {
                if (escape) {
                    sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? name : sb.toString();
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /**
     * Fingerprint of an API key for key scopes: the first 16 lower-case hex digits of SHA-256 over the UTF-8 bytes of
     * the trimmed key ({@code sk-test} gives {@code f3abf2a6cc4f0098}). The key itself never leaves the pool.
     */
    public static String keyFingerprint(String apiKey) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(apiKey.trim().getBytes(StandardCharsets.UTF_8));
            char[] out = new char[16];
            for (int i = 0; i < 8; i++) {
                out[2 * i] = Character.forDigit((d[i] >> 4) & 0xF, 16);
                out[2 * i + 1] = Character.forDigit(d[i] & 0xF, 16);
            }
            return new String(out);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
