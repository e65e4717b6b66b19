package dev.llmix.spring.metrics;

import dev.llmix.spi.CallEvent;
import dev.llmix.spi.CallInput;
import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Calls made under the Spring AI bridge's own {@code gen_ai.client.operation} observation (its context carries
 * {@code llmix.bridge = true}): the metrics listener opens no second {@code llmix.calls} observation for them but
 * records the {@code llmix.calls} timer directly, with the same name and tags, and hands the call's event to the bridge
 * observation (docs/spring-ai.md, "Observation"). Needs no Spring AI class.
 */
final class BridgedCalls {

    static final String BRIDGE = "llmix.bridge";
    static final String CALL_EVENT = "llmix.call.event";

    private BridgedCalls() {
    }

    /** A call started under a bridge observation. */
    record Call(CallInput input, long startNanos, Observation bridge) {
    }

    /** The bridged call to track, or {@code null} when the current observation is not the bridge's. */
    static @Nullable Call start(ObservationRegistry registry, CallInput input) {
        Observation current = registry.getCurrentObservation();
        if (current == null || !Boolean.TRUE.equals(current.getContextView().get(BRIDGE))) {
            return null;
        }
        return new Call(input, System.nanoTime(), current);
    }

    /** Records the {@code llmix.calls} timer and stores the event and its tag values in the bridge observation. */
    static void finish(Call call, CallEvent event, LlmixCallObservationConvention convention,
            @Nullable MeterRegistry meters) {
        LlmixCallContext context = new LlmixCallContext(call.input());
        context.setEvent(event);
        List<Tag> tags = new ArrayList<>();
        for (KeyValue kv : convention.getLowCardinalityKeyValues(context)) {
            tags.add(Tag.of(kv.getKey(), kv.getValue()));
        }
        Throwable error = event.error();
        tags.add(Tag.of("error", error == null ? "none" : error.getClass().getSimpleName()));
        Observation.Context bridge = call.bridge().getContext();
        bridge.put(CALL_EVENT, event);
        for (Tag tag : tags) {
            if (tag.getKey().equals("outcome")) {
                bridge.put("llmix.outcome", tag.getValue());
            } else if (tag.getKey().equals("cache")) {
                bridge.put("llmix.cache", tag.getValue());
            }
        }
        if (meters != null) {
            Timer.builder(convention.getName()).tags(tags).register(meters)
                    .record(System.nanoTime() - call.startNanos(), TimeUnit.NANOSECONDS);
        }
    }
}
