package dev.llmix.benchmarks;

import java.lang.management.ManagementFactory;

/**
 * Exact allocation per L1 hit, bare and observed (the three {@link ObservabilityBenchmark} pipelines): the bytes the
 * calling thread allocated over 100,000 hits after warm-up, from {@code com.sun.management.ThreadMXBean}. Allocation
 * does not depend on the machine's load, so it is the steady figure behind docs/performance.md §9; the time per hit
 * printed alongside (best of 40 rounds of 20,000 hits, modes alternated) is only a rough cross-check of the JMH run.
 *
 * <pre>java -cp llmix-benchmarks/target/benchmarks.jar dev.llmix.benchmarks.ObservabilityProbe [seconds [mode]]</pre>
 *
 * With arguments it afterwards loops the hits of one mode ({@code observed} unless given) for that many seconds, to
 * record with JFR.
 */
public final class ObservabilityProbe {

    private static final int HITS = 100_000;
    /** Short rounds, modes alternated: on a shared machine the fastest round is the one least disturbed. */
    private static final int ROUNDS = 40;
    private static final int ROUND_HITS = 20_000;

    private ObservabilityProbe() {
    }

    public static void main(String[] args) throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        ObservabilityBenchmark.Hit bare = open("bare");
        ObservabilityBenchmark.Hit observed = open("observed");
        ObservabilityBenchmark.Hit registry = open("registry");
        ObservabilityBenchmark benchmark = new ObservabilityBenchmark();
        for (int i = 0; i < 3; i++) {
            loop(benchmark, bare, 100_000);
            loop(benchmark, observed, 100_000);
            loop(benchmark, registry, 100_000);
        }
        for (ObservabilityBenchmark.Hit hit : new ObservabilityBenchmark.Hit[] {bare, observed, registry}) {
            long before = threads.getThreadAllocatedBytes(self);
            loop(benchmark, hit, HITS);
            long bytes = threads.getThreadAllocatedBytes(self) - before;
            System.out.printf("%-8s allocation per L1 hit: %,d B%n", hit.mode, Math.round((double) bytes / HITS));
        }
        long bestBare = Long.MAX_VALUE;
        long bestObserved = Long.MAX_VALUE;
        long bestRegistry = Long.MAX_VALUE;
        for (int round = 0; round < ROUNDS; round++) {
            bestBare = Math.min(bestBare, timed(benchmark, bare));
            bestObserved = Math.min(bestObserved, timed(benchmark, observed));
            bestRegistry = Math.min(bestRegistry, timed(benchmark, registry));
        }
        System.out.printf("best of %d rounds of %,d hits: bare %,d ns/hit, observed %,d ns/hit (+%,d), "
                + "registry %,d ns/hit (+%,d)%n", ROUNDS, ROUND_HITS, bestBare, bestObserved, bestObserved - bestBare,
                bestRegistry, bestRegistry - bestBare);
        if (args.length > 0) {
            ObservabilityBenchmark.Hit looped = args.length > 1 && args[1].equals("registry") ? registry
                    : args.length > 1 && args[1].equals("bare") ? bare : observed;
            long end = System.nanoTime() + Long.parseLong(args[0]) * 1_000_000_000L;
            while (System.nanoTime() < end) {
                loop(benchmark, looped, 10_000);
            }
        }
        bare.close();
        observed.close();
        registry.close();
    }

    private static ObservabilityBenchmark.Hit open(String mode) throws Exception {
        ObservabilityBenchmark.Hit hit = new ObservabilityBenchmark.Hit();
        hit.mode = mode;
        hit.open();
        return hit;
    }

    private static long timed(ObservabilityBenchmark benchmark, ObservabilityBenchmark.Hit hit) {
        long start = System.nanoTime();
        loop(benchmark, hit, ROUND_HITS);
        return (System.nanoTime() - start) / ROUND_HITS;
    }

    private static void loop(ObservabilityBenchmark benchmark, ObservabilityBenchmark.Hit hit, int n) {
        for (int i = 0; i < n; i++) {
            if (!benchmark.l1Hit(hit).success()) {
                throw new IllegalStateException("an L1 hit failed");
            }
        }
    }
}
