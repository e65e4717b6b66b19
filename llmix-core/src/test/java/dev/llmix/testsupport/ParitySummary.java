package dev.llmix.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.DynamicTest;

/**
 * Counts how many vectors of one file ran, and how many were skipped or narrowed under which rule of
 * {@code parity-decisions.md}, and prints one summary line per file so a reader can see nothing else was dropped.
 */
public final class ParitySummary {

    private final String file;
    private int ran;
    private final Map<String, Integer> skipped = new TreeMap<>();
    private final Map<String, Integer> narrowed = new TreeMap<>();

    public ParitySummary(String file) {
        this.file = file;
    }

    /** Records a vector that was run in full. */
    public synchronized void ran() {
        ran++;
    }

    /** Records a vector skipped under {@code rule}. */
    public synchronized void skipped(String rule) {
        skipped.merge(rule, 1, Integer::sum);
    }

    /** Records a vector that ran with a narrowed comparison under {@code rule} (it also counts as run). */
    public synchronized void narrowed(String rule) {
        ran++;
        narrowed.merge(rule, 1, Integer::sum);
    }

    /** Number of vectors run (in full or narrowed). */
    public synchronized int ranCount() {
        return ran;
    }

    /** Prints {@code [parity] file: N ran, M skipped (rule: k, …), narrowed (rule: k, …)}. */
    public synchronized void print() {
        int skippedTotal = skippedCount();
        StringBuilder sb = new StringBuilder("[parity] ").append(file).append(": ").append(ran).append(" ran, ")
                .append(skippedTotal).append(" skipped");
        if (!skipped.isEmpty()) {
            sb.append(' ').append(skipped);
        }
        if (!narrowed.isEmpty()) {
            sb.append(", narrowed ").append(narrowed);
        }
        System.out.println(sb);
    }

    /** Number of vectors skipped, over all rules. */
    public synchronized int skippedCount() {
        return skipped.values().stream().mapToInt(Integer::intValue).sum();
    }

    /**
     * Asserts that each of the {@code total} vectors this suite is responsible for either ran or was skipped under a
     * named rule, and, for the project's own vector set (no {@code llmix.parity.vectors} override), that exactly
     * {@code publicExpectedRan} ran, so vectors cannot silently disappear. Another vector set only has to be complete.
     */
    public synchronized void assertAccountedFor(int total, int publicExpectedRan) {
        assertThat(ran + skippedCount()).as("%s: vectors run or skipped by a named rule", file).isEqualTo(total);
        if (Vectors.isProjectSet()) {
            assertThat(ran).as("%s: vectors run from the project's own set", file).isEqualTo(publicExpectedRan);
        }
    }

    /** A closing dynamic test that prints the summary and checks {@link #assertAccountedFor} for a whole file. */
    public DynamicTest allRan(String vectorFile, int expected) {
        return DynamicTest.dynamicTest("all vectors of " + vectorFile + " accounted for", () -> {
            print();
            assertAccountedFor(Vectors.vectors(vectorFile).size(), expected);
        });
    }

    /** One vector's comparison: the reference's input and expected objects in, a mismatch description (or null) out. */
    @FunctionalInterface
    public interface VectorCheck {
        /** Returns {@code null} when ours matches the reference, else what differed. */
        @org.jspecify.annotations.Nullable String mismatch(Map<String, Object> input, Map<String, Object> expected);
    }

    /**
     * Runs {@code check} over every vector of {@code file} (all run in full), prints the summary line, and asserts
     * that nothing mismatched and every vector was accounted for ({@link #assertAccountedFor}).
     */
    public static void compareEach(String file, int publicExpectedRan, VectorCheck check) {
        ParitySummary summary = new ParitySummary(file);
        java.util.List<String> mismatches = new java.util.ArrayList<>();
        for (tools.jackson.databind.JsonNode vector : Vectors.vectors(file)) {
            String mismatch = check.mismatch(Vectors.object(vector, "input"), Vectors.object(vector, "expected"));
            if (mismatch != null) {
                mismatches.add(vector.get("name").asString() + ": " + mismatch);
            }
            summary.ran();
        }
        summary.print();
        assertThat(mismatches).isEmpty();
        summary.assertAccountedFor(Vectors.vectors(file).size(), publicExpectedRan);
    }
}
