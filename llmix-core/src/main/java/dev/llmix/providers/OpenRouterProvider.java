package dev.llmix.providers;

import static dev.llmix.providers.OptionsSchema.anyObject;
import static dev.llmix.providers.OptionsSchema.object;
import static dev.llmix.providers.OptionsSchema.optional;

import dev.llmix.internal.kwargs.ProviderKwargsTransforms;
import dev.llmix.provider.http.OpenAiCompatibleAdapter;

/** OpenRouter: OpenAI-compatible, with provider routing and reasoning passed in {@code extra_body}. */
final class OpenRouterProvider {

    static final ProviderSpec SPEC = ProviderSpec.builder("openrouter")
            .defaultBaseUrl(OpenAiCompatibleAdapter.DEFAULT_BASE_URLS.get("openrouter"))
            .transform(ProviderKwargsTransforms.openrouter())
            .options(object(
                    optional("provider", anyObject()),
                    optional("reasoning", anyObject())))
            .adapter(OpenAiCompatibleAdapter::new)
            .build();

    private OpenRouterProvider() {
    }
}
