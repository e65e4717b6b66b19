package dev.llmix.providers;

import static dev.llmix.providers.OptionsSchema.object;
import static dev.llmix.providers.OptionsSchema.oneOf;
import static dev.llmix.providers.OptionsSchema.optional;
import static dev.llmix.providers.OptionsSchema.required;

import dev.llmix.internal.kwargs.ProviderKwargsTransforms;
import dev.llmix.provider.http.OpenAiCompatibleAdapter;

/** DeepSeek models, served through OpenRouter (its routing defaults and key fallback). */
final class DeepSeekProvider {

    static final ProviderSpec SPEC = ProviderSpec.builder("deepseek")
            .keyEnvFallbacks(OpenAiCompatibleAdapter.KEY_ENV.get("deepseek"))
            .defaultBaseUrl(OpenAiCompatibleAdapter.DEFAULT_BASE_URLS.get("deepseek"))
            .transform(ProviderKwargsTransforms.openrouter())
            .options(object(
                    optional("thinking", object(
                            required("type", oneOf("enabled", "disabled"))))))
            .adapter(OpenAiCompatibleAdapter::new)
            .build();

    private DeepSeekProvider() {
    }
}
