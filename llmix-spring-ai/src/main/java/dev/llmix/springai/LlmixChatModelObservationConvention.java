package dev.llmix.springai;

import io.micrometer.common.KeyValues;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.chat.observation.DefaultChatModelObservationConvention;

/**
 * The default convention of {@link LlmixChatModel}'s {@code gen_ai.client.operation} observation: Spring AI's
 * attributes plus the LLMix selection and, when the LLMix metrics listener ran, the call's outcome and cache tags. LLMix
 * facts are high-cardinality so the observation keeps Spring AI's four low-cardinality keys.
 */
public class LlmixChatModelObservationConvention extends DefaultChatModelObservationConvention {

    /** Context entry holding the module of the call. */
    static final String MODULE_ENTRY = LlmixMetadata.MODULE;
    /** Context entry holding the preset of the call. */
    static final String PRESET_ENTRY = LlmixMetadata.PRESET;
    /** Context entry holding the {@code llmix.calls} outcome tag value, set by the LLMix metrics listener. */
    public static final String OUTCOME_ENTRY = "llmix.outcome";
    /** Context entry holding the {@code llmix.calls} cache tag value, set by the LLMix metrics listener. */
    public static final String CACHE_ENTRY = "llmix.cache";

    @Override
    public KeyValues getHighCardinalityKeyValues(ChatModelObservationContext context) {
        KeyValues values = super.getHighCardinalityKeyValues(context)
                .and("gen_ai.provider.name", context.getOperationMetadata().provider());
        values = add(values, context, MODULE_ENTRY, "llmix.module");
        values = add(values, context, PRESET_ENTRY, "llmix.preset");
        values = add(values, context, OUTCOME_ENTRY, "llmix.outcome");
        return add(values, context, CACHE_ENTRY, "llmix.cache");
    }

    private static KeyValues add(KeyValues values, ChatModelObservationContext context, String entry, String key) {
        Object v = context.get(entry);
        return v == null ? values : values.and(key, v.toString());
    }
}
