package dev.llmix.resilience;

/** Waits between retry attempts; injectable so tests never sleep for real. */
@FunctionalInterface
public interface Sleeper {

    /** {@link Thread#sleep(long)}, skipping non-positive durations (which {@code Thread.sleep} would reject). */
    Sleeper SYSTEM = millis -> {
        if (millis > 0) {
            Thread.sleep(millis);
        }
    };

    /** Blocks for {@code millis} milliseconds (0 or less returns at once). */
    void sleep(long millis) throws InterruptedException;
}
