package dev.llmix.spring.fleet;

import dev.llmix.fleet.FleetStatus;
import org.jspecify.annotations.Nullable;

/**
 * What the Actuator endpoint and health show of the fleet (docs/fleet.md), without Lettuce types so that they load
 * whether or not Redis is on the class path.
 */
public interface LlmixFleetView {

    /** The runtime's state. */
    FleetStatus status();

    /** The fleet side of one breaker, or null when no fleet state was applied to it. */
    @Nullable BreakerFleet breaker(String provider, String baseUrl);

    /** Shared dead-key marks applied to {@code provider}'s pool (0 without shared key health). */
    int sharedDead(String provider);

    /** Shared cool-downs of {@code provider}'s keys not yet over (0 without shared key health). */
    default int sharedCooling(String provider) {
        return 0;
    }

    /**
     * The fleet side of one breaker.
     *
     * @param generation last applied generation
     * @param source     the instance that wrote it
     * @param cause      {@code threshold}, {@code probes}, {@code probe-timeout}, {@code reset} or {@code resync}
     */
    record BreakerFleet(long generation, String source, String cause) {
    }
}
