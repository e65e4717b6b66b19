package dev.llmix.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.testsupport.ParitySummary;
import dev.llmix.testsupport.Vectors;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code circuit-breaker.json} on a fake monotonic clock: state, admission, cooldown and counters after every action.
 * Vectors tagged {@code stale-outcome} are skipped (parity-decisions.md: outcomes while OPEN or beyond the admitted
 * probes are ignored in Java).
 */
class CircuitBreakerParityTest {

    private static final String FILE = "circuit-breaker.json";
    private static final int EXPECTED_RAN = 60;
    private static final int EXPECTED_STALE_SKIPS = 12;

    @Test
    void everyNonStaleVectorMatchesTheReference() {
        ParitySummary summary = new ParitySummary(FILE);
        List<String> mismatches = new ArrayList<>();
        for (JsonNode vector : Vectors.vectors(FILE)) {
            if (Vectors.tags(vector).contains("stale-outcome")) {
                summary.skipped("stale-outcome");
                continue;
            }
            String mismatch = run(vector);
            if (mismatch != null) {
                mismatches.add(vector.get("name").asString() + ": " + mismatch);
            }
            summary.ran();
        }
        summary.print();
        assertThat(mismatches).isEmpty();
        summary.assertAccountedFor(Vectors.vectors(FILE).size(), EXPECTED_RAN);
        if (Vectors.isProjectSet()) {
            assertThat(Vectors.vectors(FILE)).hasSize(EXPECTED_RAN + EXPECTED_STALE_SKIPS);
        }
    }

    @Test
    void anotherVectorSetOnlyHasToRunCompletely(@TempDir Path dir) {
        assertThat(Vectors.writeSubset(dir, FILE, 3)).isLessThan(EXPECTED_RAN);

        Vectors.withOverride(dir, this::everyNonStaleVectorMatchesTheReference);
    }

    private static @Nullable String run(JsonNode vector) {
        JsonNode input = vector.get("input");
        JsonNode options = input.get("options");
        CircuitBreakerConfig config = new CircuitBreakerConfig(
                intOption(options, "failureThreshold", 3),
                Duration.ofMillis(intOption(options, "cooldownMs", 30_000)),
                intOption(options, "permittedHalfOpenCalls", 10));
        FakeNanoClock clock = new FakeNanoClock(input.get("startMs").asLong());
        CircuitBreaker breaker = new CircuitBreaker("openai", "https://api.openai.com", config, clock);

        JsonNode actions = input.get("actions");
        JsonNode steps = vector.get("expected").get("steps");
        for (int i = 0; i < actions.size(); i++) {
            JsonNode action = actions.get(i);
            String check = null;
            switch (action.get("op").asString()) {
                case "check" -> {
                    try {
                        breaker.check();
                        check = "admitted";
                    } catch (CircuitOpenException e) {
                        check = "rejected";
                    }
                }
                case "success" -> breaker.onSuccess();
                case "failure" -> breaker.onFailure(
                        action.has("statusCode") ? Integer.valueOf(action.get("statusCode").asInt()) : null,
                        action.has("networkError") && action.get("networkError").asBoolean());
                case "cancelProbe" -> breaker.cancelProbe();
                case "reset" -> breaker.reset();
                case "advance" -> clock.advanceMs(action.get("ms").asLong());
                default -> throw new IllegalArgumentException("unknown op " + action);
            }
            CircuitBreakerSnapshot s = breaker.snapshot();
            JsonNode expected = steps.get(i);
            String actual = "state=" + s.state() + " check=" + check + " cooldownMs=" + s.cooldownMs()
                    + " consecutiveFailures=" + s.consecutiveFailures() + " halfOpenActive=" + s.halfOpenActive()
                    + " halfOpenSuccesses=" + s.halfOpenSuccesses() + " halfOpenFailures=" + s.halfOpenFailures();
            String wanted = "state=" + expected.get("state").asString()
                    + " check=" + (expected.has("check") ? expected.get("check").asString() : null)
                    + " cooldownMs=" + expected.get("cooldownMs").asLong()
                    + " consecutiveFailures=" + expected.get("consecutiveFailures").asInt()
                    + " halfOpenActive=" + expected.get("halfOpenActive").asInt()
                    + " halfOpenSuccesses=" + expected.get("halfOpenSuccesses").asInt()
                    + " halfOpenFailures=" + expected.get("halfOpenFailures").asInt();
            if (!actual.equals(wanted)) {
                return "step " + i + " " + action + ": expected " + wanted + " but was " + actual;
            }
        }
        return null;
    }

    private static int intOption(@Nullable JsonNode options, String name, int fallback) {
        return options != null && options.has(name) && !options.get(name).isNull() ? options.get(name).asInt()
                : fallback;
    }
}
