package dev.llmix.internal;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * ECMAScript {@code Number.prototype.toString()} for binary64 values: the shortest digits that round-trip, plain
 * notation for magnitudes in [1e-6, 1e21), exponent notation ({@code 1e+21}, {@code 1e-7}) outside it, {@code -0}
 * printed as {@code 0}. JDK 17's {@link Double#toString} does not always give the shortest digits, so they are
 * derived here. Not part of the supported API.
 */
public final class JsNumbers {

    /** Integers up to 2^53 print exactly as their {@code long} value. */
    private static final double EXACT_LONG_LIMIT = 9007199254740992d;

    /**
     * Any two distinct decimals of at most this many significant digits map to distinct normal doubles (C's
     * {@code DBL_DIG}), so a round-tripping string that short is the unique shortest one.
     */
    private static final int UNIQUE_DIGITS = 15;

    /** Exact powers of ten tried by the few-decimals fast path. */
    private static final double[] POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};

    private JsNumbers() {
    }

    /** Formats {@code value} as ECMAScript would ({@code NaN}, {@code Infinity} and {@code -Infinity} included). */
    public static String toString(double value) {
        if (value == 0) {
            return "0";
        }
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        if (value == Math.rint(value) && Math.abs(value) < EXACT_LONG_LIMIT) {
            return Long.toString((long) value);
        }
        StringBuilder sb = new StringBuilder(24);
        append(sb, value);
        return sb.toString();
    }

    /** Appends the ECMAScript form of {@code value} to {@code sb} ({@code NaN} and the infinities included). */
    public static void append(StringBuilder sb, double value) {
        if (value == 0) {
            sb.append('0');
            return;
        }
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            sb.append(toString(value));
            return;
        }
        if (value == Math.rint(value) && Math.abs(value) < EXACT_LONG_LIMIT) {
            sb.append((long) value);
            return;
        }
        if (value < 0) {
            sb.append('-');
            value = -value;
        }
        char[] digits = new char[32];
        if (appendFewDecimals(sb, value, digits)) {
            return;
        }
        String jdk = Double.toString(value);
        int packed = parseJdk(jdk, digits);
        int k = packed >>> 16;
        int n = (short) packed;
        // Double.toString always round-trips; in the normal range a string of <= 15 digits is then provably shortest.
        if (k > UNIQUE_DIGITS || value < Double.MIN_NORMAL) {
            BigDecimal shortest = shortest(value, k);
            String s = shortest.unscaledValue().toString();
            k = s.length();
            n = k - shortest.scale();
            s.getChars(0, k, digits, 0);
        }
        layout(sb, digits, k, n);
    }

    /**
     * Fast path for values such as 0.7 or 12.345 that are {@code m / 10^j} with a small {@code j}: when the division
     * of the exact operands {@code m} and {@code 10^j} reads back as {@code value} and {@code m} has at most 15
     * digits, those digits are the unique shortest ones (see {@link #UNIQUE_DIGITS}).
     */
    private static boolean appendFewDecimals(StringBuilder sb, double value, char[] digits) {
        for (int j = 1; j < POW10.length; j++) {
            double scaled = value * POW10[j];
            if (scaled >= 1e15) {
                return false;
            }
            long m = Math.round(scaled);
            if (m != 0 && m / POW10[j] == value) {
                int k = 0;
                for (long rest = m; rest != 0; rest /= 10) {
                    digits[k++] = (char) ('0' + rest % 10);
                }
                for (int lo = 0, hi = k - 1; lo < hi; lo++, hi--) {
                    char t = digits[lo];
                    digits[lo] = digits[hi];
                    digits[hi] = t;
                }
                int n = k - j;
                while (digits[k - 1] == '0') {
                    k--;
                }
                layout(sb, digits, k, n);
                return true;
            }
        }
        return false;
    }

    /** The slow path alone, for tests that cross-check the fast path. */
    static String toStringWithoutFastPath(double value) {
        StringBuilder sb = new StringBuilder(24);
        if (value < 0) {
            sb.append('-');
            value = -value;
        }
        BigDecimal shortest = shortest(value, 17);
        String s = shortest.unscaledValue().toString();
        layout(sb, s.toCharArray(), s.length(), s.length() - shortest.scale());
        return sb.toString();
    }

    /**
     * Reads the significant digits of a positive {@link Double#toString} result into {@code digits} and returns
     * {@code k << 16 | (n & 0xffff)}, where the value is {@code 0.d1…dk × 10^n} (ECMAScript's k and n).
     */
    private static int parseJdk(String jdk, char[] digits) {
        int k = 0;
        int n = 0;
        boolean seenPoint = false;
        boolean leading = true;
        int i = 0;
        int len = jdk.length();
        for (; i < len; i++) {
            char c = jdk.charAt(i);
            if (c == '.') {
                seenPoint = true;
            } else if (c == 'E') {
                break;
            } else if (leading && c == '0') {
                if (seenPoint) {
                    n--;
                }
            } else {
                leading = false;
                digits[k++] = c;
                if (!seenPoint) {
                    n++;
                }
            }
        }
        if (i < len) {
            n += Integer.parseInt(jdk, i + 1, len, 10);
        }
        while (k > 1 && digits[k - 1] == '0') {
            k--;
        }
        return k << 16 | (n & 0xffff);
    }

    /** Writes digits {@code d[0..k)} with exponent {@code n} in the layout of ECMAScript Number::toString. */
    private static void layout(StringBuilder sb, char[] d, int k, int n) {
        if (k <= n && n <= 21) {
            sb.append(d, 0, k);
            for (int i = 0; i < n - k; i++) {
                sb.append('0');
            }
        } else if (0 < n && n <= 21) {
            sb.append(d, 0, n).append('.').append(d, n, k - n);
        } else if (-6 < n && n <= 0) {
            sb.append("0.");
            for (int i = 0; i < -n; i++) {
                sb.append('0');
            }
            sb.append(d, 0, k);
        } else {
            int e = n - 1;
            sb.append(d[0]);
            if (k > 1) {
                sb.append('.').append(d, 1, k - 1);
            }
            sb.append('e').append(e < 0 ? '-' : '+').append(Math.abs(e));
        }
    }

    /**
     * The decimal with the fewest significant digits that rounds back to the positive {@code value}, the one closest
     * to the exact value when several have that length (ECMAScript Number::toString step 5). {@code upperDigits} is a
     * length known to suffice.
     */
    private static BigDecimal shortest(double value, int upperDigits) {
        BigDecimal exact = new BigDecimal(value);
        if (closestRoundTripping(exact, value, upperDigits) == null) {
            upperDigits = 17; // 17 significant digits always suffice for binary64
        }
        BigDecimal best = exact;
        // Having a p-digit decimal in the rounding interval implies having a (p+1)-digit one, so the search can stop
        // at the first length that has none.
        for (int p = upperDigits; p >= 1; p--) {
            BigDecimal candidate = closestRoundTripping(exact, value, p);
            if (candidate == null) {
                break;
            }
            best = candidate;
        }
        return best.stripTrailingZeros();
    }

    /** Of the two p-digit neighbours of {@code exact}, the closer one that reads back as {@code value}, or null. */
    private static BigDecimal closestRoundTripping(BigDecimal exact, double value, int p) {
        BigDecimal lo = exact.round(new MathContext(p, RoundingMode.FLOOR));
        BigDecimal hi = exact.round(new MathContext(p, RoundingMode.CEILING));
        boolean loOk = lo.doubleValue() == value;
        boolean hiOk = hi.doubleValue() == value;
        if (loOk && hiOk) {
            int cmp = exact.subtract(lo).compareTo(hi.subtract(exact));
            if (cmp != 0) {
                return cmp < 0 ? lo : hi;
            }
            return lo.unscaledValue().testBit(0) ? hi : lo;
        }
        return loOk ? lo : hiOk ? hi : null;
    }
}
