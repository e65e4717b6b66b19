package dev.llmix.internal.thinking;

import dev.llmix.thinking.ThinkingStripper;
import dev.llmix.internal.EcmaScript;

/**
 * Strips {@code <think>…</think>} blocks from text that arrives in pieces, emitting visible and thinking text as soon
 * as it is decided. A trailing piece that could still become a tag is held back until the next piece (or
 * {@link #finish()}) decides it, so no part of a recognised tag is ever emitted. Concatenating what it emits gives
 * {@link ThinkingStripper#strip} of the whole text up to trimming (see {@code docs/streaming.md}). One instance per
 * streamed attempt; not thread-safe.
 */
public final class StreamingThinkingStripper {

    private static final String OPEN = "<think>";
    private static final String CLOSE = "</think>";

    private enum State { OUTSIDE, INSIDE, SKIP_WS }

    private State state = State.OUTSIDE;
    private boolean openedBefore;
    private String pending = "";
    private final StringBuilder content = new StringBuilder();
    private final StringBuilder thinking = new StringBuilder();

    /** A stripper in its initial state (outside any block). */
    public StreamingThinkingStripper() {
    }

    /**
     * Feeds the next piece of raw text. Afterwards {@link #content()} and {@link #thinking()} hold the text this piece
     * decided (either may be empty).
     */
    public void feed(String piece) {
        content.setLength(0);
        thinking.setLength(0);
        String buf = pending.isEmpty() ? piece : pending + piece;
        pending = "";
        int i = 0;
        int len = buf.length();
        while (i < len) {
            switch (state) {
                case OUTSIDE -> {
                    int open = buf.indexOf(OPEN, i);
                    if (open >= 0) {
                        content.append(buf, i, open);
                        if (openedBefore) {
                            thinking.append('\n');
                        }
                        openedBefore = true;
                        state = State.INSIDE;
                        i = open + OPEN.length();
                    } else {
                        int held = heldBack(buf, i, OPEN);
                        content.append(buf, i, len - held);
                        pending = buf.substring(len - held);
                        i = len;
                    }
                }
                case INSIDE -> {
                    int close = buf.indexOf(CLOSE, i);
                    if (close >= 0) {
                        thinking.append(buf, i, close);
                        state = State.SKIP_WS;
                        i = close + CLOSE.length();
                    } else {
                        int held = heldBack(buf, i, CLOSE);
                        thinking.append(buf, i, len - held);
                        pending = buf.substring(len - held);
                        i = len;
                    }
                }
                case SKIP_WS -> {
                    while (i < len && EcmaScript.isWhitespace(buf.charAt(i))) {
                        i++;
                    }
                    if (i < len) {
                        state = State.OUTSIDE;
                    }
                }
            }
        }
    }

    /** Ends the text: held-back characters are emitted in their state. Afterwards read {@link #content()} etc. */
    public void finish() {
        content.setLength(0);
        thinking.setLength(0);
        if (state == State.OUTSIDE) {
            content.append(pending);
        } else if (state == State.INSIDE) {
            thinking.append(pending);
        }
        pending = "";
    }

    /** Visible text decided by the last {@link #feed} or {@link #finish}; {@code ""} when none. */
    public String content() {
        return content.length() == 0 ? "" : content.toString();
    }

    /** Thinking text decided by the last {@link #feed} or {@link #finish}; {@code ""} when none. */
    public String thinking() {
        return thinking.length() == 0 ? "" : thinking.toString();
    }

    /** The length of the longest suffix of {@code buf[from..]} that is a proper prefix of {@code tag}. */
    private static int heldBack(String buf, int from, String tag) {
        int len = buf.length();
        int max = Math.min(tag.length() - 1, len - from);
        for (int k = max; k > 0; k--) {
            if (buf.regionMatches(len - k, tag, 0, k)) {
                return k;
            }
        }
        return 0;
    }
}
