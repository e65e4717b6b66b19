package dev.llmix.thinking;

import dev.llmix.internal.EcmaScript;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes {@code <think>…</think>} reasoning blocks from model output exactly as the TypeScript reference's
 * {@code stripThinking} does, in linear time with plain {@code indexOf} scans (no regular expressions, so no
 * backtracking on long outputs).
 */
public final class ThinkingStripper {

    private static final String OPEN = "<think>";
    private static final String CLOSE = "</think>";

    private ThinkingStripper() {
    }

    /**
     * Splits {@code content}: (1) every closed {@code <think>…</think>} block (shortest match) is removed together
     * with the ECMAScript whitespace after it; (2) in what is left, a remaining {@code <think>} and everything after it
     * is removed; (3) the rest is trimmed. Content without {@code <think>} is returned unchanged and untrimmed.
     */
    public static ThinkingResult strip(String content) {
        int open = content.indexOf(OPEN);
        if (open < 0) {
            return new ThinkingResult(content, null);
        }
        int len = content.length();
        List<String> thoughts = new ArrayList<>(2);
        StringBuilder rest = new StringBuilder(len);
        int pos = 0;
        // Phase 1: /<think>.*?<\/think>\s*/gs. Once a <think> has no </think> after it, no later one has either.
        while (open >= 0) {
            int close = content.indexOf(CLOSE, open + OPEN.length());
            if (close < 0) {
                break;
            }
            rest.append(content, pos, open);
            thoughts.add(content.substring(open + OPEN.length(), close));
            pos = close + CLOSE.length();
            while (pos < len && EcmaScript.isWhitespace(content.charAt(pos))) {
                pos++;
            }
            open = content.indexOf(OPEN, pos);
        }
        rest.append(content, pos, len);
        // Phase 2 runs on the phase-1 result, so a <think> formed by joining text around a removed block counts.
        int dangling = rest.indexOf(OPEN);
        if (dangling >= 0) {
            thoughts.add(rest.substring(dangling + OPEN.length()));
            rest.setLength(dangling);
        }
        return new ThinkingResult(EcmaScript.trim(rest.toString()), String.join("\n", thoughts));
    }
}
