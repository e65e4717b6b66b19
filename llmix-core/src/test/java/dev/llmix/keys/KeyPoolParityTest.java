package dev.llmix.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.testsupport.ParitySummary;
import dev.llmix.testsupport.Vectors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code key-pool.json}: every vector (parity-decisions.md). TS error names map to ours: the constructor's
 * {@code Error} → {@link IllegalArgumentException}, {@code KeyPoolExhaustedError} → {@link KeyPoolExhaustedException};
 * messages compare exactly. The cursor {@code index} is informational and not compared.
 */
class KeyPoolParityTest {

    private static final String FILE = "key-pool.json";
    private static final int EXPECTED_VECTORS = 33;

    @Test
    void everyKeyPoolVectorMatchesTheReference() {
        ParitySummary summary = new ParitySummary(FILE);
        List<String> mismatches = new ArrayList<>();
        for (JsonNode vector : Vectors.vectors(FILE)) {
            String name = vector.get("name").asString();
            List<String> problems = run(vector);
            problems.forEach(p -> mismatches.add(name + ": " + p));
            summary.ran();
        }
        summary.print();
        assertThat(mismatches).isEmpty();
        summary.assertAccountedFor(Vectors.vectors(FILE).size(), EXPECTED_VECTORS);
    }

    @SuppressWarnings("unchecked")
    private static List<String> run(JsonNode vector) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> input = Vectors.object(vector, "input");
        Map<String, Object> expected = Vectors.object(vector, "expected");
        List<String> keys = (List<String>) input.get("keys");
        KeyPool pool;
        try {
            pool = new KeyPool(keys);
        } catch (IllegalArgumentException e) {
            Map<String, Object> error = (Map<String, Object>) expected.get("error");
            if (error == null) {
                problems.add("unexpected constructor error " + e.getMessage());
            } else {
                expectEqual(problems, "error name", error.get("name"), "Error");
                expectEqual(problems, "error message", e.getMessage(), error.get("message"));
            }
            return problems;
        }
        if (expected.containsKey("error")) {
            problems.add("expected constructor error " + expected.get("error"));
            return problems;
        }
        expectEqual(problems, "keys", pool.keys(), expected.get("keys"));
        expectEqual(problems, "totalCount", (double) pool.totalCount(), expected.get("totalCount"));
        List<Map<String, Object>> ops = (List<Map<String, Object>>) input.get("ops");
        List<Map<String, Object>> steps = (List<Map<String, Object>>) expected.get("steps");
        expectEqual(problems, "step count", steps.size(), ops.size());
        for (int i = 0; i < ops.size() && i < steps.size(); i++) {
            Map<String, Object> op = ops.get(i);
            Map<String, Object> step = steps.get(i);
            String where = "step " + i + " (" + op.get("op") + ")";
            switch ((String) op.get("op")) {
                case "select" -> {
                    try {
                        String selected = pool.select();
                        expectEqual(problems, where + " result", selected, step.get("result"));
                    } catch (KeyPoolExhaustedException e) {
                        Map<String, Object> error = (Map<String, Object>) step.get("error");
                        if (error == null) {
                            problems.add(where + ": unexpected " + e.getMessage());
                        } else {
                            expectEqual(problems, where + " error name", error.get("name"), "KeyPoolExhaustedError");
                            expectEqual(problems, where + " error message", e.getMessage(), error.get("message"));
                        }
                    }
                }
                case "rotate" -> pool.rotate();
                case "markDead" -> pool.markDead((String) op.get("key"));
                case "isExhausted" -> expectEqual(problems, where + " result", pool.isExhausted(), step.get("result"));
                default -> problems.add(where + ": unknown op");
            }
            expectEqual(problems, where + " aliveCount", (double) pool.aliveCount(), step.get("aliveCount"));
            expectEqual(problems, where + " exhausted", pool.isExhausted(), step.get("exhausted"));
        }
        return problems;
    }

    private static void expectEqual(List<String> problems, String what, Object actual, Object expected) {
        if (!Objects.equals(actual, expected)) {
            problems.add(what + ": expected " + expected + " but was " + actual);
        }
    }
}
