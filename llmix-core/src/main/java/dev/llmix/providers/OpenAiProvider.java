package dev.llmix.providers;

import static dev.llmix.providers.OptionsSchema.bool;
import static dev.llmix.providers.OptionsSchema.object;
import static dev.llmix.providers.OptionsSchema.oneOf;
import static dev.llmix.providers.OptionsSchema.optional;
import static dev.llmix.providers.OptionsSchema.positiveInteger;
import static dev.llmix.providers.OptionsSchema.string;

import dev.llmix.internal.kwargs.ProviderKwargsTransforms;
import dev.llmix.provider.http.OpenAiCompatibleAdapter;

/** OpenAI: Chat Completions, reasoning-model kwargs rules, {@code providerOptions.openai}. */
final class OpenAiProvider {

    static final ProviderSpec SPEC = ProviderSpec.builder("openai")
            .defaultBaseUrl(OpenAiCompatibleAdapter.DEFAULT_BASE_URLS.get("openai"))
            .transform(ProviderKwargsTransforms.openai())
            .options(object(
                    optional("reasoningEffort", oneOf("minimal", "low", "medium", "high", "xhigh")),
                    optional("parallelToolCalls", bool()),
                    optional("structuredOutputs", bool()),
                    optional("strictJsonSchema", bool()),
                    optional("store", bool()),
                    optional("user", string()),
                    optional("promptCacheKey", string()),
                    optional("safetyIdentifier", string()),
                    optional("logprobs", new OptionsSchema.BoolOrNonNegativeInteger()),
                    optional("logitBias", new OptionsSchema.TokenIdMap(OptionsSchema.number())),
                    optional("maxCompletionTokens", positiveInteger()),
                    optional("metadata", new OptionsSchema.StringMap()),
                    optional("prediction", OptionsSchema.anyObject()),
                    optional("serviceTier", oneOf("auto", "flex", "priority", "default")),
                    optional("textVerbosity", oneOf("low", "medium", "high")),
                    optional("promptCacheRetention", oneOf("in_memory", "24h"))))
            .adapter(OpenAiCompatibleAdapter::new)
            .build();

    private OpenAiProvider() {
    }
}
