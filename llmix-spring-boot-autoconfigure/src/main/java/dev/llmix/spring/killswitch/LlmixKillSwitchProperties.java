package dev.llmix.spring.killswitch;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Scope of the operator kill switch ({@code llmix.kill-switch.*}). */
@ConfigurationProperties("llmix.kill-switch")
public class LlmixKillSwitchProperties {

    /** The longest poll interval accepted: every instance must honour a fleet switch within one second. */
    public static final Duration MAX_POLL_INTERVAL = Duration.ofMillis(500);

    /**
     * {@code local}: the state-directory file only. {@code fleet}: the file plus a Redis key shared by every instance
     * (needs Spring Data Redis configured).
     */
    private KillSwitchScope scope = KillSwitchScope.LOCAL;

    private final Fleet fleet = new Fleet();

    public KillSwitchScope getScope() {
        return scope;
    }

    public void setScope(KillSwitchScope scope) {
        this.scope = scope;
    }

    public Fleet getFleet() {
        return fleet;
    }

    /** The fleet-wide switch. */
    public static class Fleet {

        /** Redis key of the fleet switch; present (with a JSON reason and timestamp) while engaged. */
        private String key = "llmix:killswitch";

        /** How often each instance reads the key; at most 500 ms. */
        private Duration pollInterval = Duration.ofMillis(250);

        /** What to assume while Redis cannot be read: last-known (default), allow or block. */
        private RedisFailureMode onRedisFailure = RedisFailureMode.LAST_KNOWN;

        public String getKey() {
            return key;
        }

        public void setKey(String key) {
            this.key = key;
        }

        public Duration getPollInterval() {
            return pollInterval;
        }

        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
        }

        public RedisFailureMode getOnRedisFailure() {
            return onRedisFailure;
        }

        public void setOnRedisFailure(RedisFailureMode onRedisFailure) {
            this.onRedisFailure = onRedisFailure;
        }
    }
}
