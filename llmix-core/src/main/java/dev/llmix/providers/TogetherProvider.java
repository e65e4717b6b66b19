package dev.llmix.providers;

import dev.llmix.provider.http.OpenAiCompatibleAdapter;

/** Together AI's OpenAI-compatible endpoint; its {@code providerOptions.together} object is passed through unchecked. */
final class TogetherProvider {

    static final ProviderSpec SPEC = ProviderSpec.builder("together")
            .defaultBaseUrl(OpenAiCompatibleAdapter.DEFAULT_BASE_URLS.get("together"))
            .adapter(OpenAiCompatibleAdapter::new)
            .build();

    private TogetherProvider() {
    }
}
