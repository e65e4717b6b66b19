package dev.llmix.spi;

import dev.llmix.config.LlmConfig;
import dev.llmix.keys.ApiKeys;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Everything a {@link DispatchFunction} needs for one attempt: the provider and model, the API key selected for this
 * attempt, the caller's messages, the provider kwargs after the transform, and the full config. {@link #toString()}
 * masks the key.
 *
 * @param provider the config's provider
 * @param model    the config's model
 * @param apiKey   the key selected from the provider's pool for this attempt
 * @param messages the call's messages, untouched
 * @param kwargs   the provider kwargs (snake_case generation parameters plus transform additions); no null values
 * @param config   the full config (dispatch may read {@code timeout.totalTime}, {@code baseUrl}, provider options)
 */
public record DispatchContext(
        String provider,
        String model,
        String apiKey,
        List<?> messages,
        Map<String, @Nullable Object> kwargs,
        LlmConfig config) {

    public DispatchContext {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(messages, "messages");
        Objects.requireNonNull(kwargs, "kwargs");
        Objects.requireNonNull(config, "config");
    }

    @Override
    public String toString() {
        return "DispatchContext[provider=" + provider + ", model=" + model + ", apiKey=" + ApiKeys.mask(apiKey)
                + ", messages=" + messages.size() + ", kwargs=" + kwargs.keySet() + "]";
    }
}
