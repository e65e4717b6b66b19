package dev.llmix.sample.simulated;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code sample.simulated.*}: whether the simulated provider answers the sample's calls, and how it behaves at start
 * (the dashboard can change the behaviour at run time). Set {@code sample.simulated.enabled=false} to call a real
 * provider instead.
 *
 * @param enabled           whether the simulated provider is the pipeline's dispatch function
 * @param minLatencyMs      shortest simulated response time
 * @param maxLatencyMs      longest simulated response time
 * @param errorRate         probability of a 503
 * @param rateLimitRate     probability of a spontaneous 429
 * @param requestsPerWindow request budget per window, reported in {@code x-ratelimit-*} headers
 * @param windowSeconds     length of the budget window
 * @param thinking          whether answers carry a {@code <think>} block
 */
@ConfigurationProperties("sample.simulated")
public record SimulatorProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("150") long minLatencyMs,
        @DefaultValue("600") long maxLatencyMs,
        @DefaultValue("0") double errorRate,
        @DefaultValue("0") double rateLimitRate,
        @DefaultValue("120") int requestsPerWindow,
        @DefaultValue("10") int windowSeconds,
        @DefaultValue("true") boolean thinking) {

    /** The start-up behaviour these properties describe. */
    public SimulatorSettings toSettings() {
        return new SimulatorSettings(minLatencyMs, maxLatencyMs, errorRate, rateLimitRate, requestsPerWindow,
                windowSeconds, thinking);
    }
}
