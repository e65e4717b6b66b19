package dev.llmix.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.testsupport.ParitySummary;
import dev.llmix.testsupport.Vectors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code retry-delay.json}: {@link RetryPolicy#calculateDelay}, {@link RetryPolicy.Builder#build()} (resolved options
 * or the exact error message) and {@link RetryPolicy#getDelayMs}, every vector. Options go through the builder's
 * {@code Number} setters, so {@code null} means default and NaN/Infinity reach the validation as in the reference.
 */
class RetryDelayParityTest {

    private static final String FILE = "retry-delay.json";
    private static final int EXPECTED_RAN = 36;
    private static final long FIXED_NOW_2026 = 1_767_225_600_000L;

    @Test
    void everyVectorMatchesTheReference() {
        ParitySummary summary = new ParitySummary(FILE);
        List<String> mismatches = new ArrayList<>();
        for (JsonNode vector : Vectors.vectors(FILE)) {
            JsonNode input = vector.get("input");
            JsonNode expected = vector.get("expected");
            String actual;
            String wanted;
            switch (input.get("fn").asString()) {
                case "calculateDelay" -> {
                    Map<String, @Nullable Object> o = options(input);
                    double delay = RetryPolicy.calculateDelay(num(input, "attempt"), orDefault(o, "baseMs", 1000),
                            orDefault(o, "maxDelayMs", 30_000), orDefault(o, "jitterMs", 1000), num(input, "random"));
                    actual = String.valueOf(delay);
                    wanted = String.valueOf(num(expected, "delayMs"));
                }
                case "RetryPolicy" -> {
                    wanted = expected.has("error")
                            ? "error " + expected.get("error").get("message").asString()
                            : resolved(expected.get("resolved"));
                    try {
                        RetryPolicy p = builder(options(input)).build();
                        actual = "resolved " + p.maxRetries() + "/" + p.baseMs() + "/" + p.maxDelayMs() + "/"
                                + p.jitterMs() + "/" + p.maxRetryAfterMs();
                    } catch (IllegalArgumentException e) {
                        actual = "error " + e.getMessage();
                    }
                }
                case "getDelayMs" -> {
                    double random = num(input, "random");
                    long now = input.has("nowMs") ? input.get("nowMs").asLong() : FIXED_NOW_2026;
                    RetryPolicy p = builder(options(input)).random(() -> random).clock(() -> now).build();
                    Object header = Vectors.decode(input.get("header"));
                    long delay = p.getDelayMs((int) num(input, "attempt"), header instanceof String s ? s : null);
                    actual = String.valueOf((double) delay);
                    wanted = String.valueOf(num(expected, "delayMs"));
                }
                default -> throw new IllegalArgumentException("unknown fn " + input);
            }
            if (!actual.equals(wanted)) {
                mismatches.add(vector.get("name").asString() + ": expected " + wanted + " but was " + actual);
            }
            summary.ran();
        }
        summary.print();
        assertThat(mismatches).isEmpty();
        summary.assertAccountedFor(Vectors.vectors(FILE).size(), EXPECTED_RAN);
    }

    private static String resolved(JsonNode r) {
        return "resolved " + r.get("maxRetries").asInt() + "/" + num(r, "baseMs") + "/" + num(r, "maxDelayMs") + "/"
                + num(r, "jitterMs") + "/" + num(r, "maxRetryAfterMs");
    }

    private static RetryPolicy.Builder builder(Map<String, @Nullable Object> o) {
        return RetryPolicy.builder()
                .maxRetries((Number) o.get("maxRetries"))
                .baseMs((Number) o.get("baseMs"))
                .maxDelayMs((Number) o.get("maxDelayMs"))
                .jitterMs((Number) o.get("jitterMs"))
                .maxRetryAfterMs((Number) o.get("maxRetryAfterMs"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, @Nullable Object> options(JsonNode input) {
        Object decoded = Vectors.decode(input.get("options"));
        return decoded == null ? new LinkedHashMap<>() : (Map<String, @Nullable Object>) decoded;
    }

    private static double orDefault(Map<String, @Nullable Object> o, String name, double fallback) {
        return o.get(name) instanceof Double d ? d : fallback;
    }

    private static double num(JsonNode node, String name) {
        return (Double) Objects.requireNonNull(Vectors.decode(node.get(name)));
    }
}
