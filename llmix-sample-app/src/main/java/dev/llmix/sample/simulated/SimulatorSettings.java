package dev.llmix.sample.simulated;

/**
 * How the simulated provider behaves: its latency, how often it fails, its request budget (which drives the
 * {@code x-ratelimit-*} headers and the 429s) and whether its answers carry a {@code <think>} block. Immutable; the
 * dashboard replaces the whole value to change it at run time.
 *
 * @param minLatencyMs      shortest simulated response time
 * @param maxLatencyMs      longest simulated response time
 * @param errorRate         probability in [0, 1] that a request fails with a 503 (retried, counted by the breaker)
 * @param rateLimitRate     probability in [0, 1] that a request gets a spontaneous 429
 * @param requestsPerWindow request budget per window; past it every request gets a 429 until the window ends
 * @param windowSeconds     length of the budget window, also the largest {@code retry-after} sent
 * @param thinking          whether answers start with a {@code <think>…</think>} block (the pipeline strips it)
 */
public record SimulatorSettings(
        long minLatencyMs,
        long maxLatencyMs,
        double errorRate,
        double rateLimitRate,
        int requestsPerWindow,
        int windowSeconds,
        boolean thinking) {

    /** The sample's defaults: quick, reliable answers with thinking blocks and a budget a "load" burst can exhaust. */
    public static final SimulatorSettings DEFAULT = new SimulatorSettings(150, 600, 0.0, 0.0, 120, 10, true);

    public SimulatorSettings {
        if (minLatencyMs < 0 || maxLatencyMs < minLatencyMs) {
            throw new IllegalArgumentException(
                    "latency must satisfy 0 <= minLatencyMs <= maxLatencyMs, got " + minLatencyMs + ".." + maxLatencyMs);
        }
        requireProbability("errorRate", errorRate);
        requireProbability("rateLimitRate", rateLimitRate);
        if (requestsPerWindow < 1) {
            throw new IllegalArgumentException("requestsPerWindow must be >= 1, got " + requestsPerWindow);
        }
        if (windowSeconds < 1) {
            throw new IllegalArgumentException("windowSeconds must be >= 1, got " + windowSeconds);
        }
    }

    private static void requireProbability(String name, double value) {
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new IllegalArgumentException(name + " must be between 0 and 1, got " + value);
        }
    }
}
