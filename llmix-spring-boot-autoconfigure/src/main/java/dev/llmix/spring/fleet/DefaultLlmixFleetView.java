package dev.llmix.spring.fleet;

import dev.llmix.fleet.FleetBreakers;
import dev.llmix.fleet.FleetKeys;
import dev.llmix.fleet.FleetRuntime;
import dev.llmix.fleet.FleetStatus;
import org.jspecify.annotations.Nullable;

/** The {@link LlmixFleetView} of the auto-configured runtime and features. */
final class DefaultLlmixFleetView implements LlmixFleetView {

    private final FleetRuntime runtime;
    private final @Nullable FleetBreakers breakers;
    private final @Nullable FleetKeys keys;

    DefaultLlmixFleetView(FleetRuntime runtime, @Nullable FleetBreakers breakers, @Nullable FleetKeys keys) {
        this.runtime = runtime;
        this.breakers = breakers;
        this.keys = keys;
    }

    @Override
    public FleetStatus status() {
        return runtime.status();
    }

    @Override
    public @Nullable BreakerFleet breaker(String provider, String baseUrl) {
        FleetBreakers.View v = breakers == null ? null : breakers.view(provider, baseUrl);
        return v == null ? null : new BreakerFleet(v.generation(), v.source(), v.cause());
    }

    @Override
    public int sharedDead(String provider) {
        return keys == null ? 0 : keys.sharedDead(provider);
    }

    @Override
    public int sharedCooling(String provider) {
        return keys == null ? 0 : keys.sharedCooling(provider);
    }
}
