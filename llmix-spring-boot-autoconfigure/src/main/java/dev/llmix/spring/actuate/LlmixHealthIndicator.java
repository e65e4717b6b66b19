package dev.llmix.spring.actuate;

import dev.llmix.cache.CacheStats;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.pipeline.KeyPoolStatus;
import dev.llmix.pipeline.PipelineSnapshot;
import dev.llmix.resilience.CircuitBreakerSnapshot;
import dev.llmix.spring.killswitch.FleetKillSwitch;
import dev.llmix.spring.killswitch.KillSwitchState;
import dev.llmix.spring.killswitch.LlmixKillSwitch;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code llmix} health component: details {@code killSwitch}, {@code breakers} (counts per state) and {@code l2};
 * the status follows {@link LlmixHealthProperties} (everything {@code UP} by default). With required providers (the
 * providers of the validated presets), a {@code providers} detail shows each one's usable keys, and a provider without
 * a usable key makes the component {@code DOWN}: every call to it would fail.
 */
public class LlmixHealthIndicator extends AbstractHealthIndicator {

    private final CallPipeline pipeline;
    private final LlmixKillSwitch killSwitch;
    private final LlmixHealthProperties properties;
    private final Supplier<? extends Collection<String>> requiredProviders;
    private volatile dev.llmix.spring.fleet.@Nullable LlmixFleetView fleet;

    public LlmixHealthIndicator(CallPipeline pipeline, LlmixKillSwitch killSwitch, LlmixHealthProperties properties) {
        this(pipeline, killSwitch, properties, List::of);
    }

    /** An indicator that also reports {@code requiredProviders} without a usable API key as {@code DOWN}. */
    public LlmixHealthIndicator(CallPipeline pipeline, LlmixKillSwitch killSwitch, LlmixHealthProperties properties,
            Supplier<? extends Collection<String>> requiredProviders) {
        super("LLMix health check failed");
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.killSwitch = Objects.requireNonNull(killSwitch, "killSwitch");
        this.properties = Objects.requireNonNull(properties, "properties");
        this.requiredProviders = Objects.requireNonNull(requiredProviders, "requiredProviders");
    }

    /** Adds the {@code fleet} detail (docs/fleet.md) when a fleet feature is on. */
    public void fleet(dev.llmix.spring.fleet.@Nullable LlmixFleetView view) {
        this.fleet = view;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        PipelineSnapshot s = pipeline.snapshot();
        List<Status> conditions = new ArrayList<>();
        @Nullable Map<String, Object> fleetDetail = null;

        KillSwitchState k = killSwitch.state();
        Map<String, Object> ks = new LinkedHashMap<>();
        ks.put("active", k.active());
        ks.put("scope", k.scope().wireName());
        if (k.reason() != null) {
            ks.put("reason", k.reason());
        }
        if (k.since() != null) {
            ks.put("since", k.since().toString());
        }
        if (killSwitch instanceof FleetKillSwitch fleet) {
            ks.put("redisReachable", fleet.storeReachable());
        }
        if (k.active()) {
            conditions.add(status(properties.getKillSwitchStatus()));
        }

        Map<String, Integer> breakers = new LinkedHashMap<>();
        breakers.put("closed", 0);
        breakers.put("open", 0);
        breakers.put("halfOpen", 0);
        for (CircuitBreakerSnapshot b : s.circuitBreakers().values()) {
            String key = switch (b.state()) {
                case CLOSED -> "closed";
                case OPEN -> "open";
                case HALF_OPEN -> "halfOpen";
            };
            breakers.merge(key, 1, Integer::sum);
        }
        if (breakers.get("open") > 0) {
            conditions.add(status(properties.getOpenBreakerStatus()));
        }

        CacheStats c = s.cache();
        Map<String, Object> l2 = new LinkedHashMap<>();
        boolean l2Enabled = c != null && c.l2Enabled();
        boolean l2Healthy = c == null || !c.l2Enabled() || c.l2Healthy();
        l2.put("enabled", l2Enabled);
        l2.put("healthy", l2Healthy);
        if (!l2Healthy) {
            conditions.add(status(properties.getL2UnhealthyStatus()));
        }

        Collection<String> required = requiredProviders.get();
        Map<String, Object> providers = new LinkedHashMap<>();
        for (String provider : required) {
            KeyPoolStatus pool = s.keyPools().get(provider);
            int usable = pool == null ? 0 : pool.alive();
            providers.put(provider, Map.of("usableKeys", usable));
            if (usable == 0) {
                conditions.add(Status.DOWN);
            }
        }

        dev.llmix.spring.fleet.LlmixFleetView f = fleet;
        if (f != null) {
            dev.llmix.fleet.FleetStatus st = f.status();
            Map<String, Object> fd = new LinkedHashMap<>();
            fd.put("redis", st.healthy() ? "UP" : "DEGRADED");
            fd.put("members", st.members());
            fleetDetail = fd;
            if (!st.healthy()) {
                conditions.add(status(properties.getFleetDegradedStatus()));
            }
        }
        builder.status(mostSevere(conditions))
                .withDetail("killSwitch", ks)
                .withDetail("breakers", breakers)
                .withDetail("l2", l2);
        if (fleetDetail != null) {
            builder.withDetail("fleet", fleetDetail);
        }
        if (!providers.isEmpty()) {
            builder.withDetail("providers", providers);
        }
    }

    private static Status status(String code) {
        String c = code == null || code.isBlank() ? "UP" : code.strip().toUpperCase(Locale.ROOT);
        return switch (c) {
            case "UP" -> Status.UP;
            case "DOWN" -> Status.DOWN;
            case "OUT_OF_SERVICE" -> Status.OUT_OF_SERVICE;
            case "UNKNOWN" -> Status.UNKNOWN;
            default -> new Status(c);
        };
    }

    /** DOWN, then OUT_OF_SERVICE, then custom codes, then UP (and UNKNOWN, which never comes from a mapping here). */
    static Status mostSevere(List<Status> conditions) {
        Status best = Status.UP;
        int bestRank = rank(best);
        for (Status s : conditions) {
            int r = rank(s);
            if (r < bestRank) {
                best = s;
                bestRank = r;
            }
        }
        return best;
    }

    private static int rank(Status s) {
        if (Status.DOWN.equals(s)) {
            return 0;
        }
        if (Status.OUT_OF_SERVICE.equals(s)) {
            return 1;
        }
        if (Status.UP.equals(s)) {
            return 3;
        }
        if (Status.UNKNOWN.equals(s)) {
            return 4;
        }
        return 2;
    }
}
