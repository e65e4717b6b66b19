package dev.llmix.provider.http;

import dev.llmix.provider.ModelCapabilities;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Maps {@code providerOptions.openai} onto Chat Completions fields after removing what the
 * model cannot take ({@link ModelCapabilities}); fields already in the body (from kwargs) win.
 */
final class OpenAiOptions {

    private static final List<String[]> RENAMES = List.of(
            new String[] {"reasoningEffort", "reasoning_effort"},
            new String[] {"textVerbosity", "verbosity"},
            new String[] {"parallelToolCalls", "parallel_tool_calls"},
            new String[] {"user", "user"},
            new String[] {"logitBias", "logit_bias"},
            new String[] {"store", "store"},
            new String[] {"metadata", "metadata"},
            new String[] {"prediction", "prediction"},
            new String[] {"serviceTier", "service_tier"},
            new String[] {"promptCacheKey", "prompt_cache_key"},
            new String[] {"promptCacheRetention", "prompt_cache_retention"},
            new String[] {"safetyIdentifier", "safety_identifier"});

    private OpenAiOptions() {
    }

    static void apply(String model, Map<String, @Nullable Object> body, @Nullable Map<String, @Nullable Object> raw) {
        if (raw == null || raw.isEmpty()) {
            return;
        }
        Map<String, @Nullable Object> options = filter(model, raw);
        for (String[] r : RENAMES) {
            Object v = options.get(r[0]);
            if (v != null) {
                body.putIfAbsent(r[1], v);
            }
        }
        Object logprobs = options.get("logprobs");
        if (Boolean.TRUE.equals(logprobs)) {
            body.putIfAbsent("logprobs", true);
        } else if (logprobs instanceof Number n) {
            body.putIfAbsent("logprobs", true);
            body.putIfAbsent("top_logprobs", n);
        }
        Object cap = options.get("maxCompletionTokens");
        if (cap != null && !body.containsKey("max_completion_tokens")) {
            body.put("max_completion_tokens", cap);
            body.remove("max_tokens");
        }
    }

    static Map<String, @Nullable Object> filter(String model, Map<String, @Nullable Object> options) {
        return ModelCapabilities.filterOpenAiProviderOptions(model, options);
    }

    /** A fixed-temperature model (o-series, gpt-5, ...) only accepts its fixed value; others keep theirs. */
    static void adjustTemperature(String model, Map<String, @Nullable Object> body) {
        if (body.get("temperature") instanceof Number t) {
            body.put("temperature", ModelCapabilities.adjustTemperatureForModel(model, t));
        }
    }
}
