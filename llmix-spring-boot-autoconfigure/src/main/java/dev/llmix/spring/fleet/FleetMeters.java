package dev.llmix.spring.fleet;

import dev.llmix.fleet.FleetRuntime;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Registers {@code llmix.fleet.redis.healthy} (1/0), {@code llmix.fleet.members} and the {@code llmix.fleet.events}
 * counter ({@code type}, {@code direction}, {@code result}) once the context is ready (docs/observability.md).
 */
final class FleetMeters implements SmartInitializingSingleton {

    private final ObjectProvider<FleetRuntime> runtime;
    private final ObjectProvider<MeterRegistry> registry;

    FleetMeters(ObjectProvider<FleetRuntime> runtime, ObjectProvider<MeterRegistry> registry) {
        this.runtime = runtime;
        this.registry = registry;
    }

    @Override
    public void afterSingletonsInstantiated() {
        FleetRuntime rt = runtime.getIfAvailable();
        MeterRegistry reg = registry.getIfAvailable();
        if (rt == null || reg == null) {
            return;
        }
        Gauge.builder("llmix.fleet.redis.healthy", rt, r -> r.healthy() ? 1 : 0)
                .description("1 while the fleet's Redis is usable, 0 while features run locally").register(reg);
        Gauge.builder("llmix.fleet.members", rt, FleetRuntime::members)
                .description("Live fleet members last read by the heartbeat").register(reg);
        rt.eventCounter((type, direction, result) -> Counter.builder("llmix.fleet.events")
                .description("Messages on the fleet events channel").tag("type", type).tag("direction", direction)
                .tag("result", result).register(reg).increment());
    }
}
