package dev.llmix.providers;

import static dev.llmix.providers.OptionsSchema.bool;
import static dev.llmix.providers.OptionsSchema.object;
import static dev.llmix.providers.OptionsSchema.optional;
import static dev.llmix.providers.OptionsSchema.positiveInteger;
import static dev.llmix.providers.OptionsSchema.string;

import dev.llmix.internal.kwargs.ProviderKwargsTransforms;
import dev.llmix.provider.http.SnoGpuAdapter;

/** sno-gpu: the self-hosted GPU gateway (no public default endpoint; base URL from the preset or GPU_BASE_URL). */
final class SnoGpuProvider {

    static final ProviderSpec SPEC = ProviderSpec.builder("sno-gpu")
            .keyEnvFallbacks(SnoGpuAdapter.TOKEN_ENV, SnoGpuAdapter.TOKEN_ENV_ALT)
            .transformFromEnv(ProviderKwargsTransforms::snoGpu)
            .options(object(
                    optional("enableThinking", bool()),
                    optional("thinkingBudget", positiveInteger()),
                    optional("gpuPath", string())))
            .adapter(SnoGpuAdapter::new)
            .build();

    private SnoGpuProvider() {
    }
}
