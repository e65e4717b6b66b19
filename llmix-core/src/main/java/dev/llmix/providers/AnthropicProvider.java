package dev.llmix.providers;

import static dev.llmix.providers.OptionsSchema.bool;
import static dev.llmix.providers.OptionsSchema.object;
import static dev.llmix.providers.OptionsSchema.oneOf;
import static dev.llmix.providers.OptionsSchema.optional;
import static dev.llmix.providers.OptionsSchema.positiveInteger;
import static dev.llmix.providers.OptionsSchema.required;
import static dev.llmix.providers.OptionsSchema.string;

import dev.llmix.provider.http.AnthropicAdapter;

/** Anthropic: the Messages API, {@code providerOptions.anthropic}. */
final class AnthropicProvider {

    static final ProviderSpec SPEC = ProviderSpec.builder("anthropic")
            .defaultBaseUrl(AnthropicAdapter.DEFAULT_BASE_URL)
            .options(object(
                    optional("thinking", object(
                            required("type", oneOf("enabled", "disabled")),
                            optional("budgetTokens", positiveInteger()))),
                    optional("cacheControl", object(
                            required("type", oneOf("ephemeral")),
                            optional("ttl", string()))),
                    optional("disableParallelToolUse", bool()),
                    optional("sendReasoning", bool()),
                    optional("toolStreaming", bool()),
                    optional("effort", oneOf("high", "medium", "low")),
                    optional("structuredOutputMode", oneOf("outputFormat", "jsonTool", "auto"))))
            .adapter(AnthropicAdapter::new)
            .build();

    private AnthropicProvider() {
    }
}
