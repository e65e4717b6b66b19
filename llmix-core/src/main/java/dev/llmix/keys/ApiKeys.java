package dev.llmix.keys;

import org.jspecify.annotations.Nullable;

/**
 * Masks API keys for anything a human or a machine may read: {@code toString()}, exception messages, logs, metric tags
 * and Actuator output. A masked key keeps at most a short prefix and the last four characters ({@code sk-…abcd}).
 */
public final class ApiKeys {

    /** Keys shorter than this reveal nothing at all when masked. */
    private static final int MIN_LENGTH_TO_REVEAL = 12;

    private ApiKeys() {
    }

    /**
     * Returns a masked form of {@code key}: {@code "sk-…abcd"} for long keys, {@code "…"} for short ones and
     * {@code "<none>"} for {@code null}.
     */
    public static String mask(@Nullable String key) {
        if (key == null) {
            return "<none>";
        }
        String k = key.strip();
        if (k.length() < MIN_LENGTH_TO_REVEAL) {
            return "…";
        }
        int dash = k.indexOf('-');
        String prefix = dash > 0 && dash <= 3 ? k.substring(0, dash + 1) : "";
        return prefix + "…" + k.substring(k.length() - 4);
    }
}
