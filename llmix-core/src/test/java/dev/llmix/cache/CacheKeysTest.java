package dev.llmix.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The cache-key acceptance checks of response-cache.md §9 (1–14), plus the Java-specific input rules. */
class CacheKeysTest {

    private static final String MINIMAL_KEY =
            "llmix:resp:d276f20b49aea40a066d9ae08797ab429a903f8385b164e1c6e8eb4a7cf16661";
    private static final String MINIMAL_CANONICAL =
            "{\"messages\":[{\"content\":\"Hello\",\"role\":\"user\"}],\"model\":\"gpt-4o\",\"provider\":\"openai\"}";

    private static CacheKeyParams.Builder minimal() {
        return CacheKeyParams.builder().provider("openai").model("gpt-4o")
                .messages(List.of(Map.of("role", "user", "content", "Hello")));
    }

    private static CacheKeyParams.Builder withContent(String content) {
        return CacheKeyParams.builder().provider("openai").model("gpt-4o")
                .messages(List.of(Map.of("role", "user", "content", content)));
    }

    private static String canonical(CacheKeyParams.Builder builder) {
        return CacheKeys.canonical(builder.build());
    }

    private static String key(CacheKeyParams.Builder builder) {
        return CacheKeys.generate(builder.build());
    }

    private static String canonicalWithOptions(Map<String, ?> providerOptions) {
        return canonical(minimal().providerOptions(providerOptions));
    }

    @Test
    void minimalRequestHasTheReferenceCanonicalTextAndKey() {
        assertThat(canonical(minimal())).isEqualTo(MINIMAL_CANONICAL);
        assertThat(key(minimal())).isEqualTo(MINIMAL_KEY).hasSize(75);
    }

    @Test
    void nullOptionalFieldsAreLeftOut() {
        CacheKeyParams.Builder builder = minimal().baseUrl(null).enableThinking(null).frequencyPenalty(null)
                .maxOutputTokens(null).presencePenalty(null).providerOptions(null).responseFormat(null).seed(null)
                .stopSequences(null).temperature(null).topK(null).topP(null);
        assertThat(key(builder)).isEqualTo(MINIMAL_KEY);
    }

    @Test
    void nanTemperatureIsLeftOut() {
        assertThat(key(minimal().temperature(Double.NaN))).isEqualTo(MINIMAL_KEY);
    }

    @Test
    void negativeInfiniteFrequencyPenaltyIsLeftOut() {
        assertThat(key(minimal().frequencyPenalty(Double.NEGATIVE_INFINITY))).isEqualTo(MINIMAL_KEY);
    }

    @Test
    void fieldsOutsideTheKeySetAreIgnored() {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("provider", "openai");
        raw.put("model", "gpt-4o");
        raw.put("messages", List.of(Map.of("role", "user", "content", "Hello")));
        raw.put("tools", List.of(Map.of("type", "function")));
        raw.put("maxTokens", 100);
        raw.put("caching", Map.of("strategy", "memory"));
        assertThat(CacheKeys.generate(CacheKeyParams.fromMap(raw))).isEqualTo(MINIMAL_KEY);
    }

    @Test
    void negativeZeroTemperatureIsKeptAndPrintsZero() {
        assertThat(canonical(minimal().temperature(-0.0))).endsWith(",\"temperature\":0}");
        assertThat(key(minimal().temperature(-0.0)))
                .isEqualTo("llmix:resp:76deb84071e745bce8aadb667def4634601879ec2abe48f1428f45880402b83a");
    }

    @Test
    void fractionalTemperaturePrintsItsShortestDigits() {
        assertThat(canonical(minimal().temperature(0.7))).contains("\"temperature\":0.7");
    }

    @Test
    void oneMillionthPrintsInPlainNotation() {
        assertThat(canonical(minimal().topP(1e-6))).contains("\"topP\":0.000001");
    }

    @Test
    void oneTenMillionthPrintsInExponentNotation() {
        assertThat(canonicalWithOptions(Map.of("x", 1e-7))).contains("\"providerOptions\":{\"x\":1e-7}");
    }

    @Test
    void tenToTheTwentyFirstPrintsWithPlusExponent() {
        assertThat(canonical(minimal().temperature(1e21))).contains("\"temperature\":1e+21");
    }

    @Test
    void tenToTheTwentiethPrintsAllItsZeros() {
        assertThat(canonicalWithOptions(Map.of("x", 1e20))).contains("{\"x\":100000000000000000000}");
    }

    @Test
    void smallestSubnormalPrintsOneDigit() {
        assertThat(canonical(minimal().temperature(Double.MIN_VALUE))).contains("\"temperature\":5e-324");
    }

    @Test
    void longMaxValueRoundsLikeAJavaScriptNumber() {
        assertThat(canonical(minimal().temperature(Long.MAX_VALUE))).contains("\"temperature\":9223372036854776000");
    }

    @Test
    void nestedNanBecomesNull() {
        assertThat(canonicalWithOptions(Map.of("x", Map.of("y", Double.NaN))))
                .contains("\"providerOptions\":{\"x\":{\"y\":null}}");
    }

    @Test
    void topLevelNanIsDroppedWhileNestedNanIsWrittenAsNull() {
        String canonical = canonical(minimal().temperature(Double.NaN)
                .providerOptions(Map.of("temperature", Double.NaN)));
        assertThat(canonical).isEqualTo(MINIMAL_CANONICAL.substring(0, MINIMAL_CANONICAL.length() - 1)
                + ",\"providerOptions\":{\"temperature\":null}}");
    }

    @Test
    void astralKeySortsBeforeHalfwidthTildeByUtf16CodeUnits() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("\uFF5E", 1);
        options.put("\uD83D\uDE00", 2);
        assertThat(canonicalWithOptions(options)).contains("{\"\uD83D\uDE00\":2,\"\uFF5E\":1}");
    }

    @Test
    void integerLikeKeysComeFirstInNumericOrder() {
        Map<String, Object> logitBias = new LinkedHashMap<>();
        logitBias.put("9", 1);
        logitBias.put("220", -1);
        logitBias.put("1000", 5);
        logitBias.put("50256", -100);
        Map<String, Object> reversed = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>(logitBias.keySet());
        for (int i = keys.size() - 1; i >= 0; i--) {
            reversed.put(keys.get(i), logitBias.get(keys.get(i)));
        }
        assertThat(canonicalWithOptions(Map.of("openai", Map.of("logitBias", reversed))))
                .contains("{\"openai\":{\"logitBias\":{\"9\":1,\"220\":-1,\"1000\":5,\"50256\":-100}}}");
    }

    @Test
    void protoKeyIsDropped() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("__proto__", Map.of("polluted", true));
        options.put("a", 1);
        assertThat(canonicalWithOptions(options)).contains("\"providerOptions\":{\"a\":1}");
    }

    @Test
    void loneSurrogateIsEscapedInLowercase() {
        assertThat(canonical(withContent("a\uD800b"))).contains("\"content\":\"a\\ud800b\"");
    }

    @Test
    void lineAndParagraphSeparatorsAreWrittenRaw() {
        assertThat(canonical(withContent("line\u2028sep\u2029para"))).contains("\"line\u2028sep\u2029para\"");
    }

    @Test
    void onlyQuoteAndBackslashAreEscapedAmongPrintableAscii() {
        assertThat(canonical(withContent("He said \"hi\" \\ then / and </script> & <b>")))
                .contains("\"He said \\\"hi\\\" \\\\ then / and </script> & <b>\"");
    }

    @Test
    void controlCharactersUseShortEscapesOrLowercaseHexAndDelIsRaw() {
        StringBuilder controls = new StringBuilder();
        for (char c = 0; c < 0x20; c++) {
            controls.append(c);
        }
        controls.append('\u007f');
        assertThat(canonical(withContent(controls.toString()))).contains("\"\\u0000\\u0001\\u0002\\u0003\\u0004"
                + "\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r\\u000e\\u000f\\u0010\\u0011\\u0012\\u0013\\u0014"
                + "\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f\u007f\"");
    }

    @Test
    void stopSequenceOrderChangesTheKey() {
        assertThat(key(minimal().stopSequences(List.of("STOP", "END"))))
                .isNotEqualTo(key(minimal().stopSequences(List.of("END", "STOP"))));
    }

    @Test
    void duplicateStopSequencesAreKept() {
        assertThat(canonical(minimal().stopSequences(List.of("x", "x")))).contains("\"stopSequences\":[\"x\",\"x\"]");
    }

    @Test
    void nullMessageContentAndEmptyToolCallsAreKept() {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("role", "assistant");
        message.put("content", null);
        message.put("tool_calls", List.of());
        CacheKeyParams.Builder builder = CacheKeyParams.builder().provider("openai").model("gpt-4o")
                .messages(List.of(message));
        assertThat(canonical(builder))
                .contains("\"messages\":[{\"content\":null,\"role\":\"assistant\",\"tool_calls\":[]}]");
    }

    @Test
    void longAndDoubleMaxOutputTokensGiveTheSameKey() {
        assertThat(key(minimal().maxOutputTokens(2048L))).isEqualTo(key(minimal().maxOutputTokens(2048.0)));
    }

    @Test
    void everyJavaNumberTypeFormatsLikeTheDoubleItConvertsTo() {
        String expected = key(minimal().seed(42.0));
        assertThat(List.of(42, 42L, (short) 42, (byte) 42, BigInteger.valueOf(42), new BigDecimal("42.000"), 42.0f))
                .allSatisfy(n -> assertThat(key(minimal().seed(n))).isEqualTo(expected));
    }

    @Test
    void bigDecimalBeyondDoublePrecisionRoundsLikeJavaScript() {
        assertThat(canonical(minimal().seed(new BigDecimal("9007199254740993"))))
                .contains("\"seed\":9007199254740992");
    }

    @Test
    void jacksonTreeInputGivesTheSameKeyAsPlainJavaInput() {
        JsonMapper mapper = JsonMapper.builder().build();
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("provider", "openai");
        raw.put("model", "gpt-4o");
        raw.put("messages", mapper.readTree("[{\"role\":\"user\",\"content\":\"Hello\"}]"));
        raw.put("responseFormat", mapper.readTree("{\"type\":\"json_object\",\"n\":2048.0,\"big\":9223372036854775807}"));
        raw.put("temperature", mapper.readTree("null"));
        Map<String, Object> plain = new LinkedHashMap<>(raw);
        plain.put("messages", List.of(Map.of("role", "user", "content", "Hello")));
        plain.put("responseFormat", Map.of("type", "json_object", "n", 2048L, "big", Long.MAX_VALUE));
        plain.remove("temperature");
        assertThat(CacheKeys.canonical(CacheKeyParams.fromMap(raw)))
                .isEqualTo(CacheKeys.canonical(CacheKeyParams.fromMap(plain)));
    }

    @Test
    void customPrefixReplacesTheDefaultOne() {
        assertThat(CacheKeys.generate(minimal().build(), "llmix:resp:v2:"))
                .isEqualTo("llmix:resp:v2:" + MINIMAL_KEY.substring(CacheKeys.DEFAULT_PREFIX.length()));
    }

    @Test
    void sha256HexIsLowercaseHexOfUtf8Bytes() {
        assertThat(CacheKeys.sha256Hex("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(CacheKeys.sha256Hex("\u00e9")).isEqualTo(CacheKeys.sha256Hex(new String(
                new byte[] {(byte) 0xc3, (byte) 0xa9}, java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void paramsAreSnapshottedWhenBuilt() {
        List<Object> messages = new ArrayList<>(List.of(Map.of("role", "user", "content", "Hello")));
        CacheKeyParams params = CacheKeyParams.builder().provider("openai").model("gpt-4o").messages(messages)
                .build();
        messages.add(Map.of("role", "user", "content", "later"));
        assertThat(CacheKeys.generate(params)).isEqualTo(MINIMAL_KEY);
    }

    @Test
    void unsupportedValueIsRejectedWhenBuilt() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> minimal().responseFormat(new Object()).build())
                .withMessageContaining("java.lang.Object");
    }

    @Test
    void toStringDoesNotRevealMessages() {
        assertThat(minimal().build().toString()).doesNotContain("Hello");
    }
}
