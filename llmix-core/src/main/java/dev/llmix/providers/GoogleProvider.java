package dev.llmix.providers;

import static dev.llmix.providers.OptionsSchema.bool;
import static dev.llmix.providers.OptionsSchema.object;
import static dev.llmix.providers.OptionsSchema.oneOf;
import static dev.llmix.providers.OptionsSchema.optional;
import static dev.llmix.providers.OptionsSchema.positiveInteger;
import static dev.llmix.providers.OptionsSchema.required;
import static dev.llmix.providers.OptionsSchema.string;
import static dev.llmix.providers.OptionsSchema.stringArray;

import dev.llmix.internal.kwargs.ProviderKwargsTransforms;
import dev.llmix.provider.http.GeminiAdapter;

/** Google Gemini ({@code google}, alias {@code gemini}): {@code generateContent}, {@code providerOptions.google}. */
final class GoogleProvider {

    static final ProviderSpec SPEC = ProviderSpec.builder("google")
            .aliases("gemini")
            .keyEnvFallbacks(GeminiAdapter.KEY_ENV)
            .defaultBaseUrl(GeminiAdapter.DEFAULT_BASE_URL)
            .transform(ProviderKwargsTransforms.gemini())
            .options(object(
                    optional("thinkingConfig", object(
                            optional("thinkingLevel", oneOf("low", "high")),
                            optional("thinkingBudget", positiveInteger()),
                            optional("includeThoughts", bool()))),
                    optional("cachedContent", string()),
                    optional("structuredOutputs", bool()),
                    optional("safetySettings", new OptionsSchema.ArrayOf(object(
                            required("category", string()),
                            required("threshold", string())))),
                    optional("responseModalities", stringArray())))
            .adapter(GeminiAdapter::new)
            .build();

    private GoogleProvider() {
    }
}
