package dev.llmix.thinking;

import dev.llmix.internal.thinking.StreamingThinkingStripper;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.internal.EcmaScript;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The incremental stripper against {@link ThinkingStripper#strip} for every chunking of texts built from the tokens
 * that make tags interesting (docs/streaming.md, "Thinking on the fly"): the relations hold for any split.
 */
class StreamingThinkingStripperProperties {

    private static final List<String> TOKENS = List.of("<think>", "</think>", "<", "<thi", "nk>", "k", ">", "/", "a",
            " ", "\n", "\u00A0", "\u0085");

    /** A raw text and the cut positions that split it into deltas. */
    record Split(String raw, List<String> pieces) {
    }

    @Provide
    Arbitrary<Split> splits() {
        Arbitrary<String> raw = Arbitraries.of(TOKENS).list().ofMaxSize(14).map(l -> String.join("", l));
        return raw.flatMap(text -> Arbitraries.integers().between(0, text.length()).list().ofMaxSize(8)
                .map(cuts -> new Split(text, cut(text, cuts))));
    }

    private static List<String> cut(String text, List<Integer> cuts) {
        List<Integer> sorted = new ArrayList<>(cuts);
        sorted.sort(null);
        List<String> pieces = new ArrayList<>();
        int from = 0;
        for (int c : sorted) {
            pieces.add(text.substring(from, c));
            from = c;
        }
        pieces.add(text.substring(from));
        return pieces;
    }

    /** Joined content, joined thinking, and whether any single content delta held a whole {@code <think>}. */
    private static String[] run(List<String> pieces) {
        StreamingThinkingStripper s = new StreamingThinkingStripper();
        StringBuilder content = new StringBuilder();
        StringBuilder thinking = new StringBuilder();
        boolean tagInDelta = false;
        for (String p : pieces) {
            s.feed(p);
            content.append(s.content());
            thinking.append(s.thinking());
            tagInDelta |= s.content().contains("<think>");
        }
        s.finish();
        content.append(s.content());
        thinking.append(s.thinking());
        return new String[] {content.toString(), thinking.toString(), String.valueOf(tagInDelta)};
    }

    @Property(tries = 10_000)
    void deltasAgreeWithTheWholeTextStrip(@ForAll("splits") Split split) {
        String raw = split.raw();
        String[] ct = run(split.pieces());
        ThinkingResult f = ThinkingStripper.strip(raw);
        if (!raw.contains("<think>")) {
            // Relation 2: untouched text.
            assertThat(ct[0]).isEqualTo(raw);
            assertThat(ct[1]).isEmpty();
            return;
        }
        boolean joinedTag = false;
        for (String prefix : List.of("<", "<t", "<th", "<thi", "<thin", "<think")) {
            joinedTag |= raw.contains(prefix + "<think>");
        }
        if (!joinedTag) {
            // Relation 3: equal up to trimming, and no tag in any content delta.
            assertThat(EcmaScript.trim(ct[0])).isEqualTo(f.content());
            assertThat(ct[1]).isEqualTo(f.thinkingContent());
            assertThat(ct[2]).isEqualTo("false");
        }
    }

    @Property(tries = 2_000)
    void theSameTextGivesTheSameResultWhateverTheSplit(@ForAll("splits") Split split) {
        String[] whole = run(List.of(split.raw()));
        String[] pieces = run(split.pieces());
        assertThat(pieces[0]).isEqualTo(whole[0]);
        assertThat(pieces[1]).isEqualTo(whole[1]);
    }

    @Property(tries = 500)
    void thePiecesJoinToTheRawText(@ForAll("splits") Split split) {
        assertThat(String.join("", split.pieces())).isEqualTo(split.raw());
    }
}
