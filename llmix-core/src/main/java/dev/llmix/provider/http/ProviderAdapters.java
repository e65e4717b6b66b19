package dev.llmix.provider.http;

import dev.llmix.pipeline.DispatchContext;
import dev.llmix.pipeline.DispatchFunction;
import dev.llmix.pipeline.ProviderResult;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

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
     * One dispatch function for every built-in provider, routing by {@link DispatchContext#provider()}. Adapters share
     * {@link AdapterOptions#httpClient()} when one is given; otherwise each owns its client, so that it can replace it
     * after a response the JDK client rejects (docs/reliability.md, hostile input item 3). A call for another provider fails locally with {@code No provider adapter for "<provider>"}
     * unless {@code options} has a base URL (then it goes to the OpenAI-compatible adapter).
     */
    public static DispatchFunction routing(AdapterOptions options) {
        Objects.requireNonNull(options, "options");
        AdapterOptions shared = options;
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

    private record Router(DispatchFunction openAi, DispatchFunction anthropic, DispatchFunction gemini,
            DispatchFunction snoGpu, boolean openAiForOthers) implements DispatchFunction {

        @Override
        public CompletionStage<ProviderResult> dispatch(DispatchContext context) {
            DispatchFunction target = switch (context.provider()) {
                case "anthropic" -> anthropic;
                case "google", "gemini" -> gemini;
                case "sno-gpu" -> snoGpu;
                default -> OPENAI_COMPATIBLE.contains(context.provider()) || openAiForOthers ? openAi : null;
            };
            if (target == null) {
                return CompletableFuture.failedFuture(noAdapter(context.provider()));
            }
            return target.dispatch(context);
        }

        @Override
        public String toString() {
            return "ProviderAdapters.routing[openai-compatible, anthropic, gemini, sno-gpu]";
        }
    }
}
