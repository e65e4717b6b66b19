package dev.llmix.config.mda;

import dev.llmix.internal.json.Jcs;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@code .mda} integrity digest: a hash of {@code "---\n" + JCS(frontmatter without top-level integrity and
 * signatures) + "\n---\n" + normalizedBody}, so it survives YAML re-formatting, BOM, CRLF and trailing whitespace.
 */
public final class MdaIntegrity {

    /** The supported algorithms, as written in {@code integrity.algorithm}. */
    public static final List<String> ALGORITHMS = List.of("sha256", "sha384", "sha512");

    private MdaIntegrity() {
    }

    /**
     * The canonical text that is hashed.
     *
     * @throws IllegalArgumentException when the frontmatter holds a non-finite number
     */
    public static String canonicalText(Map<String, ?> frontmatter, String body) {
        Map<String, @Nullable Object> copy = new LinkedHashMap<>(frontmatter);
        copy.remove("integrity");
        copy.remove("signatures");
        return "---\n" + Jcs.canonicalize(copy) + "\n---\n" + normalizeBody(body);
    }

    /**
     * The body as hashed: trailing spaces and tabs stripped from each line, trailing empty lines dropped, one final
     * LF; the empty string when nothing remains.
     */
    public static String normalizeBody(String body) {
        if (body.isEmpty()) {
            return "";
        }
        String[] lines = body.split("\n", -1);
        int last = lines.length - 1;
        for (int i = 0; i < lines.length; i++) {
            lines[i] = stripTrailingSpacesAndTabs(lines[i]);
        }
        while (last >= 0 && lines[last].isEmpty()) {
            last--;
        }
        if (last < 0) {
            return "";
        }
        StringBuilder sb = new StringBuilder(body.length());
        for (int i = 0; i <= last; i++) {
            sb.append(lines[i]).append('\n');
        }
        return sb.toString();
    }

    /**
     * The lowercase hex digest of the canonical text.
     *
     * @param algorithm {@code sha256}, {@code sha384} or {@code sha512}
     */
    public static String computeHex(Map<String, ?> frontmatter, String body, String algorithm) {
        return hex(algorithm, canonicalText(frontmatter, body).getBytes(StandardCharsets.UTF_8));
    }

    /** The declared form {@code <algorithm>:<hex>}. */
    public static String compute(Map<String, ?> frontmatter, String body, String algorithm) {
        return algorithm + ":" + computeHex(frontmatter, body, algorithm);
    }

    /** Lowercase hex of the given hash over {@code bytes}. */
    public static String hex(String algorithm, byte[] bytes) {
        String jdkName = switch (algorithm) {
            case "sha256" -> "SHA-256";
            case "sha384" -> "SHA-384";
            case "sha512" -> "SHA-512";
            default -> throw new IllegalArgumentException("Unsupported integrity algorithm " + algorithm);
        };
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(jdkName).digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(jdkName + " is not available", e);
        }
    }

    /** Lowercase hex SHA-256 of {@code bytes}. */
    public static String sha256Hex(byte[] bytes) {
        return hex("sha256", bytes);
    }

    private static String stripTrailingSpacesAndTabs(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
            end--;
        }
        return line.substring(0, end);
    }
}
