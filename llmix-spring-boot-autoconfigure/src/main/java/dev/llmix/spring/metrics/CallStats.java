package dev.llmix.spring.metrics;

import dev.llmix.spi.CallEvent;
import dev.llmix.spi.CallOutcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Running totals of LLMix calls for the {@code llmix} Actuator endpoint and the sample's live charts: calls by
 * outcome and a fixed-bucket latency histogram, so that a reader can derive rates and percentiles between two reads.
 * Recording is lock-free and allocation-free.
 */
public final class CallStats {

    /** Upper bounds of the latency buckets in milliseconds; the last bucket is unbounded. */
    private static final long[] BOUNDS_MS = {1, 2, 5, 10, 20, 50, 100, 200, 300, 500, 750, 1000, 2000, 5000, 10000,
        30000, 60000};

    private final LongAdder[] outcomes = new LongAdder[CallOutcome.values().length];
    private final AtomicLongArray buckets = new AtomicLongArray(BOUNDS_MS.length + 1);

    /**
     * A snapshot of the totals.
     *
     * @param byOutcome       calls by outcome tag value ({@code success}, {@code failure}, …)
     * @param latencyBoundsMs upper bounds of the latency buckets, in milliseconds (the last bucket is unbounded)
     * @param latencyCounts   calls per bucket (not cumulative); one more entry than {@code latencyBoundsMs}
     */
    public record Snapshot(Map<String, Long> byOutcome, List<Long> latencyBoundsMs, List<Long> latencyCounts) {
    }

    public CallStats() {
        for (int i = 0; i < outcomes.length; i++) {
            outcomes[i] = new LongAdder();
        }
    }

    /** Counts one finished call. */
    public void record(CallEvent event) {
        outcomes[event.outcome().ordinal()].increment();
        long ms = event.durationNanos() / 1_000_000;
        int i = 0;
        while (i < BOUNDS_MS.length && ms > BOUNDS_MS[i]) {
            i++;
        }
        buckets.incrementAndGet(i);
    }

    /** The totals since start. */
    public Snapshot snapshot() {
        Map<String, Long> byOutcome = new LinkedHashMap<>();
        for (CallOutcome o : CallOutcome.values()) {
            byOutcome.put(o.tagValue(), outcomes[o.ordinal()].sum());
        }
        List<Long> bounds = new ArrayList<>(BOUNDS_MS.length);
        for (long b : BOUNDS_MS) {
            bounds.add(b);
        }
        List<Long> counts = new ArrayList<>(buckets.length());
        for (int i = 0; i < buckets.length(); i++) {
            counts.add(buckets.get(i));
        }
        return new Snapshot(byOutcome, bounds, counts);
    }
}
