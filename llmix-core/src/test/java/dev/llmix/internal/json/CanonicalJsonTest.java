package dev.llmix.internal.json;

import dev.llmix.internal.json.CanonicalJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.llmix.internal.JsUndefined;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The {@code JSON.stringify(value, sortReplacer)} rules of response-cache.md §3.2 and the Java input rules. */
class CanonicalJsonTest {

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Test
    void writesNoWhitespace() {
        assertThat(CanonicalJson.stringify(ordered("b", List.of(1, true, "x"), "a", ordered("c", null))))
                .isEqualTo("{\"a\":{\"c\":null},\"b\":[1,true,\"x\"]}");
    }

    @Test
    void uppercaseSortsBeforeLowercase() {
        assertThat(CanonicalJson.stringify(ordered("a", 1, "B", 2))).isEqualTo("{\"B\":2,\"a\":1}");
    }

    @Test
    void nonCanonicalIndexKeysSortAsTextAfterIndexKeys() {
        assertThat(CanonicalJson.stringify(ordered("a", 0, "4294967295", 1, "01", 2, "-1", 3, "4294967294", 4, "7", 5)))
                .isEqualTo("{\"7\":5,\"4294967294\":4,\"-1\":3,\"01\":2,\"4294967295\":1,\"a\":0}");
    }

    @Test
    void undefinedMemberIsDroppedAndUndefinedElementBecomesNull() {
        assertThat(CanonicalJson.stringify(ordered("a", JsUndefined.INSTANCE, "b",
                Arrays.asList(JsUndefined.INSTANCE, null))))
                .isEqualTo("{\"b\":[null,null]}");
    }

    @Test
    void nonFiniteArrayElementsBecomeNull() {
        assertThat(CanonicalJson.stringify(List.of(Double.NaN, Double.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY)))
                .isEqualTo("[null,null,null]");
    }

    @Test
    void wellFormedSurrogatePairIsWrittenRaw() {
        assertThat(CanonicalJson.stringify("\uD83D\uDE00")).isEqualTo("\"\uD83D\uDE00\"");
    }

    @Test
    void reversedSurrogatePairIsEscapedTwice() {
        assertThat(CanonicalJson.stringify("\uDE00\uD83D")).isEqualTo("\"\\ude00\\ud83d\"");
    }

    @Test
    void javaArraysAreWrittenAsJsonArrays() {
        assertThat(CanonicalJson.stringify(new Object[] {"a", 1L, new int[] {1, 2}, new double[] {0.5, -0.0},
                new boolean[] {true}, new long[] {Long.MAX_VALUE}}))
                .isEqualTo("[\"a\",1,[1,2],[0.5,0],[true],[9223372036854776000]]");
    }

    @Test
    void hashMapIterationOrderDoesNotMatter() {
        Map<String, Object> hashed = new HashMap<>();
        for (int i = 0; i < 50; i++) {
            hashed.put("k" + i, i);
        }
        Map<String, Object> inserted = new LinkedHashMap<>();
        for (int i = 49; i >= 0; i--) {
            inserted.put("k" + i, i);
        }
        assertThat(CanonicalJson.stringify(hashed)).isEqualTo(CanonicalJson.stringify(inserted));
    }

    @Test
    void jacksonNodesFollowTheSameRules() {
        JsonMapper mapper = JsonMapper.builder().build();
        assertThat(CanonicalJson.stringify(mapper.readTree("{\"b\":[1.0,-0.0,1e21],\"a\":\"\\u2028\",\"9\":null}")))
                .isEqualTo("{\"9\":null,\"a\":\"\u2028\",\"b\":[1,0,1e+21]}");
    }

    @Test
    void unsupportedTypeIsRejectedByNameWithoutCallingToString() {
        Object secret = new Object() {
            @Override
            public String toString() {
                throw new AssertionError("toString must not be called");
            }
        };
        assertThatIllegalArgumentException().isThrownBy(() -> CanonicalJson.stringify(List.of(secret)))
                .withMessageContaining(secret.getClass().getName());
    }

    @Test
    void nonStringMapKeyIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> CanonicalJson.stringify(Map.of(1, "a")))
                .withMessageContaining("java.lang.Integer");
    }

    @Test
    void charArrayIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> CanonicalJson.stringify(new char[] {'a'}))
                .withMessageContaining("[C");
    }

    @Test
    void nestingDeeperThanTheLimitIsRejected() {
        Object value = "leaf";
        for (int i = 0; i < CanonicalJson.MAX_DEPTH + 1; i++) {
            value = List.of(value);
        }
        Object tooDeep = value;
        assertThatIllegalArgumentException().isThrownBy(() -> CanonicalJson.stringify(tooDeep))
                .withMessageContaining("deeper than 1000");
    }

    @Test
    void nestingAtTheLimitIsAccepted() {
        Object value = "leaf";
        for (int i = 0; i < CanonicalJson.MAX_DEPTH; i++) {
            value = Map.of("k", value);
        }
        assertThat(CanonicalJson.stringify(value)).endsWith("\"leaf\"" + "}".repeat(CanonicalJson.MAX_DEPTH));
    }

    @Test
    void cycleIsRejectedInsteadOfOverflowingTheStack() {
        List<Object> cyclic = new ArrayList<>();
        cyclic.add(cyclic);
        assertThatIllegalArgumentException().isThrownBy(() -> CanonicalJson.stringify(cyclic));
    }

    @Test
    void topLevelUndefinedHasNoText() {
        assertThatIllegalArgumentException().isThrownBy(() -> CanonicalJson.stringify(JsUndefined.INSTANCE));
    }

    @Test
    void topLevelNonFiniteNumberIsNull() {
        assertThat(CanonicalJson.stringify(Double.NaN)).isEqualTo("null");
    }
}
