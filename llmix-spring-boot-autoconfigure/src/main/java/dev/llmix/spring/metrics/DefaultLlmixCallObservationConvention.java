package dev.llmix.spring.metrics;

import dev.llmix.spi.CallEvent;
import dev.llmix.spring.metrics.LlmixObservationDocumentation.HighCardinalityKeys;
import dev.llmix.spring.metrics.LlmixObservationDocumentation.LowCardinalityKeys;
import dev.llmix.spi.CacheHitTier;
import dev.llmix.spi.CallOutcome;
import io.micrometer.common.KeyValues;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

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

    /** Token counts are mostly small: their text is built once (cache hits and failures report zeros). */
    private static final String[] SMALL_NUMBERS = new String[1024];

    static {
        for (int i = 0; i < SMALL_NUMBERS.length; i++) {
            SMALL_NUMBERS[i] = Integer.toString(i);
        }
    }

    /**
     * Key values resolved once per provider and model (and outcome, cache tier, mode): an L1 hit must not build tags
     * or strings (docs/performance.md §9). Two map reads find them; key values are immutable, so sharing is safe.
     */
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, PresetKeys>> presets =
            new ConcurrentHashMap<>();

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public String getContextualName(LlmixCallContext context) {
        return keys(context.getProvider(), context.getModel()).contextualName;
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(LlmixCallContext context) {
        PresetKeys keys = keys(context.getProvider(), context.getModel());
        CallEvent e = context.getEvent();
        // At the start (the llmix.calls.active long task timer) only provider and model are known.
        return e == null ? keys.started : keys.ended(e);
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(LlmixCallContext context) {
        CallEvent e = context.getEvent();
        if (e == null) {
            return KeyValues.empty();
        }
        String errorType = GenAiConventions.errorType(e);
        boolean plain = e.usage().inputTokens() == 0 && e.usage().outputTokens() == 0 && e.responseModel() == null
                && errorType == null && e.cost() == null && !(e.streamed() && e.timeToFirstChunkNanos() >= 0);
        if (plain) {
            // Cache hits: zero tokens and, once the model has a priced fresh call, the saving.
            PresetKeys keys = keys(e.provider(), e.model());
            return e.cacheHit() != null && e.savedUsd() > 0 ? keys.saved(e.savedUsd()) : ZERO_TOKENS;
        }
        KeyValues tokens = KeyValues.of(
                HighCardinalityKeys.INPUT_TOKENS.withValue(number(e.usage().inputTokens())),
                HighCardinalityKeys.OUTPUT_TOKENS.withValue(number(e.usage().outputTokens())));
        if (e.responseModel() != null) {
            tokens = tokens.and(HighCardinalityKeys.RESPONSE_MODEL.withValue(e.responseModel()));
        }
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

    /**
     * The default low-cardinality key values of a call of this provider and model: at its start ({@code event}
     * {@code null}) or once it ended. {@link LlmixMetrics} tags its own {@code llmix.calls} timer with them when no
     * observation is needed.
     */
    KeyValues defaultLowCardinality(String provider, String model, @Nullable CallEvent event) {
        PresetKeys keys = keys(provider, model);
        return event == null ? keys.started : keys.ended(event);
    }

    private PresetKeys keys(String provider, String model) {
        ConcurrentHashMap<String, PresetKeys> byModel = presets.get(provider);
        if (byModel == null) {
            byModel = presets.computeIfAbsent(provider, p -> new ConcurrentHashMap<>());
        }
        PresetKeys keys = byModel.get(model);
        return keys != null ? keys : byModel.computeIfAbsent(model, m -> new PresetKeys(provider, m));
    }

    private static String number(long n) {
        return n >= 0 && n < SMALL_NUMBERS.length ? SMALL_NUMBERS[(int) n] : Long.toString(n);
    }

    private static final KeyValues ZERO_TOKENS = KeyValues.of(
            HighCardinalityKeys.INPUT_TOKENS.withValue("0"), HighCardinalityKeys.OUTPUT_TOKENS.withValue("0"));

    private static final int TIERS = CacheHitTier.values().length + 2;

    /** The key values of one provider and model. */
    private static final class PresetKeys {
        final String contextualName;
        final KeyValues started;
        /** By outcome, cache tag and mode; filled on first use (a racing fill stores an equal value). */
        final KeyValues[] ended = new KeyValues[CallOutcome.values().length * TIERS * 2];
        /** The last saving and its key values: every hit of a model saves the same average until a fresh call. */
        volatile @Nullable Saved saved;

        PresetKeys(String provider, String model) {
            contextualName = "llmix " + provider;
            started = KeyValues.of(
                    LowCardinalityKeys.PROVIDER.withValue(provider),
                    LowCardinalityKeys.MODEL.withValue(model),
                    LowCardinalityKeys.GEN_AI_OPERATION_NAME.withValue(GenAiConventions.OPERATION_CHAT),
                    LowCardinalityKeys.GEN_AI_PROVIDER_NAME.withValue(GenAiConventions.providerName(provider)),
                    LowCardinalityKeys.GEN_AI_REQUEST_MODEL.withValue(model));
        }

        KeyValues ended(CallEvent e) {
            int tier = e.cacheHit() != null ? e.cacheHit().ordinal()
                    : e.cacheLookedUp() ? TIERS - 2 : TIERS - 1;
            int i = (e.outcome().ordinal() * TIERS + tier) * 2 + (e.streamed() ? 1 : 0);
            KeyValues kv = ended[i];
            if (kv == null) {
                kv = started.and(
                        LowCardinalityKeys.OUTCOME.withValue(e.outcome().tagValue()),
                        LowCardinalityKeys.CACHE.withValue(cacheTag(e)),
                        LowCardinalityKeys.MODE.withValue(e.streamed() ? "stream" : "call"));
                ended[i] = kv;
            }
            return kv;
        }

        KeyValues saved(double usd) {
            Saved last = saved;
            if (last == null || last.usd != usd) {
                last = new Saved(usd, ZERO_TOKENS.and(HighCardinalityKeys.COST_SAVED_USD.withValue(usd(usd))));
                saved = last;
            }
            return last.keyValues;
        }
    }

    private record Saved(double usd, KeyValues keyValues) {
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
