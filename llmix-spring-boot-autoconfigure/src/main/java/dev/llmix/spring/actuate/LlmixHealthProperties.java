package dev.llmix.spring.actuate;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Status mapping of the {@code llmix} health contributor ({@code llmix.health.*}). Each condition maps to a status
 * code; the most severe one present wins (DOWN, then OUT_OF_SERVICE, then any custom code, then UP). All default to
 * {@code UP}: an engaged kill switch or an open breaker is an operator or provider matter, not a reason for a load
 * balancer to drop the instance, unless you say so.
 */
@ConfigurationProperties("llmix.health")
public class LlmixHealthProperties {

    /** Status while the kill switch is engaged, e.g. {@code OUT_OF_SERVICE} to leave the load balancer. */
    private String killSwitchStatus = "UP";

    /** Status while at least one circuit breaker is OPEN. */
    private String openBreakerStatus = "UP";

    /** Status while the L2 (Redis) response cache is configured but unhealthy. */
    private String l2UnhealthyStatus = "UP";

    /** Health status of the {@code llmix} component while the fleet's Redis is unhealthy (features run locally). */
    private String fleetDegradedStatus = "UP";

    public String getFleetDegradedStatus() {
        return fleetDegradedStatus;
    }

    public void setFleetDegradedStatus(String fleetDegradedStatus) {
        this.fleetDegradedStatus = fleetDegradedStatus;
    }

    public String getKillSwitchStatus() {
        return killSwitchStatus;
    }

    public void setKillSwitchStatus(String killSwitchStatus) {
        this.killSwitchStatus = killSwitchStatus;
    }

    public String getOpenBreakerStatus() {
        return openBreakerStatus;
    }

    public void setOpenBreakerStatus(String openBreakerStatus) {
        this.openBreakerStatus = openBreakerStatus;
    }

    public String getL2UnhealthyStatus() {
        return l2UnhealthyStatus;
    }

    public void setL2UnhealthyStatus(String l2UnhealthyStatus) {
        this.l2UnhealthyStatus = l2UnhealthyStatus;
    }
}
