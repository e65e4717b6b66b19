package dev.llmix.internal;

import java.util.Collection;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Levenshtein distance and the nearest candidate, for "did you mean" hints in start-up and validation messages. */
public final class EditDistance {

    private EditDistance() {
    }

    /** The candidate nearest to {@code unknown} (case-insensitive) within {@code maxDistance} edits, or null. */
    public static @Nullable String nearest(String unknown, Collection<String> candidates, int maxDistance) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String lower = unknown.toLowerCase(Locale.ROOT);
        for (String candidate : candidates) {
            int d = of(lower, candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return bestDistance <= maxDistance ? best : null;
    }

    /** The number of single-character insertions, deletions and substitutions turning {@code a} into {@code b}. */
    public static int of(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
