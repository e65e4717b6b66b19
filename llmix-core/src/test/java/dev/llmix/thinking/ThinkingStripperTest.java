package dev.llmix.thinking;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The thinking acceptance checks of resilience.md §9 (40) and the examples of §10.1. */
class ThinkingStripperTest {

    private static ThinkingResult strip(String content) {
        return ThinkingStripper.strip(content);
    }

    @Test
    void contentWithoutThinkTagIsReturnedUnchanged() {
        assertThat(strip("plain response")).isEqualTo(new ThinkingResult("plain response", null));
    }

    @Test
    void strayClosingTagIsNotTrimmedOrStripped() {
        assertThat(strip("\n </think>\n")).isEqualTo(new ThinkingResult("\n </think>\n", null));
    }

    @Test
    void closedBlocksAndADanglingTailAreAllCollected() {
        assertThat(strip("before <think>first</think>\n middle <think>second</think>\n after <think>tail"))
                .isEqualTo(new ThinkingResult("before middle after", "first\nsecond\ntail"));
    }

    @Test
    void whitespaceAfterAClosedBlockIsRemoved() {
        assertThat(strip("answer<think>hidden</think>\n\t  next")).isEqualTo(new ThinkingResult("answernext", "hidden"));
    }

    @Test
    void leadingBlockIsRemoved() {
        assertThat(strip("<think>reasoning</think>answer")).isEqualTo(new ThinkingResult("answer", "reasoning"));
    }

    @Test
    void emptyBlockGivesEmptyThinking() {
        assertThat(strip("<think></think>Answer")).isEqualTo(new ThinkingResult("Answer", ""));
    }

    @Test
    void zeroWidthSpaceIsNotWhitespace() {
        assertThat(strip("<think>a</think>\u200BB")).isEqualTo(new ThinkingResult("\u200BB", "a"));
    }

    @Test
    void noBreakSpaceIsWhitespace() {
        assertThat(strip("<think>a</think>\u00A0B")).isEqualTo(new ThinkingResult("B", "a"));
    }

    @Test
    void nextLineIsNotWhitespace() {
        assertThat(strip("<think>x</think>\u0085y")).isEqualTo(new ThinkingResult("\u0085y", "x"));
    }

    @Test
    void blocksAreJoinedWithNewline() {
        assertThat(strip("<think>a</think>1<think>b</think>2")).isEqualTo(new ThinkingResult("12", "a\nb"));
    }

    @Test
    void twoEmptyBlocksGiveASingleNewline() {
        assertThat(strip("<think></think><think></think>x")).isEqualTo(new ThinkingResult("x", "\n"));
    }

    @Test
    void unclosedTagAtTheEndIsRemoved() {
        assertThat(strip("Answer<think>")).isEqualTo(new ThinkingResult("Answer", ""));
    }

    @Test
    void onlyTheFirstUnclosedTagStartsTheTail() {
        assertThat(strip("<think><think>")).isEqualTo(new ThinkingResult("", "<think>"));
    }

    @Test
    void nestedBlockEndsAtTheFirstClosingTag() {
        assertThat(strip("<think>outer <think>inner</think> tail</think>Answer"))
                .isEqualTo(new ThinkingResult("tail</think>Answer", "outer <think>inner"));
    }

    @Test
    void closingTagWithSpaceDoesNotClose() {
        assertThat(strip("<think>a</think >b")).isEqualTo(new ThinkingResult("", "a</think >b"));
    }

    @Test
    void innerWhitespaceOfTheAnswerIsKept() {
        assertThat(strip("A  \n<think>x</think>\n  B")).isEqualTo(new ThinkingResult("A  \nB", "x"));
    }

    @Test
    void tagFormedByRemovingABlockStartsTheTail() {
        assertThat(strip("<thi<think>x</think>nk>y")).isEqualTo(new ThinkingResult("", "x\ny"));
    }

    @Test
    void caseVariantsAndAttributesDoNotTrigger() {
        assertThat(strip(" <THINK>a</THINK> <think >b <thinking>c ").thinkingContent()).isNull();
    }

    @Test
    @Timeout(5)
    void hugeOutputsAreProcessedInLinearTime() {
        String many = "<think>r</think>a ".repeat(500_000);
        assertThat(strip(many).content()).hasSize(1_000_000 - 1);
        String unclosed = "<think>".repeat(1_500_000);
        assertThat(strip(unclosed).thinkingContent()).hasSize(10_500_000 - 7);
    }
}
