package dev.llmix.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The escaping rules of the one shared {@code JSON.stringify} string writer, lone surrogates included. */
class JsonStringsTest {

    @Test
    void escapesLikeJsonStringify() {
        assertThat(JsonStrings.quote("a\"b\\c\b\f\n\r\t\u0000\u001f\u007f\u2028é"))
                .isEqualTo("\"a\\\"b\\\\c\\b\\f\\n\\r\\t\\u0000\\u001f\u007f\u2028é\"");
    }

    @Test
    void pairsStayRawAndLoneHalvesAreEscapedInLowerCase() {
        assertThat(JsonStrings.quote("\ud83d\ude00")).isEqualTo("\"\ud83d\ude00\"");
        assertThat(JsonStrings.quote("\ud83d")).isEqualTo("\"\\ud83d\"");
        assertThat(JsonStrings.quote("\ude00x")).isEqualTo("\"\\ude00x\"");
        assertThat(JsonStrings.quote("\ud800\ud83d\ude00\udfff"))
                .isEqualTo("\"\\ud800\ud83d\ude00\\udfff\"");
    }

    @Test
    void appendsToWhatIsAlreadyThere() {
        StringBuilder sb = new StringBuilder("x=");
        JsonStrings.appendQuoted(sb, "");
        assertThat(sb).hasToString("x=\"\"");
    }
}
