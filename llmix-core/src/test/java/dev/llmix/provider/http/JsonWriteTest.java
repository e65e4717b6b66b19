package dev.llmix.provider.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.internal.JsUndefined;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Request bodies are written straight from the plain-Java model, byte for byte as the Jackson tree writes them. */
class JsonWriteTest {

    @Test
    void everyKindOfValueIsWrittenAsItsTreeIs() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", "gpt-4o-mini");
        body.put("messages", List.of(Map.of("role", "user", "content", "héllo \"quoted\" \\ \n\t\u0001 \u2028 😀")));
        body.put("temperature", 0.7);
        body.put("max_tokens", 1024.0);
        body.put("top_p", 1e-7);
        body.put("seed", 42L);
        body.put("int", 7);
        body.put("short", (short) 3);
        body.put("float", 0.5f);
        body.put("big", new BigInteger("123456789012345678901234567890"));
        body.put("decimal", new BigDecimal("1.50"));
        body.put("huge", 1e300);
        body.put("unsafe", 9007199254740993d);
        body.put("negativeZero", -0.0);
        body.put("nan", Double.NaN);
        body.put("infinity", Double.POSITIVE_INFINITY);
        body.put("flag", true);
        body.put("nothing", null);
        body.put("dropped", JsUndefined.INSTANCE);
        body.put("list", new LinkedList<>(List.of(1, "two", JsUndefined.INSTANCE)));
        body.put("node", Json.MAPPER.readTree("{\"a\":[1,2.5,\"x\"]}"));
        body.put("chars", new StringBuilder("sb"));
        body.put("char", 'c');
        Map<Object, Object> oddKeys = new LinkedHashMap<>();
        oddKeys.put(1, "one");
        oddKeys.put("1", "uno");
        body.put("oddKeys", oddKeys);
        body.put("empty", Map.of());

        assertSameAsTree(body);
        assertSameAsTree(null);
        assertSameAsTree(List.of());
        assertSameAsTree("plain");
    }

    @Test
    void randomDocumentsAreWrittenAsTheirTreesAre() {
        Random random = new Random(20261203);
        for (int i = 0; i < 2_000; i++) {
            assertSameAsTree(randomValue(random, 0));
        }
    }

    private static void assertSameAsTree(Object value) {
        String expected = Json.MAPPER.writeValueAsString(Json.toNode(value));
        assertThat(new String(Json.write(value), StandardCharsets.UTF_8)).isEqualTo(expected);
        assertThat(Json.writeString(value)).isEqualTo(expected);
    }

    private static Object randomValue(Random random, int depth) {
        int kind = random.nextInt(depth > 3 ? 6 : 9);
        switch (kind) {
            case 0:
                return null;
            case 1:
                return random.nextBoolean();
            case 2:
                return random.nextLong();
            case 3:
                return random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
            case 4:
                return (double) random.nextInt(1_000_000);
            case 5:
                return randomString(random);
            case 6: {
                List<Object> list = new ArrayList<>();
                for (int i = random.nextInt(5); i > 0; i--) {
                    list.add(randomValue(random, depth + 1));
                }
                return list;
            }
            default: {
                Map<String, Object> map = random.nextBoolean() ? new LinkedHashMap<>() : new HashMap<>();
                for (int i = random.nextInt(5); i > 0; i--) {
                    map.put(randomString(random), random.nextInt(8) == 0 ? JsUndefined.INSTANCE
                            : randomValue(random, depth + 1));
                }
                return map;
            }
        }
    }

    private static String randomString(Random random) {
        StringBuilder b = new StringBuilder();
        for (int i = random.nextInt(12); i > 0; i--) {
            int c = random.nextInt(6) == 0 ? random.nextInt(0x10000) : 0x20 + random.nextInt(0x5f);
            if (c >= 0xD800 && c <= 0xDFFF) {
                c = 'x';
            }
            b.append((char) c);
        }
        return b.toString();
    }
}
