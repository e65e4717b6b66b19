package dev.llmix.internal;

/**
 * JSON string literals written exactly as ECMAScript {@code JSON.stringify} (well-formed variant, ES2019) writes
 * them: {@code "} and {@code \} escaped, the short escapes {@code \b \f \n \r \t}, other control characters and
 * lone surrogates as {@code \}{@code uXXXX} with lower-case hex, everything else (surrogate pairs, U+2028/U+2029,
 * U+007F and above) raw. The one implementation shared by the RFC 8785 writer and the kwargs error messages; the
 * cache key writer ({@code dev.llmix.internal.json.CanonicalWriter}) has its own bulk-scanning fast path, tested against an
 * independent character-by-character oracle. Not part of the supported API.
 */
public final class JsonStrings {

    private JsonStrings() {
    }

    /** Appends {@code s} as a quoted JSON string literal. */
    public static void appendQuoted(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        appendUnicodeEscape(sb, c);
                    } else if (Character.isHighSurrogate(c)) {
                        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                            sb.append(c).append(s.charAt(++i));
                        } else {
                            appendUnicodeEscape(sb, c); // lone high surrogate
                        }
                    } else if (Character.isLowSurrogate(c)) {
                        appendUnicodeEscape(sb, c); // lone low surrogate (a paired one was consumed above)
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** {@code s} as a quoted JSON string literal. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        appendQuoted(sb, s);
        return sb.toString();
    }

    private static void appendUnicodeEscape(StringBuilder sb, char c) {
        String hex = Integer.toHexString(c);
        sb.append("\\u");
        for (int p = hex.length(); p < 4; p++) {
            sb.append('0');
        }
        sb.append(hex);
    }
}
