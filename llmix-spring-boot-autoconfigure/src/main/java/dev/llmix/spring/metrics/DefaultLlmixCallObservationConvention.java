package dev.llmix.spring.metrics;

import dev.llmix.spi.CallEvent;
import dev.llmix.spring.metrics.LlmixObservationDocumentation.HighCardinalityKeys;
import dev.llmix.spring.metrics.LlmixObservationDocumentation.LowCardinalityKeys;
import io.micrometer.common.KeyValues;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The default {@link LlmixCallObservationConvention}: name {@code llmix.calls}, contextual (span) name
 * {@code llmix <provider>}, tags {@code provider}, {@code model}, the OpenTelemetry GenAI {@code gen_ai.operation.name},
 * {@code gen_ai.provider.name} and {@code gen_ai.request.model}, then {@code outcome}, {@code cache}, {@code mode}
 * once the call ended; token counts, response model, error type, cost and a stream's time to first chunk as span
 * attributes (docs/observability.md).
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
                LowCardinalityKeys.MODEL.withValue(context.getModel()),
                LowCardinalityKeys.GEN_AI_OPERATION_NAME.withValue(GenAiConventions.OPERATION_CHAT),
                LowCardinalityKeys.GEN_AI_PROVIDER_NAME.withValue(GenAiConventions.providerName(context.getProvider())),
                LowCardinalityKeys.GEN_AI_REQUEST_MODEL.withValue(context.getModel()));
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
        if (e.responseModel() != null) {
            tokens = tokens.and(HighCardinalityKeys.RESPONSE_MODEL.withValue(e.responseModel()));
        }
        String errorType = GenAiConventions.errorType(e);
        if (errorType != null) {
            tokens = tokens.and(HighCardinalityKeys.ERROR_TYPE.withValue(errorType));
        }
        if (e.cost() != null) {
            tokens = tokens.and(HighCardinalityKeys.COST_USD.withValue(usd(e.cost().totalUsd())));
        }
        if (e.cacheHit() != null && e.savedUsd() > 0) {
            tokens = tokens.and(HighCardinalityKeys.COST_SAVED_USD.withValue(usd(e.savedUsd())));
        }
        if (e.streamed() && e.timeToFirstChunkNanos() >= 0) {
            return tokens.and(HighCardinalityKeys.TIME_TO_FIRST_CHUNK.withValue(
                    Double.toString(e.timeToFirstChunkNanos() / 1e9)));
        }
        return tokens;
    }

    /** USD rounded to nano-dollars, without binary noise ({@code 0.001425}, not {@code 0.0014249999999999998}). */
    static String usd(double v) {
        double rounded = Math.round(v * 1e9) / 1e9;
        return rounded >= 1e-3 ? Double.toString(rounded)
                : new BigDecimal(rounded).setScale(9, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    /** {@code l1}, {@code l2}, {@code miss} or {@code none}. */
    static String cacheTag(CallEvent e) {
        if (e.cacheHit() != null) {
            return e.cacheHit().wireName();
        }
        return e.cacheLookedUp() ? "miss" : "none";
    }
}
