package dev.llmix.thinking;

import dev.llmix.internal.thinking.StreamingThinkingStripper;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Examples of the incremental stripper: held-back tag prefixes, block separators, and the final flush. */
class StreamingThinkingStripperTest {

    @Test
    void aSplitOpenerIsHeldBackUntilDecided() {
        StreamingThinkingStripper s = new StreamingThinkingStripper();
        s.feed("Hi <thi");
        assertThat(s.content()).isEqualTo("Hi ");
        s.feed("nk>plan</think>  Done");
        assertThat(s.thinking()).isEqualTo("plan");
        assertThat(s.content()).isEqualTo("Done");
    }

    @Test
    void aHeldBackPrefixThatIsNoTagIsFlushedAsContent() {
        StreamingThinkingStripper s = new StreamingThinkingStripper();
        s.feed("a <th");
        assertThat(s.content()).isEqualTo("a ");
        s.finish();
        assertThat(s.content()).isEqualTo("<th");
    }

    @Test
    void aSecondBlockIsSeparatedByANewline() {
        StreamingThinkingStripper s = new StreamingThinkingStripper();
        s.feed("<think>one</think>x<think>two</think>y");
        assertThat(s.thinking()).isEqualTo("one\ntwo");
        assertThat(s.content()).isEqualTo("xy");
        assertThat(ThinkingStripper.strip("<think>one</think>x<think>two</think>y").thinkingContent())
                .isEqualTo("one\ntwo");
    }

    @Test
    void anUnclosedBlockIsThinkingToTheEnd() {
        StreamingThinkingStripper s = new StreamingThinkingStripper();
        s.feed("ok <think>still thinking </thi");
        assertThat(s.content()).isEqualTo("ok ");
        assertThat(s.thinking()).isEqualTo("still thinking ");
        s.finish();
        assertThat(s.thinking()).isEqualTo("</thi");
    }
}
