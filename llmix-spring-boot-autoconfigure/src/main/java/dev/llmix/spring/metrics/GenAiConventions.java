package dev.llmix.spring.metrics;

import dev.llmix.spi.CallEvent;
import dev.llmix.spi.CallOutcome;
import dev.llmix.spi.ProviderException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Values of the OpenTelemetry GenAI semantic conventions (v1.41.0, the version docs/observability.md cites) for
 * LLMix calls: operation name, provider name, error type.
 */
public final class GenAiConventions {

    /** {@code gen_ai.operation.name} of every LLMix call. */
    public static final String OPERATION_CHAT = "chat";

    private GenAiConventions() {
    }

    /**
     * {@code gen_ai.provider.name}: the convention's well-known value where one exists ({@code openai},
     * {@code anthropic}, {@code gcp.gemini}, {@code deepseek}), else the LLMix provider name.
     */
    public static String providerName(String provider) {
        switch (provider) {
            case "google":
            case "gemini":
                return "gcp.gemini";
            case "mistral":
                return "mistral_ai";
            default:
                return provider;
        }
    }

    /**
     * {@code error.type} of a failed call: the HTTP status for provider errors, {@code timeout}, the outcome for
     * refusals ({@code kill_switch}, {@code circuit_open}, {@code cancelled}), else the exception's class name;
     * {@code null} on success.
     */
    public static @Nullable String errorType(CallEvent event) {
        if (event.outcome() == CallOutcome.SUCCESS) {
            return null;
        }
        if (event.outcome() != CallOutcome.FAILURE) {
            return event.outcome().tagValue();
        }
        Throwable error = event.error();
        if (error == null) {
            return "_OTHER";
        }
        if (error instanceof ProviderException pe && pe.statusCode() != null) {
            return Integer.toString(pe.statusCode());
        }
        String name = error.getClass().getSimpleName().toLowerCase(Locale.ROOT);
        return name.contains("timeout") ? "timeout" : error.getClass().getName();
    }

    /** Whether the call reached the provider (not a cache hit, not refused before dispatch). */
    static boolean dispatched(CallEvent event) {
        return event.cacheHit() == null && event.outcome() != CallOutcome.KILL_SWITCH
                && event.outcome() != CallOutcome.CIRCUIT_OPEN;
    }
}
