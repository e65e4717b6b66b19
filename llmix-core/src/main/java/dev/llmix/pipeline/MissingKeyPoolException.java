package dev.llmix.pipeline;

import dev.llmix.LlmixLocalException;

/**
 * No key pool is registered for the provider of a call (see {@link CallPipeline#setKeyPool}). A local error: the call
 * fails at once, without retries and without touching the circuit breaker.
 */
public class MissingKeyPoolException extends LlmixLocalException {

    private static final long serialVersionUID = 1L;

    private final String provider;

    /** The error for {@code provider}, naming the environment variables {@code KeyPools.fromEnv} reads. */
    public MissingKeyPoolException(String provider, String envPrefix) {
        super("No API key pool for provider \"" + provider + "\". Set " + envPrefix + "_API_KEY or " + envPrefix
                + "_KEYS.");
        this.provider = provider;
    }

    /** The provider that has no key pool. */
    public String provider() {
        return provider;
    }
}
