package dev.llmix.config.mda;

import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * Random key/value documents (strings with quotes, colons, {@code #} and non-ASCII text, numbers in every spelling,
 * booleans, nulls, nested mappings and sequences in block and flow style): whenever the plain-subset reader accepts
 * one, it builds exactly the composer's model, Java types of scalars and key order included; and it accepts most of
 * them, so the property exercises it (docs/performance.md, start-up validation).
 */
class PlainYamlReaderPropertyTest {

    private static final List<String> NUMBERS = List.of("0", "1", "-1", "+1", "007", "-0", "0.0", "-0.0", "1.5",
            "0.7", ".5", "-.5", "+.5", "1.", "1e3", "1E3", "1e-3", "1.5e+10", "-1E-7", "4096.0", "2147483647",
            "2147483648", "-2147483649", "9007199254740993", "12345678901234567890", "0o17", "0o8", "0x1F", "0xff",
            "0X1F", "1_000", "1:30", ".inf", "-.Inf", "+.INF", ".nan", ".NaN", "NaN", "inf", "1e400", "0b101",
            "2026-01-01", "12:00:00", "1,5", "1.2.3");
    private static final List<String> WORDS = List.of("true", "True", "TRUE", "tRue", "false", "False", "FALSE",
            "yes", "no", "on", "off", "y", "n", "null", "Null", "NULL", "nul", "~", "", " ", "openai", "gpt-5-mini",
            "a b", "https://example.com/x#y", "a:b", "a: b", "a #b", "a#b", "key:", "-x", "- x", "--", "---", "...",
            "<<", "$x", "${X}", "é", "日本語", "✓ ok", "😀", "'", "\"", "''", "a'b", "a\"b", "\\", "\\n", "[x]",
            "{x}", "x, y", "?x", "!x", "&x", "*x", "|", ">", "%", "@", "`", "#", "a\tb", "trailing ");
    private static final List<String> KEYS = List.of("a", "b", "name", "model", "provider", "snoai-llmix",
            "maxOutputTokens", "x.y", "a/b", "k$", "k_1", "1", "007", "0x10", "1.5", "1e3", "true", "null", "Null",
            "é", "a b", "-k", "k:", "\"q\"", "'s'", "?");
    private static final String CHARS = "abcXYZ 09:#'\"-,[]{}.é✓日\\/_~$!&*?|>%@`+";

    @Property(tries = 3000)
    void whatThePlainReaderAcceptsTheComposerReadsTheSame(@ForAll long seed) {
        String text = new Generator(new Random(seed)).document();
        PlainYamlReaderTest.Outcome o = PlainYamlReaderTest.assertAgrees(text);
        Statistics.label("reader").collect(o.plain() != null ? "accepted" : "declined");
        Statistics.label("reader").coverage(c -> c.check("accepted").percentage(p -> p >= 20));
    }

    /** Writes one random document, mostly in the plain subset. */
    private static final class Generator {
        private final Random random;
        private final StringBuilder out = new StringBuilder();

        Generator(Random random) {
            this.random = random;
        }

        String document() {
            mapping(0, 0);
            return out.toString();
        }

        private boolean chance(int percent) {
            return random.nextInt(100) < percent;
        }

        private <T> T pick(List<T> values) {
            return values.get(random.nextInt(values.size()));
        }

        private String key() {
            return chance(85) ? pick(KEYS.subList(0, 10)) + (chance(50) ? "" : String.valueOf(random.nextInt(5)))
                    : pick(KEYS);
        }

        private void mapping(int column, int depth) {
            int entries = 1 + random.nextInt(4);
            for (int i = 0; i < entries; i++) {
                indent(column);
                entry(column, depth);
            }
        }

        /** One {@code key: value} whose key is already indented. */
        private void entry(int column, int depth) {
            out.append(key()).append(':');
            int kind = random.nextInt(10);
            if (depth >= 3 || kind < 5) {
                out.append(' ').append(scalar(false));
                comment();
                out.append('\n');
            } else if (kind < 7) {
                comment();
                out.append('\n');
                mapping(column + 2 + (chance(10) ? 1 : 0), depth + 1);
            } else if (kind < 9) {
                comment();
                out.append('\n');
                sequence(chance(30) ? column : column + 2, depth + 1);
            } else {
                out.append(' ').append(chance(50) ? flowSequence() : flowMapping()).append('\n');
            }
        }

        private void sequence(int column, int depth) {
            int items = 1 + random.nextInt(3);
            for (int i = 0; i < items; i++) {
                indent(column);
                out.append('-');
                int kind = random.nextInt(10);
                if (depth >= 3 || kind < 6) {
                    out.append(' ').append(scalar(false)).append('\n');
                } else if (kind < 8) {
                    // A compact mapping: "- key: value" and its other keys under the first.
                    String gap = chance(80) ? " " : "   ";
                    out.append(gap);
                    entry(column + 1 + gap.length(), depth + 1);
                    if (chance(50)) {
                        indent(column + 1 + gap.length());
                        entry(column + 1 + gap.length(), depth + 1);
                    }
                } else if (kind < 9) {
                    out.append('\n');
                    mapping(column + 2, depth + 1);
                } else {
                    out.append(chance(50) ? "\n" : " \n");
                }
            }
        }

        private String flowSequence() {
            StringBuilder s = new StringBuilder("[");
            int items = random.nextInt(4);
            for (int i = 0; i < items; i++) {
                s.append(i == 0 ? "" : chance(80) ? ", " : " ,").append(scalar(true));
            }
            return s.append(chance(90) ? "]" : ", ]").toString();
        }

        private String flowMapping() {
            StringBuilder s = new StringBuilder("{");
            int items = random.nextInt(4);
            for (int i = 0; i < items; i++) {
                s.append(i == 0 ? "" : ", ").append(key()).append(chance(90) ? ": " : ":").append(scalar(true));
            }
            return s.append('}').toString();
        }

        private String scalar(boolean flow) {
            String value = switch (random.nextInt(4)) {
                case 0 -> pick(NUMBERS);
                case 1 -> pick(WORDS);
                case 2 -> randomText();
                default -> chance(50) ? "value" + random.nextInt(100) : "Some text, with: colons";
            };
            int style = random.nextInt(10);
            if (style < 6) {
                return value;
            }
            if (style < 8) {
                return "'" + value.replace("'", "''") + "'";
            }
            StringBuilder d = new StringBuilder("\"");
            for (char c : value.toCharArray()) {
                if (c == '"' || c == '\\') {
                    d.append('\\').append(c);
                } else if (c == '\t') {
                    d.append(chance(50) ? "\\t" : "\t");
                } else if (c > 127 && chance(30)) {
                    d.append(String.format("\\u%04x", (int) c));
                } else {
                    d.append(c);
                }
            }
            if (chance(10)) {
                d.append(pick(List.of("\\n", "\\/", "\\0", "\\x41", "\\_", "\\e")));
            }
            return d.append('"').toString();
        }

        private String randomText() {
            int length = random.nextInt(10);
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < length; i++) {
                s.append(CHARS.charAt(random.nextInt(CHARS.length())));
            }
            return s.toString();
        }

        private void comment() {
            if (chance(10)) {
                out.append(chance(80) ? " # note: 'x'" : "#x");
            }
        }

        private void indent(int column) {
            if (chance(5)) {
                out.append(chance(50) ? "\n" : "   # comment line\n");
            }
            out.append(" ".repeat(column));
        }
    }
}
