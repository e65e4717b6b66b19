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

    /** Appends the ECMAScript form of a finite, non-zero-handled {@code value} to {@code sb}. */
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
        BigDecimal shortest = shortest(value);
        // digits s (no leading/trailing zeros) and exponent n such that value = 0.s × 10^n (ECMAScript's k and n).
        String s = shortest.unscaledValue().toString();
        int scale = shortest.scale();
        int k = s.length();
        int n = k - scale;
        if (k <= n && n <= 21) {
            sb.append(s);
            for (int i = 0; i < n - k; i++) {
                sb.append('0');
            }
        } else if (0 < n && n <= 21) {
            sb.append(s, 0, n).append('.').append(s, n, k);
        } else if (-6 < n && n <= 0) {
            sb.append("0.");
            for (int i = 0; i < -n; i++) {
                sb.append('0');
            }
            sb.append(s);
        } else {
            int e = n - 1;
            sb.append(s.charAt(0));
            if (k > 1) {
                sb.append('.').append(s, 1, k);
            }
            sb.append('e').append(e < 0 ? '-' : '+').append(Math.abs(e));
        }
    }

    /** The decimal with the fewest significant digits that rounds back to {@code value} (closest one on ties). */
    private static BigDecimal shortest(double value) {
        BigDecimal exact = new BigDecimal(value);
        String candidate = Double.toString(value);
        // Double.toString is correct (round-trips) and usually shortest; try shorter precisions to be sure.
        BigDecimal fromJdk = new BigDecimal(candidate).stripTrailingZeros();
        int jdkDigits = fromJdk.precision();
        BigDecimal best = fromJdk;
        for (int p = jdkDigits - 1; p >= 1; p--) {
            BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            if (r.doubleValue() == value) {
                best = r.stripTrailingZeros();
            } else {
                break;
            }
        }
        if (best == fromJdk) {
            // Same digit count, but ECMAScript wants the candidate closest to the exact value.
            BigDecimal r = exact.round(new MathContext(jdkDigits, RoundingMode.HALF_EVEN));
            if (r.doubleValue() == value) {
                best = r.stripTrailingZeros();
            }
        }
        return best;
    }
}
