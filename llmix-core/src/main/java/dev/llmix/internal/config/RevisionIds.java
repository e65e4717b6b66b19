package dev.llmix.internal.config;

import dev.llmix.config.ConfigSecurityException;
import dev.llmix.config.InvalidConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Registry revision ids ({@code ^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$}) and their natural ordering, used by
 * {@code minimumRevision} and trust manifests: digit runs compare as numbers, other runs as ASCII text.
 */
public final class RevisionIds {

    private static final Pattern REVISION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    private RevisionIds() {
    }

    /**
     * Validates a revision id.
     *
     * @throws InvalidConfigException  when empty or not matching the pattern
     * @throws ConfigSecurityException when it contains {@code /}, {@code \} or {@code ..}
     */
    public static String validate(@Nullable String revision) {
        if (revision == null || revision.isEmpty()) {
            throw new InvalidConfigException("Invalid Config Registry revision id: must not be empty");
        }
        if (revision.indexOf('/') >= 0 || revision.indexOf('\\') >= 0 || revision.contains("..")) {
            throw new ConfigSecurityException("Invalid Config Registry revision id \"" + revision
                    + "\": path characters are not allowed");
        }
        if (!REVISION.matcher(revision).matches()) {
            throw new InvalidConfigException("Invalid Config Registry revision id \"" + revision + "\": must match ^"
                    + REVISION.pattern() + "$");
        }
        return revision;
    }

    /**
     * Compares two revision ids: -1, 0 or 1. Both are checked for emptiness and path characters first; the pattern
     * is not enforced here, because the spec's ordering vectors compare {@code "-"} (which no revision can be named).
     *
     * @throws InvalidConfigException for an empty id
     * @throws ConfigSecurityException for an id with {@code /}, {@code \} or {@code ..}
     */
    public static int compare(String a, String b) {
        List<String> ra = runs(checkSafe(a));
        List<String> rb = runs(checkSafe(b));
        for (int i = 0; i < Math.min(ra.size(), rb.size()); i++) {
            String x = ra.get(i);
            String y = rb.get(i);
            int c;
            if (isDigit(x.charAt(0)) && isDigit(y.charAt(0))) {
                String nx = stripZeros(x);
                String ny = stripZeros(y);
                c = nx.length() != ny.length() ? Integer.compare(nx.length(), ny.length()) : nx.compareTo(ny);
            } else {
                c = x.compareTo(y);
            }
            if (c != 0) {
                return Integer.signum(c);
            }
        }
        return Integer.signum(Integer.compare(ra.size(), rb.size()));
    }

    private static String checkSafe(@Nullable String revision) {
        if (revision == null || revision.isEmpty()) {
            throw new InvalidConfigException("Invalid Config Registry revision id: must not be empty");
        }
        if (revision.indexOf('/') >= 0 || revision.indexOf('\\') >= 0 || revision.contains("..")) {
            throw new ConfigSecurityException("Invalid Config Registry revision id \"" + revision
                    + "\": path characters are not allowed");
        }
        return revision;
    }

    private static List<String> runs(String s) {
        List<String> runs = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= s.length(); i++) {
            if (i == s.length() || isDigit(s.charAt(i)) != isDigit(s.charAt(start))) {
                runs.add(s.substring(start, i));
                start = i;
            }
        }
        return runs;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String stripZeros(String digits) {
        int i = 0;
        while (i < digits.length() && digits.charAt(i) == '0') {
            i++;
        }
        return i == digits.length() ? "0" : digits.substring(i);
    }
}
