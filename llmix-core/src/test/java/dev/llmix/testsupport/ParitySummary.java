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
        int skippedTotal = skipped.values().stream().mapToInt(Integer::intValue).sum();
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

    /**
     * The closing test of a per-vector {@code @TestFactory}: prints the summary, then checks that vector file
     * {@code vectorFile} holds exactly {@code expected} vectors and that all of them ran.
     */
    public DynamicTest allRan(String vectorFile, int expected) {
        return DynamicTest.dynamicTest("all " + expected + " vectors ran", () -> {
            print();
            assertThat(Vectors.file(vectorFile).get("count").asInt()).isEqualTo(expected);
            assertThat(ranCount()).isEqualTo(expected);
        });
    }
}
