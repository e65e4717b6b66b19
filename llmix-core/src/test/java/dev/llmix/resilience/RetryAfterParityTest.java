package dev.llmix.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.testsupport.ParitySummary;
import dev.llmix.testsupport.Vectors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code retry-after.json}: {@link RetryPolicy#parseRetryAfter}. Vectors tagged {@code date-lenient} are skipped
 * (parity-decisions.md: RFC 9110 dates only); {@code v8-date-leniency} vectors expecting {@code null} still run.
 * Vectors without {@code nowMs} hold for any clock from 2024 to 2199 and run on a fixed clock in 2026.
 */
class RetryAfterParityTest {

    private static final String FILE = "retry-after.json";
    private static final int EXPECTED_RAN = 40;
    private static final int EXPECTED_LENIENT_SKIPS = 7;
    private static final long FIXED_NOW_2026 = 1_767_225_600_000L;

    @Test
    void everyStrictVectorMatchesTheReference() {
        ParitySummary summary = new ParitySummary(FILE);
        List<String> mismatches = new ArrayList<>();
        for (JsonNode vector : Vectors.vectors(FILE)) {
            if (Vectors.tags(vector).contains("date-lenient")) {
                summary.skipped("date-lenient");
                continue;
            }
            JsonNode input = vector.get("input");
            Object header = Vectors.decode(input.get("header"));
            double maxMs = input.has("maxMs") ? (Double) Objects.requireNonNull(Vectors.decode(input.get("maxMs")))
                    : 60_000;
            long now = input.has("nowMs") ? input.get("nowMs").asLong() : FIXED_NOW_2026;
            Double actual = RetryPolicy.parseRetryAfter(header instanceof String s ? s : null, maxMs, now);
            Object expected = Vectors.decode(vector.get("expected").get("result"));
            if (!Objects.equals(actual, expected)) {
                mismatches.add(vector.get("name").asString() + ": expected " + expected + " but was " + actual);
            }
            summary.ran();
        }
        summary.print();
        assertThat(mismatches).isEmpty();
        summary.assertAccountedFor(Vectors.vectors(FILE).size(), EXPECTED_RAN);
        if (Vectors.isProjectSet()) {
            assertThat(Vectors.vectors(FILE)).hasSize(EXPECTED_RAN + EXPECTED_LENIENT_SKIPS);
        }
    }

    @Test
    void anotherVectorSetOnlyHasToRunCompletely(@TempDir Path dir) {
        assertThat(Vectors.writeSubset(dir, FILE, 3)).isLessThan(EXPECTED_RAN);

        Vectors.withOverride(dir, this::everyStrictVectorMatchesTheReference);
    }
}
