package dev.llmix.spring.metrics;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags of the {@code llmix.calls} observation. Declare a bean of this type to replace
 * {@link DefaultLlmixCallObservationConvention} (e.g. extend it to add a tag).
 */
public interface LlmixCallObservationConvention extends ObservationConvention<LlmixCallContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof LlmixCallContext;
    }
}
