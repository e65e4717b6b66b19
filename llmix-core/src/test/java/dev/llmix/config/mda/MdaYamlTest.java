package dev.llmix.config.mda;

import dev.llmix.config.mda.MdaYaml;
import static dev.llmix.config.mda.MdaTestSupport.assertCategory;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** YAML 1.2 core-schema semantics and hostile-input limits (mda-presets.md §2.3). */
@SuppressWarnings("unchecked")
class MdaYamlTest {

    private static Map<String, Object> parse(String yaml) {
        return MdaYaml.parseFrontmatter(yaml, "t.mda");
    }

    @Test
    void onlyTrueAndFalseAreBooleans() {
        Map<String, Object> m = parse("a: yes\nb: no\nc: on\nd: off\ne: y\nf: True\ng: FALSE\n");
        assertThat(m).containsEntry("a", "yes").containsEntry("b", "no").containsEntry("c", "on")
                .containsEntry("d", "off").containsEntry("e", "y").containsEntry("f", true)
                .containsEntry("g", false);
    }

    @Test
    void nullSpellings() {
        Map<String, Object> m = parse("a: null\nb: Null\nc: NULL\nd: ~\ne:\n");
        assertThat(m).containsOnlyKeys("a", "b", "c", "d", "e");
        assertThat(m.values()).containsOnlyNulls();
    }

    @Test
    void numbersAndTimestamps() {
        Map<String, Object> m = parse("a: 0x10\nb: 0o17\nc: 4096.0\nd: 2026-05-09T00:00:00Z\ne: 1:30\nf: .inf\n"
                + "g: 0.7\n");
        assertThat(m).containsEntry("a", 16).containsEntry("b", 15).containsEntry("c", 4096)
                .containsEntry("d", "2026-05-09T00:00:00Z").containsEntry("e", "1:30").containsEntry("g", 0.7);
        assertThat(m.get("f")).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void aPlainPresetReadsTheSameWithAndWithoutTheComposer() {
        // A plain document is built straight from the parser's events; an anchor sends the same document through
        // SnakeYAML's composer and constructor (docs/performance.md, start-up validation). Both must agree.
        String body = "name: preset-1\nmetadata:\n  snoai-llmix:\n    common:\n      provider: openai\n"
                + "      maxOutputTokens: 1024\n      temperature: 0.7\n      seed: 12345678901234567890\n"
                + "      stopSequences: [\"END\", 'x', 3, 1e3, -.5, 0x1F, 0o17]\n    timeout: {totalTime: 60}\n"
                + "    flags: {a: true, b: False, c: null, d: ~, e: , f: yes, g: 'true', h: \"1\"}\n"
                + "  text: |\n    line one\n    line two\n  7: seven\n  2.5: half\n  true: t\n";
        Map<String, Object> direct = parse(body + "last: 1\n");
        Map<String, Object> composed = parse(body + "last: &anchor 1\n");
        assertThat(direct).isEqualTo(composed);
        assertThat(direct.toString()).isEqualTo(composed.toString());
    }

    @Test
    void mergeKeyIsAnOrdinaryKey() {
        Map<String, Object> m = parse("base: &b {x: 1}\nother:\n  <<: *b\n");
        assertThat(((Map<String, ?>) m.get("other")).keySet()).containsExactlyInAnyOrder("<<");
    }

    @Test
    void nonStringKeysPrintLikeJavaScript() {
        Map<String, Object> m = parse("m:\n  123: -5\n  true: 1\n  1.5: 2\n");
        assertThat(((Map<String, ?>) m.get("m")).keySet()).containsExactlyInAnyOrder("123", "true", "1.5");
    }

    @Test
    void emptyOrCommentOnlyDocumentIsAnEmptyMap() {
        assertThat(parse("# only a comment\n\n")).isEmpty();
        assertThat(parse("null\n")).isEmpty();
    }

    @Test
    void rootMustBeAMapping() {
        assertCategory(() -> parse("- a\n- b\n"), MdaErrorCategory.FRONTMATTER_YAML_PARSE_ERROR);
        assertCategory(() -> parse("just a string\n"), MdaErrorCategory.FRONTMATTER_YAML_PARSE_ERROR);
    }

    @Test
    void duplicateKeysAreParseErrors() {
        assertCategory(() -> parse("a: 1\na: 2\n"), MdaErrorCategory.FRONTMATTER_YAML_PARSE_ERROR);
        assertCategory(() -> parse("m:\n  k: 1\n  k: 2\n"), MdaErrorCategory.FRONTMATTER_YAML_PARSE_ERROR);
        assertCategory(() -> parse("m:\n  1: a\n  \"1\": b\n"), MdaErrorCategory.FRONTMATTER_YAML_PARSE_ERROR);
    }

    @Test
    void arbitraryTypesAreNeverConstructed() {
        assertCategory(() -> parse("a: !!java.net.URL \"http://example.com\"\n"),
                MdaErrorCategory.FRONTMATTER_YAML_PARSE_ERROR);
        assertCategory(() -> parse("a: !custom x\n"), MdaErrorCategory.FRONTMATTER_YAML_PARSE_ERROR);
        assertCategory(() -> parse("a: !!binary aGVsbG8=\n"), MdaErrorCategory.FRONTMATTER_YAML_PARSE_ERROR);
        assertCategory(() -> parse("a: !!set {x, y}\n"), MdaErrorCategory.FRONTMATTER_YAML_PARSE_ERROR);
    }

    @Test
    @Timeout(10)
    void aliasBombsAreBounded() {
        StringBuilder sb = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 10; i++) {
            sb.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 9; j++) {
                sb.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            sb.append("]\n");
        }
        assertCategory(() -> parse(sb.toString()), MdaErrorCategory.FRONTMATTER_YAML_PARSE_ERROR);
    }

    @Test
    @Timeout(10)
    void smallAliasUseStillWorks() {
        Map<String, Object> m = parse("a: &x {k: 1}\nb: *x\n");
        assertThat(m.get("b")).isEqualTo(Map.of("k", 1));
    }

    @Test
    @Timeout(10)
    void recursiveAliasesAreRejected() {
        assertCategory(() -> parse("a: &x [*x]\n"), MdaErrorCategory.FRONTMATTER_YAML_PARSE_ERROR);
    }

    @Test
    @Timeout(10)
    void deepNestingIsRejectedWithoutStackOverflow() {
        assertCategory(() -> parse("a: " + "[".repeat(100_000) + "]".repeat(100_000) + "\n"),
                MdaErrorCategory.FRONTMATTER_YAML_PARSE_ERROR);
        assertCategory(() -> parse("a: " + "{b: ".repeat(10_000) + "1" + "}".repeat(10_000) + "\n"),
                MdaErrorCategory.FRONTMATTER_YAML_PARSE_ERROR);
        StringBuilder block = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            block.append("  ".repeat(i)).append("k").append(i).append(":\n");
        }
        assertCategory(() -> parse(block.toString()), MdaErrorCategory.FRONTMATTER_YAML_PARSE_ERROR);
    }

    @Test
    void nestingWithinTheLimitParses() {
        assertThat(parse("a: " + "[".repeat(30) + "1" + "]".repeat(30) + "\n")).containsKey("a");
    }

    @Test
    void unicodeEscapesSurvive() {
        Map<String, Object> m = parse("a: \"\\u00e9\\t\"\nb: 'it''s'\n");
        assertThat(m).containsEntry("a", "é\t").containsEntry("b", "it's");
        assertThat(List.of(m.get("a"))).hasSize(1);
    }
}
