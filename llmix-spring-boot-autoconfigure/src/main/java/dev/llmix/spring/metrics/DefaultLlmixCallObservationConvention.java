package dev.llmix.spring.metrics;

import dev.llmix.spi.CallEvent;
import dev.llmix.spring.metrics.LlmixObservationDocumentation.HighCardinalityKeys;
import dev.llmix.spring.metrics.LlmixObservationDocumentation.LowCardinalityKeys;
import io.micrometer.common.KeyValues;

/**
 * The default {@link LlmixCallObservationConvention}: name {@code llmix.calls}, contextual (span) name
 * {@code llmix <provider>}, tags {@code provider}, {@code model}, {@code outcome}, {@code cache}, {@code mode}
 * ({@code outcome}, {@code cache} and {@code mode} only once the call ended); token counts and a stream's time to
 * first chunk as span attributes.
 */
public class DefaultLlmixCallObservationConvention implements LlmixCallObservationConvention {

    /** Name of the observation and of the timer it produces. */
    public static final String NAME = "llmix.calls";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public String getContextualName(LlmixCallContext context) {
        return "llmix " + context.getProvider();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(LlmixCallContext context) {
        CallEvent e = context.getEvent();
        KeyValues started = KeyValues.of(
                LowCardinalityKeys.PROVIDER.withValue(context.getProvider()),
                LowCardinalityKeys.MODEL.withValue(context.getModel()));
        if (e == null) {
            // At the start (the llmix.calls.active long task timer) only provider and model are known.
            return started;
        }
        return started.and(
                LowCardinalityKeys.OUTCOME.withValue(e.outcome().tagValue()),
                LowCardinalityKeys.CACHE.withValue(cacheTag(e)),
                LowCardinalityKeys.MODE.withValue(e.streamed() ? "stream" : "call"));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(LlmixCallContext context) {
        CallEvent e = context.getEvent();
        if (e == null) {
            return KeyValues.empty();
        }
        KeyValues tokens = KeyValues.of(
                HighCardinalityKeys.INPUT_TOKENS.withValue(Long.toString(e.usage().inputTokens())),
                HighCardinalityKeys.OUTPUT_TOKENS.withValue(Long.toString(e.usage().outputTokens())));
        if (e.streamed() && e.timeToFirstChunkNanos() >= 0) {
            return tokens.and(HighCardinalityKeys.TIME_TO_FIRST_CHUNK.withValue(
                    Double.toString(e.timeToFirstChunkNanos() / 1e9)));
        }
        return tokens;
    }

    /** {@code l1}, {@code l2}, {@code miss} or {@code none}. */
    static String cacheTag(CallEvent e) {
        if (e.cacheHit() != null) {
            return e.cacheHit().wireName();
        }
        return e.cacheLookedUp() ? "miss" : "none";
    }
}
