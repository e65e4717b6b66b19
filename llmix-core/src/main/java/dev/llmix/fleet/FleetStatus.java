package dev.llmix.fleet;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A point-in-time view of the fleet runtime for the Actuator and health (docs/fleet.md).
 *
 * @param instanceId     this instance's id
 * @param budgets        fleet budgets enabled
 * @param breakers       shared breakers enabled
 * @param keys           shared key health enabled
 * @param healthy        Redis usable now
 * @param since          when {@code healthy} last changed
 * @param lastError      the class name of the failure that made Redis unhealthy, or null
 * @param clockOffsetMs  Redis time minus local time
 * @param members        live members last read (0 before the first heartbeat)
 */
public record FleetStatus(String instanceId, boolean budgets, boolean breakers, boolean keys, boolean healthy,
        Instant since, @Nullable String lastError, long clockOffsetMs, int members) {
}
