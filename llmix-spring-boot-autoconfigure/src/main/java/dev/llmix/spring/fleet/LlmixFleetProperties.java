package dev.llmix.spring.fleet;

import dev.llmix.fleet.FleetSettings;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Fleet coordination through Redis ({@code llmix.fleet.*}, docs/fleet.md): the three opt-in features (budgets,
 * breakers, key health) and the runtime they share. Out-of-range values fail binding, naming the property.
 */
@ConfigurationProperties("llmix.fleet")
public class LlmixFleetProperties {

    /** Prefix of every fleet key and of the events channel. */
    private String prefix = FleetSettings.DEFAULT_PREFIX;

    /**
     * This instance's id in the fleet; characters outside [A-Za-z0-9._-] become '_', at most 64 characters. Default:
     * host-pid-4 random hex digits.
     */
    private @Nullable String instanceId;

    /** Poll of shared breakers, key marks and budget versions while Redis is healthy; more than 0, at most 1s. */
    private Duration pollInterval = Duration.ofMillis(500);

    /** Membership heartbeat interval. */
    private Duration heartbeatInterval = Duration.ofSeconds(5);

    /** A member without a heartbeat for this long is gone; at least twice the heartbeat interval. */
    private Duration memberTtl = Duration.ofSeconds(15);

    /** How often the Redis clock offset is measured again. */
    private Duration clockSyncInterval = Duration.ofSeconds(60);

    private final Budgets budgets = new Budgets();
    private final Breakers breakers = new Breakers();
    private final Keys keys = new Keys();
    private final Redis redis = new Redis();

    public String getPrefix() {
        return prefix;
    }

    public void setPrefix(String prefix) {
        if (prefix == null || prefix.isBlank()) {
            throw new IllegalArgumentException("llmix.fleet.prefix must not be blank");
        }
        this.prefix = prefix;
    }

    public @Nullable String getInstanceId() {
        return instanceId;
    }

    public void setInstanceId(@Nullable String instanceId) {
        this.instanceId = instanceId;
    }

    public Duration getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
        positive("llmix.fleet.poll-interval", pollInterval);
        if (pollInterval.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("llmix.fleet.poll-interval must be at most 1s, was " + pollInterval);
        }
        this.pollInterval = pollInterval;
    }

    public Duration getHeartbeatInterval() {
        return heartbeatInterval;
    }

    public void setHeartbeatInterval(Duration heartbeatInterval) {
        positive("llmix.fleet.heartbeat-interval", heartbeatInterval);
        this.heartbeatInterval = heartbeatInterval;
    }

    public Duration getMemberTtl() {
        return memberTtl;
    }

    public void setMemberTtl(Duration memberTtl) {
        positive("llmix.fleet.member-ttl", memberTtl);
        this.memberTtl = memberTtl;
    }

    public Duration getClockSyncInterval() {
        return clockSyncInterval;
    }

    public void setClockSyncInterval(Duration clockSyncInterval) {
        positive("llmix.fleet.clock-sync-interval", clockSyncInterval);
        this.clockSyncInterval = clockSyncInterval;
    }

    public Budgets getBudgets() {
        return budgets;
    }

    public Breakers getBreakers() {
        return breakers;
    }

    public Keys getKeys() {
        return keys;
    }

    public Redis getRedis() {
        return redis;
    }

    /** True when at least one fleet feature is on. */
    public boolean anyShared() {
        return budgets.shared || breakers.shared || keys.shared;
    }

    /** The core settings; cross-property rules (member TTL, call timeout) are checked here. */
    public FleetSettings toSettings() {
        return FleetSettings.builder().prefix(prefix)
                .instanceId(instanceId == null ? "" : instanceId).budgetsShared(budgets.shared)
                .breakersShared(breakers.shared).keysShared(keys.shared).pollInterval(pollInterval)
                .heartbeatInterval(heartbeatInterval).memberTtl(memberTtl).clockSyncInterval(clockSyncInterval)
                .commandTimeout(redis.commandTimeout).callTimeout(redis.callTimeout).backoff(redis.backoff)
                .backoffMax(redis.backoffMax).closedRetention(breakers.closedRetention)
                .probeWindow(breakers.probeWindow).deadTtl(keys.deadTtl).build();
    }

    static void positive(String property, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(property + " must be positive, was " + d);
        }
    }

    /** Fleet rate budgets ({@code llmix.fleet.budgets.*}). */
    public static class Budgets {

        /** Share rate budgets through Redis (Bucket4j); otherwise budgets are local to each instance. */
        private boolean shared;

        /** Tokens taken ahead from the fleet bucket, as this long of the instance's recent grant rate; 0 disables. */
        private Duration leaseAhead = Duration.ofMillis(500);

        /** Unused leased tokens go back to the fleet bucket after this long without a grant. */
        private Duration idleReturn = Duration.ofSeconds(2);

        /** Divisor of the fleet limits while Redis is unusable; 0 uses the members last observed. */
        private int degradedInstances;

        public boolean isShared() {
            return shared;
        }

        public void setShared(boolean shared) {
            this.shared = shared;
        }

        public Duration getLeaseAhead() {
            return leaseAhead;
        }

        public void setLeaseAhead(Duration leaseAhead) {
            if (leaseAhead == null || leaseAhead.isNegative()) {
                throw new IllegalArgumentException("llmix.fleet.budgets.lease-ahead must not be negative, was "
                        + leaseAhead);
            }
            this.leaseAhead = leaseAhead;
        }

        public Duration getIdleReturn() {
            return idleReturn;
        }

        public void setIdleReturn(Duration idleReturn) {
            positive("llmix.fleet.budgets.idle-return", idleReturn);
            this.idleReturn = idleReturn;
        }

        public int getDegradedInstances() {
            return degradedInstances;
        }

        public void setDegradedInstances(int degradedInstances) {
            if (degradedInstances < 0) {
                throw new IllegalArgumentException("llmix.fleet.budgets.degraded-instances must not be negative, was "
                        + degradedInstances);
            }
            this.degradedInstances = degradedInstances;
        }
    }

    /** Shared circuit breakers ({@code llmix.fleet.breakers.*}). */
    public static class Breakers {

        /** Share breaker openings, HALF_OPEN probes and closings through Redis. */
        private boolean shared;

        /** How long a CLOSED breaker state stays in Redis. */
        private Duration closedRetention = Duration.ofMinutes(10);

        /** A HALF_OPEN episode with missing probe reports is decided (missing = failed) after this long. */
        private Duration probeWindow = Duration.ofSeconds(150);

        public boolean isShared() {
            return shared;
        }

        public void setShared(boolean shared) {
            this.shared = shared;
        }

        public Duration getClosedRetention() {
            return closedRetention;
        }

        public void setClosedRetention(Duration closedRetention) {
            positive("llmix.fleet.breakers.closed-retention", closedRetention);
            this.closedRetention = closedRetention;
        }

        public Duration getProbeWindow() {
            return probeWindow;
        }

        public void setProbeWindow(Duration probeWindow) {
            positive("llmix.fleet.breakers.probe-window", probeWindow);
            this.probeWindow = probeWindow;
        }
    }

    /** Shared key health ({@code llmix.fleet.keys.*}). */
    public static class Keys {

        /** Share dead keys (401/403) and key cool-downs (429 with Retry-After) by fingerprint through Redis. */
        private boolean shared;

        /** Expiry of a shared dead-key mark, after which a rotated or fixed key is used again. */
        private Duration deadTtl = Duration.ofHours(1);

        public boolean isShared() {
            return shared;
        }

        public void setShared(boolean shared) {
            this.shared = shared;
        }

        public Duration getDeadTtl() {
            return deadTtl;
        }

        public void setDeadTtl(Duration deadTtl) {
            positive("llmix.fleet.keys.dead-ttl", deadTtl);
            this.deadTtl = deadTtl;
        }
    }

    /** The fleet's Redis connection ({@code llmix.fleet.redis.*}). */
    public static class Redis {

        /** Use a connection of its own (short timeouts, commands rejected while disconnected); false shares Boot's. */
        private boolean isolatedConnection = true;

        /** Timeout of background fleet commands. */
        private Duration commandTimeout = Duration.ofSeconds(3);

        /** Timeout of fleet commands on the call path (budget top-ups, HALF_OPEN admissions); at most the command timeout. */
        private Duration callTimeout = Duration.ofMillis(500);

        /** First wait before probing Redis again after a failure; doubled on each failed probe. */
        private Duration backoff = Duration.ofSeconds(5);

        /** Cap of the doubling back-off. */
        private Duration backoffMax = Duration.ofSeconds(30);

        public boolean isIsolatedConnection() {
            return isolatedConnection;
        }

        public void setIsolatedConnection(boolean isolatedConnection) {
            this.isolatedConnection = isolatedConnection;
        }

        public Duration getCommandTimeout() {
            return commandTimeout;
        }

        public void setCommandTimeout(Duration commandTimeout) {
            positive("llmix.fleet.redis.command-timeout", commandTimeout);
            this.commandTimeout = commandTimeout;
        }

        public Duration getCallTimeout() {
            return callTimeout;
        }

        public void setCallTimeout(Duration callTimeout) {
            positive("llmix.fleet.redis.call-timeout", callTimeout);
            this.callTimeout = callTimeout;
        }

        public Duration getBackoff() {
            return backoff;
        }

        public void setBackoff(Duration backoff) {
            positive("llmix.fleet.redis.backoff", backoff);
            this.backoff = backoff;
        }

        public Duration getBackoffMax() {
            return backoffMax;
        }

        public void setBackoffMax(Duration backoffMax) {
            positive("llmix.fleet.redis.backoff-max", backoffMax);
            this.backoffMax = backoffMax;
        }
    }
}
