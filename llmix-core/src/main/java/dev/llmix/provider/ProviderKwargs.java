package dev.llmix.provider;

import dev.llmix.internal.KwargsValues;
import dev.llmix.spi.NoTransform;
import dev.llmix.spi.TransformKwargsCallback;
import dev.llmix.spi.TransformKwargsContext;
import dev.llmix.config.CommonParams;
import dev.llmix.config.LlmConfig;
import dev.llmix.internal.EcmaScript;
import dev.llmix.tools.ToolSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Builds the provider kwargs of a call: the nine portable base keys taken from the config, then the provider's
 * transform from a registry. The result is a mutable map owned by the call.
 */
public final class ProviderKwargs {

    private ProviderKwargs() {
    }

    /**
     * The base kwargs of {@code config}: {@code temperature}, {@code top_p}, {@code max_tokens}, {@code top_k},
     * {@code presence_penalty}, {@code frequency_penalty}, {@code stop}, {@code seed}, {@code response_format}, each
     * only when its source is set (absent and {@code null} are left out; {@code 0}, {@code false}, {@code ""},
     * {@code []} are kept). Values keep their Java type, so an {@code Integer} seed stays an {@code Integer}.
     */
    public static Map<String, @Nullable Object> base(LlmConfig config) {
        CommonParams c = config.commonOrEmpty();
        Map<String, @Nullable Object> kwargs = new LinkedHashMap<>(16);
        putIfPresent(kwargs, "temperature", c.temperature());
        putIfPresent(kwargs, "top_p", c.topP());
        putIfPresent(kwargs, "max_tokens", c.maxOutputTokens());
        putIfPresent(kwargs, "top_k", c.topK());
        putIfPresent(kwargs, "presence_penalty", c.presencePenalty());
        putIfPresent(kwargs, "frequency_penalty", c.frequencyPenalty());
        putIfPresent(kwargs, "stop", c.stopSequences());
        putIfPresent(kwargs, "seed", c.seed());
        putIfPresent(kwargs, "response_format", config.responseFormat());
        return kwargs;
    }

    /**
     * The kwargs dispatch receives for {@code config} and {@code messages}: the {@linkplain #base base kwargs}, passed
     * through {@code registry.get(config.provider())} when there is such an entry (exact, case-sensitive name).
     *
     * @throws ProviderKwargsException when the transform throws anything (message kept, original as cause)
     */
    public static Map<String, @Nullable Object> build(LlmConfig config, List<?> messages,
            Map<String, TransformKwargsCallback> registry) {
        return build(config, messages, null, registry);
    }

    /**
     * As {@link #build(LlmConfig, List, Map)}, with the call's tools: after the nine base keys and before the transform,
     * {@code tools} (each tool's wire form), then {@code tool_choice} and {@code parallel_tool_calls} when set. The
     * transform sees them and may change or remove them.
     */
    public static Map<String, @Nullable Object> build(LlmConfig config, List<?> messages, @Nullable ToolSet tools,
            Map<String, TransformKwargsCallback> registry) {
        Map<String, @Nullable Object> kwargs = base(config);
        if (tools != null) {
            tools.putKwargs(kwargs);
        }
        TransformKwargsCallback transform = registry.get(config.provider());
        if (transform == null || transform == NoTransform.INSTANCE) {
            return kwargs;
        }
        return applyTransform(TransformKwargsContext.of(config, messages), kwargs, transform);
    }

    /**
     * Runs {@code transform} on {@code kwargs}; with {@code null} or {@link TransformKwargsCallback#none()} it returns
     * the very same {@code kwargs} object. A result that is not a {@link LinkedHashMap} is copied into one, so the call
     * always owns a mutable map.
     *
     * @throws ProviderKwargsException when the transform throws anything or returns {@code null}
     */
    public static Map<String, @Nullable Object> applyTransform(TransformKwargsContext ctx,
            Map<String, @Nullable Object> kwargs, @Nullable TransformKwargsCallback transform) {
        if (transform == null || transform == NoTransform.INSTANCE) {
            return kwargs;
        }
        Map<String, @Nullable Object> result;
        try {
            result = transform.apply(ctx, kwargs);
        } catch (ProviderKwargsException e) {
            throw e;
        } catch (Exception e) {
            throw new ProviderKwargsException(e.getMessage() != null ? e.getMessage() : e.toString(), e);
        }
        if (result == null) {
            throw new ProviderKwargsException(
                    "kwargs transform for provider \"" + ctx.provider() + "\" returned null");
        }
        return result instanceof LinkedHashMap ? result : new LinkedHashMap<>(result);
    }

    /**
     * The base URL the pipeline keys breakers, cache entries and singleflight by: kwargs {@code baseUrl} when it is a
     * string that is not blank (returned as is), else kwargs {@code base_url} by the same rule, else the config's
     * {@code baseUrl}, else {@code ""}.
     */
    public static String effectiveBaseUrl(Map<String, ?> kwargs, LlmConfig config) {
        if (kwargs.get("baseUrl") instanceof String s && !EcmaScript.trim(s).isEmpty()) {
            return s;
        }
        if (kwargs.get("base_url") instanceof String s && !EcmaScript.trim(s).isEmpty()) {
            return s;
        }
        String configured = config.baseUrl();
        return configured == null ? "" : configured;
    }

    private static void putIfPresent(Map<String, @Nullable Object> kwargs, String key, @Nullable Object value) {
        if (KwargsValues.isPresent(value)) {
            kwargs.put(key, value);
        }
    }
}
