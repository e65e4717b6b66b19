package dev.llmix.provider.http;

import dev.llmix.pipeline.DispatchContext;
import dev.llmix.pipeline.DispatchFunction;
import dev.llmix.pipeline.ProviderResult;
import dev.llmix.pipeline.ProviderStreamEvent;
import dev.llmix.pipeline.ProviderStreams;
import dev.llmix.pipeline.StreamingDispatchFunction;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import org.jspecify.annotations.Nullable;

/**
 * Entry point to the HTTP adapters: {@link #forProvider} picks the adapter for one provider name and
 * {@link #routing} returns one dispatch function that routes every call by its provider, sharing a single
 * {@link java.net.http.HttpClient}.
 */
public final class ProviderAdapters {

    /** Provider names served by {@link OpenAiCompatibleAdapter} without any base URL configuration. */
    public static final Set<String> OPENAI_COMPATIBLE = Set.of("openai", "openrouter", "deepseek", "deepinfra",
            "novita", "together");

    private ProviderAdapters() {
    }

    /**
     * The adapter for {@code provider}: OpenAI-compatible names, {@code anthropic}, {@code google} / {@code gemini},
     * {@code sno-gpu}; any other name gets the OpenAI-compatible adapter when {@code options} has a base URL.
     *
     * @throws AdapterConfigException {@code No provider adapter for "<provider>"} otherwise
     */
    public static DispatchFunction forProvider(String provider, AdapterOptions options) {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(options, "options");
        return switch (provider) {
            case "anthropic" -> new AnthropicAdapter(options);
            case "google", "gemini" -> new GeminiAdapter(options);
            case "sno-gpu" -> new SnoGpuAdapter(options);
            default -> {
                if (OPENAI_COMPATIBLE.contains(provider) || options.baseUrl() != null) {
                    yield new OpenAiCompatibleAdapter(options);
                }
                throw noAdapter(provider);
            }
        };
    }

    /** {@link #forProvider(String, AdapterOptions)} with {@link AdapterOptions#defaults()}. */
    public static DispatchFunction forProvider(String provider) {
        return forProvider(provider, AdapterOptions.defaults());
    }

    /**
     * One dispatch function for every built-in provider, routing by {@link DispatchContext#provider()}; all adapters
     * share one client. A call for another provider fails locally with {@code No provider adapter for "<provider>"}
     * unless {@code options} has a base URL (then it goes to the OpenAI-compatible adapter).
     */
    public static DispatchFunction routing(AdapterOptions options) {
        Objects.requireNonNull(options, "options");
        AdapterOptions shared = options.httpClient() != null ? options
                : options.toBuilder().httpClient(HttpTransport.newClient(options)).build();
        return new Router(new OpenAiCompatibleAdapter(shared), new AnthropicAdapter(shared),
                new GeminiAdapter(shared), new SnoGpuAdapter(shared), shared.baseUrl() != null);
    }

    /** {@link #routing(AdapterOptions)} with {@link AdapterOptions#defaults()}. */
    public static DispatchFunction routing() {
        return routing(AdapterOptions.defaults());
    }

    private static AdapterConfigException noAdapter(String provider) {
        return new AdapterConfigException("No provider adapter for \"" + provider + "\"");
    }

    private record Router(AbstractHttpAdapter openAi, AbstractHttpAdapter anthropic, AbstractHttpAdapter gemini,
            AbstractHttpAdapter snoGpu, boolean openAiForOthers)
            implements DispatchFunction, StreamingDispatchFunction {

        @Override
        public CompletionStage<ProviderResult> dispatch(DispatchContext context) {
            AbstractHttpAdapter target = target(context);
            if (target == null) {
                return CompletableFuture.failedFuture(noAdapter(context.provider()));
            }
            return target.dispatch(context);
        }

        @Override
        public Flow.Publisher<ProviderStreamEvent> dispatchStream(DispatchContext context) {
            AbstractHttpAdapter target = target(context);
            if (target == null) {
                return ProviderStreams.fromResult(CompletableFuture.failedFuture(noAdapter(context.provider())));
            }
            return target.dispatchStream(context);
        }

        private @Nullable AbstractHttpAdapter target(DispatchContext context) {
            return switch (context.provider()) {
                case "anthropic" -> anthropic;
                case "google", "gemini" -> gemini;
                case "sno-gpu" -> snoGpu;
                default -> OPENAI_COMPATIBLE.contains(context.provider()) || openAiForOthers ? openAi : null;
            };
        }

        @Override
        public String toString() {
            return "ProviderAdapters.routing[openai-compatible, anthropic, gemini, sno-gpu]";
        }
    }
}
