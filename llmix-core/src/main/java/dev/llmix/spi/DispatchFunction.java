package dev.llmix.spi;

import java.util.concurrent.CompletionStage;

/**
 * Performs the actual provider call for one attempt. Plug in any SDK or HTTP client, or one of the built-in HTTP
 * adapters. A failure is reported by completing the stage exceptionally (or throwing): a {@link ProviderException}
 * with a status code is a provider error, anything without a status code is a network error, and LLMix local
 * exceptions stay local.
 */
@FunctionalInterface
public interface DispatchFunction {

    /** Sends the request described by {@code context} and completes with the provider's answer. */
    CompletionStage<ProviderResult> dispatch(DispatchContext context);
}
