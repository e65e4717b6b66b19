package dev.llmix.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.testsupport.ParitySummary;
import dev.llmix.testsupport.Vectors;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code retryable-status.json}: {@link RetryPolicy#isRetryable(int)} for every listed code, every vector. */
class RetryableStatusParityTest {

    private static final String FILE = "retryable-status.json";
    private static final int EXPECTED_RAN = 38;

    @Test
    void everyVectorMatchesTheReference() {
        ParitySummary summary = new ParitySummary(FILE);
        List<String> mismatches = new ArrayList<>();
        for (JsonNode vector : Vectors.vectors(FILE)) {
            List<Integer> expected = new ArrayList<>();
            vector.get("expected").get("retryable").forEach(n -> expected.add(n.asInt()));
            List<Integer> actual = new ArrayList<>();
            vector.get("input").get("codes").forEach(n -> {
                if (RetryPolicy.isRetryable(n.asInt())) {
                    actual.add(n.asInt());
                }
            });
            if (!actual.equals(expected)) {
                mismatches.add(vector.get("name").asString() + ": expected " + expected + " but was " + actual);
            }
            summary.ran();
        }
        summary.print();
        assertThat(mismatches).isEmpty();
        summary.assertAccountedFor(Vectors.vectors(FILE).size(), EXPECTED_RAN);
    }
}
