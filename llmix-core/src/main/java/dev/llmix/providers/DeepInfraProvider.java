package dev.llmix.providers;

import dev.llmix.provider.http.OpenAiCompatibleAdapter;

/** DeepInfra's OpenAI-compatible endpoint; its {@code providerOptions.deepinfra} object is passed through unchecked. */
final class DeepInfraProvider {

    static final ProviderSpec SPEC = ProviderSpec.builder("deepinfra")
            .defaultBaseUrl(OpenAiCompatibleAdapter.DEFAULT_BASE_URLS.get("deepinfra"))
            .adapter(OpenAiCompatibleAdapter::new)
            .build();

    private DeepInfraProvider() {
    }
}
