package dev.llmix.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.testsupport.ParitySummary;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * {@code key-pool-env.json}: every vector. {@code input.env} is the whole environment (injected lookup). The
 * reference's {@code Error} maps to {@link IllegalStateException} for "no keys" and to
 * {@link IllegalArgumentException} for the pool constructor; messages compare exactly.
 */
class KeyPoolEnvParityTest {

    private static final String FILE = "key-pool-env.json";
    private static final int EXPECTED_VECTORS = 16;

    @Test
    @SuppressWarnings("unchecked")
    void everyKeyPoolEnvVectorMatchesTheReference() {
        ParitySummary.compareEach(FILE, EXPECTED_VECTORS, (input, expected) -> {
            Map<String, String> env = (Map<String, String>) input.get("env");
            Object outcome;
            try {
                outcome = KeyPools.fromEnv((String) input.get("provider"), env::get).keys();
            } catch (IllegalStateException | IllegalArgumentException e) {
                outcome = Map.of("type", e.getClass().getSimpleName(), "message", Objects.requireNonNull(e.getMessage()));
            }
            Object want = expected.containsKey("error") ? javaError((Map<String, Object>) expected.get("error"))
                    : expected.get("keys");
            return Objects.equals(outcome, want) ? null : "expected " + want + " but was " + outcome;
        });
    }

    /** The reference throws plain {@code Error}s; ours are typed by origin. */
    private static Map<String, Object> javaError(Map<String, Object> tsError) {
        assertThat(tsError.get("name")).isEqualTo("Error");
        String message = (String) tsError.get("message");
        String type = message.startsWith("KeyPool requires") ? "IllegalArgumentException" : "IllegalStateException";
        return Map.of("type", type, "message", message);
    }
}
