package dev.llmix.provider;

import dev.llmix.LlmixLocalException;
import org.jspecify.annotations.Nullable;

/**
 * Building provider kwargs failed: a built-in transform rejected the config (e.g. a {@code sno-gpu} preset without a
 * base URL or with an unsafe {@code gpuPath}) or a user transform threw. Local: the provider was never contacted.
 */
public class ProviderKwargsException extends LlmixLocalException {

    private static final long serialVersionUID = 1L;

    public ProviderKwargsException(String message) {
        super(message);
    }

    public ProviderKwargsException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
