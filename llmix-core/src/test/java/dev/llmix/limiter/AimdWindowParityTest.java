package dev.llmix.limiter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.testsupport.ParitySummary;
import dev.llmix.testsupport.Vectors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code aimd-window.json} per parity-decisions.md: vectors tagged {@code permit-drift} or {@code over-admission}
 * compare {@code window} only (every step and the final state) and count as narrowed; all others also compare the free
 * permits (= max(0, window − inFlight)), the waiters and the acquire outcome. Acquires are never awaited: the outcome
 * is read from whether the {@link AdaptiveSemaphore#acquireAsync()} future completed.
 */
class AimdWindowParityTest {

    private static final String FILE = "aimd-window.json";
    private static final int EXPECTED_VECTORS = 76;
    private static final int EXPECTED_NARROWED = 18;
    private static final List<String> NARROWING_TAGS = List.of("permit-drift", "over-admission");

    @Test
    void everyAimdWindowVectorMatchesTheReference() {
        ParitySummary summary = new ParitySummary(FILE);
        List<String> mismatches = new ArrayList<>();
        int narrowed = 0;
        for (JsonNode vector : Vectors.vectors(FILE)) {
            String name = vector.get("name").asString();
            List<String> tags = Vectors.tags(vector);
            String rule = NARROWING_TAGS.stream().filter(tags::contains).findFirst().orElse(null);
            run(vector, rule == null).forEach(p -> mismatches.add(name + ": " + p));
            if (rule == null) {
                summary.ran();
            } else {
                summary.narrowed(rule + ": window only");
                narrowed++;
            }
        }
        summary.print();
        assertThat(mismatches).isEmpty();
        summary.assertAccountedFor(Vectors.vectors(FILE).size(), EXPECTED_VECTORS);
        if (Vectors.isProjectSet()) {
            assertThat(narrowed).isEqualTo(EXPECTED_NARROWED);
        }
    }

    @Test
    void anotherVectorSetOnlyHasToRunCompletely(@TempDir Path dir) {
        assertThat(Vectors.writeSubset(dir, FILE, 3)).isLessThan(EXPECTED_VECTORS);

        Vectors.withOverride(dir, this::everyAimdWindowVectorMatchesTheReference);
    }

    @SuppressWarnings("unchecked")
    private static List<String> run(JsonNode vector, boolean comparePermits) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> input = Vectors.object(vector, "input");
        Map<String, Object> expected = Vectors.object(vector, "expected");
        int initial = intOr(input.get("initial"), AdaptiveSemaphore.DEFAULT_INITIAL);
        int min = intOr(input.get("minConcurrency"), AdaptiveSemaphore.DEFAULT_MIN_CONCURRENCY);
        AdaptiveSemaphore semaphore;
        try {
            semaphore = new AdaptiveSemaphore(initial, min);
        } catch (IllegalArgumentException e) {
            expectEqual(problems, "constructor error", e.getMessage(), expected.get("error"));
            return problems;
        }
        if (expected.containsKey("error")) {
            problems.add("expected constructor error " + expected.get("error"));
            return problems;
        }
        List<Map<String, Object>> ops = (List<Map<String, Object>>) input.get("ops");
        List<Map<String, Object>> steps = (List<Map<String, Object>>) expected.get("steps");
        expectEqual(problems, "step count", steps.size(), ops.size());
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (int i = 0; i < ops.size() && i < steps.size(); i++) {
            Map<String, Object> op = ops.get(i);
            Map<String, Object> step = steps.get(i);
            String where = "step " + i + " (" + op.get("op") + ")";
            String outcome = null;
            switch ((String) op.get("op")) {
                case "success" -> semaphore.onSuccess();
                case "rateLimit" -> semaphore.onRateLimit();
                case "header" -> semaphore.onHeaderFeedback((Double) op.get("remaining"), (Double) op.get("limit"));
                case "acquire" -> {
                    CompletableFuture<Void> future = semaphore.acquireAsync();
                    pending.add(future);
                    outcome = !future.isDone() ? "queued"
                            : future.isCompletedExceptionally() ? "rejected" : "acquired";
                    if ("rejected".equals(outcome)) {
                        assertThat(future).failsWithin(java.time.Duration.ZERO)
                                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                                .withCauseInstanceOf(AdaptiveSemaphoreClosedException.class);
                    }
                }
                case "release" -> semaphore.release();
                case "close" -> semaphore.close();
                default -> problems.add(where + ": unknown op");
            }
            expectEqual(problems, where + " window", (double) semaphore.window(), step.get("window"));
            if (comparePermits) {
                expectEqual(problems, where + " permits", (double) semaphore.availablePermits(), step.get("permits"));
                expectEqual(problems, where + " waiters", (double) semaphore.waiters(), step.get("waiters"));
                expectEqual(problems, where + " acquire", outcome, step.get("acquire"));
            }
        }
        Map<String, Object> fin = (Map<String, Object>) expected.get("final");
        expectEqual(problems, "final window", (double) semaphore.window(), fin.get("window"));
        expectEqual(problems, "final maxConcurrency", (double) semaphore.maxConcurrency(), fin.get("maxConcurrency"));
        expectEqual(problems, "final minConcurrency", (double) semaphore.minConcurrency(), fin.get("minConcurrency"));
        expectEqual(problems, "final closed", semaphore.isClosed(), fin.get("closed"));
        if (semaphore.isClosed()) {
            assertThat(pending).allMatch(CompletableFuture::isDone);
        }
        return problems;
    }

    private static int intOr(Object value, int fallback) {
        return value == null ? fallback : ((Double) value).intValue();
    }

    private static void expectEqual(List<String> problems, String what, Object actual, Object expected) {
        if (!Objects.equals(actual, expected)) {
            problems.add(what + ": expected " + expected + " but was " + actual);
        }
    }
}
