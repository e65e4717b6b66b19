package dev.llmix.resilience;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** A monotonic test clock in nanoseconds that only moves when told to; the vectors speak milliseconds. */
final class FakeNanoClock implements LongSupplier {

    private final AtomicLong nanos;

    FakeNanoClock(long startMs) {
        this.nanos = new AtomicLong(startMs * 1_000_000L);
    }

    void advanceMs(long ms) {
        nanos.addAndGet(ms * 1_000_000L);
    }

    @Override
    public long getAsLong() {
        return nanos.get();
    }
}
