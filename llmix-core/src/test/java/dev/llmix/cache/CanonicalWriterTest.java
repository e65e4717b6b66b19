package dev.llmix.cache;

import dev.llmix.internal.json.CanonicalJson;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The bulk string paths of the canonical writer (Latin-1 narrowing, eight-byte scans, chunking) give exactly what a
 * plain character-by-character writer gives, for text of every kind and length, surrogates at chunk boundaries
 * included.
 */
class CanonicalWriterTest {

    /** Characters chosen to hit every branch: clean ASCII, escapes, Latin-1, other BMP, pairs and lone halves. */
    private static final char[] ALPHABET = {'a', 'Z', ' ', '7', '"', '\\', '\n', '\t', '\u0000', '\u001f', '\u007f',
        '\u0080', '\u00e9', '\u00ff', '\u0100', '\u07ff', '\u0800', '\u2028', '\u4e2d', '\uffff', '\ud83d', '\ude00',
        '\ud800', '\udfff'};

    @Test
    void jsonStringsMatchACharacterByCharacterWriter() {
        SplittableRandom random = new SplittableRandom(42);
        for (int round = 0; round < 400; round++) {
            String s = randomText(random);
            assertThat(CanonicalJson.stringify(s)).as("round %d, length %d", round, s.length()).isEqualTo(reference(s));
        }
    }

    @Test
    void utf8HashMatchesStringGetBytes() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 400; round++) {
            String s = randomText(random);
            assertThat(CacheKeys.sha256Hex(s)).as("round %d, length %d", round, s.length()).isEqualTo(
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(s.getBytes(StandardCharsets.UTF_8))));
        }
    }

    @Test
    void surrogatePairAcrossTheChunkBoundaryIsWrittenRaw() {
        for (int at = 2040; at < 2056; at++) {
            String s = "x".repeat(at) + "\ud83d\ude00" + "y".repeat(40);
            assertThat(CanonicalJson.stringify(s)).isEqualTo("\"" + s + "\"");
        }
    }

    @Test
    void loneHighSurrogateAtTheChunkBoundaryIsEscaped() {
        for (int at = 2040; at < 2056; at++) {
            String s = "x".repeat(at) + "\ud83d" + "y".repeat(40);
            assertThat(CanonicalJson.stringify(s)).isEqualTo("\"" + "x".repeat(at) + "\\ud83d" + "y".repeat(40) + "\"");
        }
    }

    @Test
    void paramsWithEqualTextAreEqualAndKeepTheirText() {
        String content = "Caf\u00e9 \"\u4e2d\" \ud83d\ude00 ".repeat(50);
        CacheKeyParams a = CacheKeyParams.builder().provider("openai").model("m")
                .messages(List.of(Map.of("role", "user", "content", content))).build();
        CacheKeyParams b = CacheKeyParams.builder().provider("openai").model("m")
                .messages(List.of(Map.of("content", content, "role", "user"))).build();
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(CacheKeys.canonical(a)).isEqualTo("{\"messages\":[{\"content\":"
                + reference(content) + ",\"role\":\"user\"}],\"model\":\"m\",\"provider\":\"openai\"}");
        assertThat(CacheKeys.generate(a)).isEqualTo(CacheKeys.DEFAULT_PREFIX + CacheKeys.sha256Hex(CacheKeys.canonical(a)));
    }

    @Test
    void builderKeyIsTheKeyOfTheBuiltParams() {
        CacheKeyParams.Builder builder = CacheKeyParams.builder().provider("openai").model("gpt-4o-mini")
                .messages(List.of(Map.of("role", "user", "content", "Caf\u00e9 \ud800 \"x\"\n".repeat(20))))
                .temperature(0.7).topP(0.95).maxOutputTokens(1024).baseUrl("https://example.test/v1");
        assertThat(builder.key("llmix:resp:v2:")).isEqualTo(CacheKeys.generate(builder.build(), "llmix:resp:v2:"));
        assertThat(builder.key(CacheKeys.DEFAULT_PREFIX)).isEqualTo(CacheKeys.generate(builder.build()));
    }

    @Test
    void repeatedFractionsKeepTheirText() {
        for (int round = 0; round < 3; round++) {
            assertThat(CanonicalJson.stringify(List.of(0.7, 0.95, 0.1, 1e-7, 0.7, 2.5, 1e21, -0.0, -3.25, 0.95)))
                    .isEqualTo("[0.7,0.95,0.1,1e-7,0.7,2.5,1e+21,0,-3.25,0.95]");
        }
    }

    private static String randomText(SplittableRandom random) {
        int length = switch (random.nextInt(4)) {
            case 0 -> random.nextInt(30);
            case 1 -> random.nextInt(300);
            default -> random.nextInt(6000);
        };
        StringBuilder sb = new StringBuilder(length);
        boolean mostlyAscii = random.nextBoolean();
        for (int i = 0; i < length; i++) {
            if (mostlyAscii && random.nextInt(50) != 0) {
                sb.append((char) (' ' + random.nextInt(95)));
            } else {
                sb.append(ALPHABET[random.nextInt(ALPHABET.length)]);
            }
        }
        return sb.toString();
    }

    /** {@code JSON.stringify} of a string, one character at a time. */
    private static String reference(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    boolean pairStart = Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1));
                    if (pairStart) {
                        sb.append(c).append(s.charAt(++i));
                    } else if (c < 0x20 || Character.isSurrogate(c)) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
