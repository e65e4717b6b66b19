package dev.llmix.internal;

/**
 * The few ECMAScript text rules LLMix must reproduce byte for byte: its whitespace set (used by {@code trim()} and
 * regular-expression {@code \s}) and {@code parseInt(value, 10)}. Not part of the supported API.
 */
public final class EcmaScript {

    private EcmaScript() {
    }

    /**
     * True for ECMAScript WhiteSpace and LineTerminator code units: TAB, LF, VT, FF, CR, SPACE, U+00A0, U+1680,
     * U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000 and U+FEFF. Unlike {@link Character#isWhitespace}, U+001C–
     * U+001F, U+0085, U+180E and U+200B are not whitespace.
     */
    public static boolean isWhitespace(char c) {
        if (c <= ' ') {
            return c == ' ' || (c >= '\t' && c <= '\r');
        }
        if (c < '\u00a0') {
            return false;
        }
        return c == '\u00a0' || c == '\u1680' || (c >= '\u2000' && c <= '\u200a') || c == '\u2028' || c == '\u2029'
                || c == '\u202f' || c == '\u205f' || c == '\u3000' || c == '\ufeff';
    }

    /** {@code String.prototype.trim}: strips leading and trailing ECMAScript whitespace. */
    public static String trim(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isWhitespace(s.charAt(start))) {
            start++;
        }
        while (end > start && isWhitespace(s.charAt(end - 1))) {
            end--;
        }
        return start == 0 && end == s.length() ? s : s.substring(start, end);
    }

    /**
     * {@code parseInt(value, 10)}: skips leading ECMAScript whitespace, reads an optional sign and the longest run of
     * ASCII digits, ignores the rest. Returns {@code NaN} when there are no digits; values beyond 2^53 are rounded as
     * binary64, more than 308 digits give ±Infinity, and {@code "-0"} gives {@code -0.0}.
     */
    public static double parseInt(String value) {
        int i = 0;
        int n = value.length();
        while (i < n && isWhitespace(value.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < n && (value.charAt(i) == '+' || value.charAt(i) == '-')) {
            negative = value.charAt(i) == '-';
            i++;
        }
        int digitsStart = i;
        while (i < n && value.charAt(i) >= '0' && value.charAt(i) <= '9') {
            i++;
        }
        if (i == digitsStart) {
            return Double.NaN;
        }
        String digits = value.substring(digitsStart, i);
        double magnitude;
        if (digits.length() <= 15) {
            magnitude = Long.parseLong(digits);
        } else {
            // Double.parseDouble rounds a long decimal integer correctly (to nearest, ties to even), as V8 does.
            magnitude = Double.parseDouble(digits);
        }
        return negative ? -magnitude : magnitude;
    }
}
