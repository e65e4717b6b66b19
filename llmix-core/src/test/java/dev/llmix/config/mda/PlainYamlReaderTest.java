package dev.llmix.config.mda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.testsupport.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The plain-subset frontmatter reader agrees with SnakeYAML's composer on everything it accepts, down to the Java type
 * of every scalar and the order of keys, and leaves everything else to the composer (docs/performance.md, start-up
 * validation).
 */
class PlainYamlReaderTest {

    /** What the reader made of one input, next to the composer's answer. */
    record Outcome(@Nullable Map<String, @Nullable Object> plain, @Nullable Map<String, @Nullable Object> composed,
            @Nullable String error) {
    }

    static Outcome both(String text) {
        Map<String, @Nullable Object> plain = MdaYaml.readPlainSubset(text);
        try {
            return new Outcome(plain, MdaYaml.composed(text, "t.mda", 2), null);
        } catch (MdaConfigException e) {
            return new Outcome(plain, null, e.getMessage());
        }
    }

    /**
     * Fails unless the reader either declined the text or built exactly the composer's model; the same for the event
     * reader, the path between the two.
     */
    static Outcome assertAgrees(String text) {
        Outcome o = both(text);
        if (o.plain() != null) {
            assertThat(o.error()).as("the composer refused what the reader accepted:\n%s", text).isNull();
            assertSameModel(o.plain(), o.composed(), "$", text);
        }
        Map<String, @Nullable Object> events = MdaYaml.readEvents(text);
        if (events != null) {
            assertThat(o.error()).as("the composer refused what the event reader accepted:\n%s", text).isNull();
            assertSameModel(events, o.composed(), "$", text);
        }
        return o;
    }

    /** Deep equality that also requires the same classes (Integer is not Long) and the same key order. */
    static void assertSameModel(@Nullable Object a, @Nullable Object b, String path, String text) {
        if (a == null || b == null) {
            assertThat(a).as("%s in\n%s", path, text).isEqualTo(b);
            return;
        }
        assertThat(a.getClass()).as("type at %s in\n%s", path, text).isEqualTo(b.getClass());
        if (a instanceof Map<?, ?> ma) {
            Map<?, ?> mb = (Map<?, ?>) b;
            assertThat(new ArrayList<>(ma.keySet())).as("keys at %s in\n%s", path, text)
                    .isEqualTo(new ArrayList<>(mb.keySet()));
            for (Object k : ma.keySet()) {
                assertSameModel(ma.get(k), mb.get(k), path + "." + k, text);
            }
        } else if (a instanceof List<?> la) {
            List<?> lb = (List<?>) b;
            assertThat(la).as("size at %s in\n%s", path, text).hasSameSizeAs(lb);
            for (int i = 0; i < la.size(); i++) {
                assertSameModel(la.get(i), lb.get(i), path + "[" + i + "]", text);
            }
        } else {
            assertThat(a).as("value at %s in\n%s", path, text).isEqualTo(b);
        }
    }

    private static List<Path> mdaFiles(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.toString().endsWith(".mda"))
                    .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/.git/")).sorted()
                    .toList();
        }
    }

    /** The frontmatter of a file, or empty when the file has none the loader would read. */
    private static Optional<String> frontmatter(Path file) throws IOException {
        try {
            return Optional.of(MdaParts.extract(Files.readAllBytes(file), file.toString()).frontmatter());
        } catch (MdaConfigException e) {
            return Optional.empty();
        }
    }

    @Test
    void everyPresetInTheRepositoryReadsTheSameAsWithTheComposer() throws IOException {
        Path repository = Fixtures.projectFixtures().getParent();
        int files = 0;
        int accepted = 0;
        for (Path file : mdaFiles(repository)) {
            Optional<String> fm = frontmatter(file);
            if (fm.isEmpty()) {
                continue;
            }
            files++;
            if (assertAgrees(fm.get()).plain() != null) {
                accepted++;
            }
        }
        assertThat(files).isPositive();
        // The repository's presets use the plain subset, so the reader must take nearly all of them.
        assertThat(accepted).as("accepted %d of %d", accepted, files).isGreaterThanOrEqualTo(files * 3 / 4);
    }

    @Test
    void everySharedFixtureReadsTheSameAsWithTheComposer() throws IOException {
        Optional<Path> shared = Fixtures.shared("fixtures");
        org.junit.jupiter.api.Assumptions.assumeTrue(shared.isPresent(), "no shared fixtures beside the checkout");
        int files = 0;
        for (Path file : mdaFiles(shared.get())) {
            Optional<String> fm = frontmatter(file);
            if (fm.isPresent()) {
                files++;
                assertAgrees(fm.get());
            }
        }
        assertThat(files).isPositive();
    }

    @Test
    void theBenchmarkPresetIsReadByTheSubsetReader() {
        String fm = "name: preset-1\ndescription: Benchmark preset number 1.\nmetadata:\n  snoai-llmix:\n"
                + "    common:\n      provider: openai\n      model: gpt-5-mini\n      maxOutputTokens: 1024\n"
                + "      temperature: 0.7\n      topP: 0.9\n      stopSequences: [\"END\"]\n"
                + "    providerOptions:\n      openai:\n        reasoningEffort: low\n"
                + "        parallelToolCalls: false\n    timeout: {totalTime: 60}\n"
                + "    caching: {strategy: memory, ttl: 600}\n    tags: [bench, m1]\n";
        Outcome o = assertAgrees(fm);
        assertThat(o.plain()).isNotNull();
    }

    /** Inputs the reader must accept, each checked against the composer. */
    static final List<String> ACCEPTED = List.of(
            "a: 1\n",
            "a: 1\nb: -2\nc: +3\nd: 0o17\ne: 0x1F\nf: 1e3\ng: 1.5E-3\nh: .5\ni: -.inf\nj: .NaN\nk: 0.\n",
            "big: 12345678901234567890\nlong: 2147483648\nint: 2147483647\nneg: -2147483649\n",
            "u: 1_000\nz: 007\nt: 1:30\nd: 2026-01-01\nv: 4096.0\nw: -0\nx: -0.0\n",
            "a: true\nb: True\nc: TRUE\nd: tRue\ne: yes\nf: false\ng: off\n",
            "a: null\nb: ~\nc: Null\nd: NULL\ne:\nf: # comment\ng: nul\n",
            "a: 'single ''quoted'' # not a comment'\nb: \"double \\\"q\\\" \\\\ \\/ \\n \\t \\u00e9\"\n",
            "a: \"1\"\nb: 'true'\nc: \"\"\nd: ''\ne: '  spaced  '\n",
            "url: https://example.com/a#b\ncolon: a:b\nhash: a#b\ncomment: a # b\ntrail: value   \n",
            "unicode: héllo wörld ✓ 日本\n",
            "list:\n  - a\n  - 1\n  - \n  - 'q'\nsame:\n- x\n- y\nafter: 1\n",
            "items:\n  - name: a\n    value: 1\n  - name: b\n  -   deep: 2\n      more: 3\n",
            "flow: [a, 1, \"x, y\", 'z', -1, .5, true, null, ~]\nempty: []\nmap: {}\n",
            "flowmap: {a: 1, b: two, c: \"3\", d: 'x', e: true}\n",
            "# leading comment\n\nroot:\n  # inner comment\n  child:\n    leaf: v # trailing\n\n  other: 2\n",
            "  indented: 1\n  root: 2\n",
            "1: one\ntrue: t\nnull: n\n0x10: hex\n1.5: f\n1e3: e\n",
            "a:\n  -\n  - b\n",
            "a: -foo\nb: --x\nc: <<\nd: $x\n");

    /** Inputs outside the subset: the reader declines them and the composer decides as before. */
    static final List<String> DECLINED = List.of(
            "a: !!str 1\n",
            "a: &x 1\nb: *x\n",
            "a: |\n  text\n",
            "a: >\n  text\n",
            "a: multi\n  line\n",
            "a:\tb\n",
            "a: 1\r\nb: 2\n",
            "\"quoted key\": 1\n",
            "? complex\n: value\n",
            "a: 1\na: 2\n",
            "a: 1\n  b: 2\n",
            "- a\n- b\n",
            "just a scalar\n",
            "",
            "# only a comment\n",
            "a: [1, [2]]\n",
            "a: [1,\n  2]\n",
            "a: {b: {c: 1}}\n",
            "a: \"\\x41\"\n",
            "a: \"unterminated\n",
            "a: b: c\n",
            "a: b:\n",
            "a: [a:b]\n",
            "a: [1, ]\n",
            "%YAML 1.2\n---\na: 1\n",
            "a: 1\n...\n",
            "a: \"x\" y\n",
            "a: [1]#c\n",
            "a: @x\n",
            "a: `x\n",
            "key : 1\n",
            "a:b\n",
            "nested:\n  - - x\n",
            "a: b\n---x: 1\n",
            "key_é: no\n",
            "emoji: 😀\n");

    @Test
    void handWrittenInputsInTheSubsetAreReadAsTheComposerReadsThem() {
        for (String text : ACCEPTED) {
            Outcome o = assertAgrees(text);
            assertThat(o.plain()).as("declined:\n%s", text).isNotNull();
        }
    }

    @Test
    void handWrittenInputsOutsideTheSubsetAreLeftToTheComposer() {
        for (String text : DECLINED) {
            assertAgrees(text);
            assertThat(MdaYaml.readPlainSubset(text)).as("accepted:\n%s", text).isNull();
        }
    }

    @Test
    void scalarsTypedWithoutTheResolverAreTypedAsTheResolverTypesThem() {
        List<String> corpus = new ArrayList<>(List.of("true", "True", "TRUE", "tRue", "truE", "false", "False",
                "FALSE", "null", "Null", "NULL", "nULL", "~", "~~", "0", "-0", "00", "007", "123456789", "1234567890",
                "2147483647", "-2147483648", "0.7", "-0.5", "-0.0", "00.5", "1.", ".5", "1.5e3", "1_0", "0x1F", "0o17",
                "1:30", "temperature", "topP", "name", "Nope", "openai", "gpt-5-mini", "-", "-x", "-.5", "+1"));
        // Every string of up to four characters over the characters that matter to the resolver's patterns.
        String alphabet = "tTfFnNulrsae~0179-.+x_:$<E";
        List<String> level = List.of("");
        for (int length = 1; length <= 4; length++) {
            List<String> next = new ArrayList<>();
            for (String prefix : level) {
                for (char c : alphabet.toCharArray()) {
                    next.add(prefix + c);
                }
            }
            corpus.addAll(next);
            level = length < 3 ? next : next.stream().filter(x -> x.hashCode() % 7 == 0).toList();
        }
        int decided = 0;
        for (String v : corpus) {
            Object fast = PlainYamlReader.decided(v);
            if (fast == PlainYamlReader.UNDECIDED) {
                continue;
            }
            decided++;
            Object slow;
            try {
                slow = MdaYaml.typedPlain(v);
            } catch (IllegalStateException e) {
                throw new AssertionError("decided " + v + " as " + fast + " but the resolver gives " + e.getMessage());
            }
            if (fast == null || slow == null) {
                assertThat(fast).as(v).isEqualTo(slow);
            } else {
                assertThat(fast.getClass()).as(v).isEqualTo(slow.getClass());
                assertThat(fast).as(v).isEqualTo(slow);
            }
        }
        assertThat(decided).isGreaterThan(corpus.size() / 2);
    }

    @Test
    void parseFrontmatterGivesTheSameErrorsAsBefore() {
        // The reader declines a duplicate key, so the composer still reports it with its line.
        Outcome o = both("a: 1\nb:\n  c: 2\n  c: 3\n");
        assertThat(o.plain()).isNull();
        assertThat(o.error()).contains("c").contains("line");
    }
}
