package dev.llmix.providers;

import dev.llmix.provider.http.OpenAiCompatibleAdapter;

/** Novita AI's OpenAI-compatible endpoint; its {@code providerOptions.novita} object is passed through unchecked. */
final class NovitaProvider {

    static final ProviderSpec SPEC = ProviderSpec.builder("novita")
            .defaultBaseUrl(OpenAiCompatibleAdapter.DEFAULT_BASE_URLS.get("novita"))
            .adapter(OpenAiCompatibleAdapter::new)
            .build();

    private NovitaProvider() {
    }
}
