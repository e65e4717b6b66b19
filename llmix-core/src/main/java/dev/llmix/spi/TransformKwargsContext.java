package dev.llmix.spi;

import dev.llmix.config.CommonParams;
import dev.llmix.config.LlmConfig;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link TransformKwargsCallback} may read about the call besides the kwargs themselves. Built by the pipeline
 * from the resolved config with {@link #of(LlmConfig, List)}; every field except {@code model} and {@code provider} may
 * be absent.
 *
 * @param model           {@code config.model}
 * @param provider        {@code config.provider}
 * @param messages        the call's messages (the same list the caller passed)
 * @param temperature     {@code common.temperature}
 * @param topP            {@code common.topP}
 * @param providerOptions {@code config.providerOptions}, the whole object (every provider's entry)
 * @param baseUrl         the config's top-level {@code baseUrl}, raw (untrimmed)
 * @param enableThinking  {@code common.enableThinking}
 */
public record TransformKwargsContext(
        String model,
        String provider,
        @Nullable List<?> messages,
        @Nullable Number temperature,
        @Nullable Number topP,
        @Nullable Map<String, ?> providerOptions,
        @Nullable String baseUrl,
        @Nullable Boolean enableThinking) {

    public TransformKwargsContext {
        Objects.requireNonNull(model, "model is required");
        Objects.requireNonNull(provider, "provider is required");
    }

    /** The context the pipeline gives a transform for {@code config} and the call's {@code messages}. */
    public static TransformKwargsContext of(LlmConfig config, List<?> messages) {
        CommonParams common = config.commonOrEmpty();
        return new TransformKwargsContext(config.model(), config.provider(), messages, common.temperature(),
                common.topP(), config.providerOptions(), config.baseUrl(), common.enableThinking());
    }
}
