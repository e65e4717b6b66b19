package dev.llmix.fleet;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The tunables of the fleet runtime and its shared features, with the defaults of docs/fleet.md; validated on
 * construction so that a bad value fails where it is configured.
 *
 * @param prefix             prefix of every Redis key and of the events channel
 * @param instanceId         this instance's id ({@code [A-Za-z0-9._-]}, at most 64 characters)
 * @param budgetsShared      fleet rate budgets on
 * @param breakersShared     shared circuit breakers on
 * @param keysShared         shared key health on
 * @param pollInterval       poll of breakers, key marks and budget versions while healthy; &gt; 0 and ≤ 1 s
 * @param heartbeatInterval  membership heartbeat
 * @param memberTtl          a member not seen for this long is gone; ≥ 2 × heartbeat
 * @param clockSyncInterval  Redis clock re-synchronisation
 * @param commandTimeout     background commands
 * @param callTimeout        commands on the call path; ≤ command timeout
 * @param backoff            first wait before probing Redis after an outage
 * @param backoffMax         cap of the doubling back-off
 * @param closedRetention    how long a CLOSED breaker state stays in Redis
 * @param probeWindow        a HALF_OPEN episode with missing reports is decided after this long
 * @param deadTtl            expiry of a shared dead-key mark
 */
public record FleetSettings(String prefix, String instanceId, boolean budgetsShared, boolean breakersShared,
        boolean keysShared, Duration pollInterval, Duration heartbeatInterval, Duration memberTtl,
        Duration clockSyncInterval, Duration commandTimeout, Duration callTimeout, Duration backoff,
        Duration backoffMax, Duration closedRetention, Duration probeWindow, Duration deadTtl) {

    /** Default key prefix. */
    public static final String DEFAULT_PREFIX = "llmix:fleet:";
    private static final int MAX_ID_LENGTH = 64;

    public FleetSettings {
        Objects.requireNonNull(prefix, "prefix");
        instanceId = sanitizeInstanceId(Objects.requireNonNull(instanceId, "instanceId"));
        positive("poll-interval", pollInterval);
        if (pollInterval.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("poll-interval must be at most 1s, was " + pollInterval);
        }
        positive("heartbeat-interval", heartbeatInterval);
        positive("member-ttl", memberTtl);
        if (memberTtl.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("member-ttl (" + memberTtl + ") must be at least twice heartbeat-interval ("
                    + heartbeatInterval + ")");
        }
        positive("clock-sync-interval", clockSyncInterval);
        positive("redis.command-timeout", commandTimeout);
        positive("redis.call-timeout", callTimeout);
        if (callTimeout.compareTo(commandTimeout) > 0) {
            throw new IllegalArgumentException("redis.call-timeout (" + callTimeout
                    + ") must not exceed redis.command-timeout (" + commandTimeout + ")");
        }
        positive("redis.backoff", backoff);
        positive("redis.backoff-max", backoffMax);
        positive("breakers.closed-retention", closedRetention);
        positive("breakers.probe-window", probeWindow);
        positive("keys.dead-ttl", deadTtl);
    }

    /** Settings with every default of docs/fleet.md and a generated instance id; all features off. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.prefix = prefix;
        b.instanceId = instanceId;
        b.budgetsShared = budgetsShared;
        b.breakersShared = breakersShared;
        b.keysShared = keysShared;
        b.pollInterval = pollInterval;
        b.heartbeatInterval = heartbeatInterval;
        b.memberTtl = memberTtl;
        b.clockSyncInterval = clockSyncInterval;
        b.commandTimeout = commandTimeout;
        b.callTimeout = callTimeout;
        b.backoff = backoff;
        b.backoffMax = backoffMax;
        b.closedRetention = closedRetention;
        b.probeWindow = probeWindow;
        b.deadTtl = deadTtl;
        return b;
    }

    /** True when at least one of the three fleet features is on. */
    public boolean anyFeature() {
        return budgetsShared || breakersShared || keysShared;
    }

    /**
     * {@code id} with every character outside {@code [A-Za-z0-9._-]} replaced by {@code _}, cut to 64 characters;
     * a blank id is replaced by a generated one.
     */
    public static String sanitizeInstanceId(String id) {
        String t = id.trim();
        if (t.isEmpty()) {
            return defaultInstanceId();
        }
        StringBuilder sb = new StringBuilder(Math.min(t.length(), MAX_ID_LENGTH));
        for (int i = 0; i < t.length() && sb.length() < MAX_ID_LENGTH; i++) {
            char c = t.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
                    || c == '_' || c == '-';
            sb.append(ok ? c : '_');
        }
        return sb.toString();
    }

    /** {@code <host>-<pid>-<4 hex>}, sanitised: distinct for two JVMs on one host and for restarts of one JVM. */
    public static String defaultInstanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "host";
        }
        long pid = ProcessHandle.current().pid();
        String suffix = String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
        return sanitizeInstanceId(host + "-" + pid + "-" + suffix);
    }

    private static void positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }

    /** Builder of {@link FleetSettings}; every setter keeps the default when not called. */
    public static final class Builder {
        private String prefix = DEFAULT_PREFIX;
        private String instanceId = "";
        private boolean budgetsShared;
        private boolean breakersShared;
        private boolean keysShared;
        private Duration pollInterval = Duration.ofMillis(500);
        private Duration heartbeatInterval = Duration.ofSeconds(5);
        private Duration memberTtl = Duration.ofSeconds(15);
        private Duration clockSyncInterval = Duration.ofSeconds(60);
        private Duration commandTimeout = Duration.ofSeconds(3);
        private Duration callTimeout = Duration.ofMillis(500);
        private Duration backoff = Duration.ofSeconds(5);
        private Duration backoffMax = Duration.ofSeconds(30);
        private Duration closedRetention = Duration.ofMinutes(10);
        private Duration probeWindow = Duration.ofSeconds(150);
        private Duration deadTtl = Duration.ofHours(1);

        private Builder() {
        }

        /** Key and channel prefix. */
        public Builder prefix(String v) { this.prefix = v; return this; }

        /** Instance id; blank generates one. */
        public Builder instanceId(String v) { this.instanceId = v; return this; }

        /** Fleet budgets on or off. */
        public Builder budgetsShared(boolean v) { this.budgetsShared = v; return this; }

        /** Shared breakers on or off. */
        public Builder breakersShared(boolean v) { this.breakersShared = v; return this; }

        /** Shared key health on or off. */
        public Builder keysShared(boolean v) { this.keysShared = v; return this; }

        /** Poll interval. */
        public Builder pollInterval(Duration v) { this.pollInterval = v; return this; }

        /** Heartbeat interval. */
        public Builder heartbeatInterval(Duration v) { this.heartbeatInterval = v; return this; }

        /** Member TTL. */
        public Builder memberTtl(Duration v) { this.memberTtl = v; return this; }

        /** Clock sync interval. */
        public Builder clockSyncInterval(Duration v) { this.clockSyncInterval = v; return this; }

        /** Background command timeout. */
        public Builder commandTimeout(Duration v) { this.commandTimeout = v; return this; }

        /** Call-path command timeout. */
        public Builder callTimeout(Duration v) { this.callTimeout = v; return this; }

        /** First back-off. */
        public Builder backoff(Duration v) { this.backoff = v; return this; }

        /** Back-off cap. */
        public Builder backoffMax(Duration v) { this.backoffMax = v; return this; }

        /** CLOSED breaker retention. */
        public Builder closedRetention(Duration v) { this.closedRetention = v; return this; }

        /** HALF_OPEN probe window. */
        public Builder probeWindow(Duration v) { this.probeWindow = v; return this; }

        /** Shared dead-key expiry. */
        public Builder deadTtl(Duration v) { this.deadTtl = v; return this; }

        /** The validated settings. */
        public FleetSettings build() {
            return new FleetSettings(prefix, instanceId, budgetsShared, breakersShared, keysShared, pollInterval,
                    heartbeatInterval, memberTtl, clockSyncInterval, commandTimeout, callTimeout, backoff, backoffMax,
                    closedRetention, probeWindow, deadTtl);
        }
    }
}
