package dev.llmix.providers;

import dev.llmix.provider.http.AdapterConfigException;
import dev.llmix.provider.http.AdapterOptions;
import dev.llmix.provider.http.OpenAiCompatibleAdapter;
import dev.llmix.spi.DispatchContext;
import dev.llmix.spi.DispatchFunction;
import dev.llmix.spi.ProviderResult;
import dev.llmix.spi.ProviderStreamEvent;
import dev.llmix.spi.ProviderStreams;
import dev.llmix.spi.StreamingDispatchFunction;
import java.util.concurrent.Flow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Entry point to the HTTP adapters, built from the provider descriptors: {@link #forProvider} gives one provider's
 * adapter, {@link #routing(AdapterOptions)} one dispatch function for every built-in provider, and
 * {@link #routing(Map)} one for exactly the providers an application enabled, each with its own settings. A call
 * for a provider the router does not serve fails locally with {@link ProviderNotEnabledException}; nothing is sent,
 * so a key never reaches another vendor's endpoint.
 */
public final class ProviderAdapters {

    /** Provider names served by {@link OpenAiCompatibleAdapter} without any base URL configuration. */
    public static final Set<String> OPENAI_COMPATIBLE = Set.of("openai", "openrouter", "deepseek", "deepinfra",
            "novita", "together");

    private ProviderAdapters() {
    }

    /**
     * The adapter for {@code provider} (a descriptor's name or alias); any other name gets the OpenAI-compatible
     * adapter when {@code options} has a base URL.
     *
     * @throws AdapterConfigException {@code No provider adapter for "<provider>"} otherwise
     */
    public static DispatchFunction forProvider(String provider, AdapterOptions options) {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(options, "options");
        ProviderSpec spec = ProviderSpecs.builtIn().find(provider);
        if (spec != null) {
            return spec.adapter().apply(options);
        }
        if (options.baseUrl() != null) {
            return new OpenAiCompatibleAdapter(options);
        }
        throw new AdapterConfigException("No provider adapter for \"" + provider + "\"");
    }

    /** {@link #forProvider(String, AdapterOptions)} with {@link AdapterOptions#defaults()}. */
    public static DispatchFunction forProvider(String provider) {
        return forProvider(provider, AdapterOptions.defaults());
    }

    /**
     * One dispatch function for every built-in provider, routing by {@link DispatchContext#provider()}; all adapters
     * share one client. A call for another provider goes to the OpenAI-compatible adapter when {@code options} has
     * a base URL, and otherwise fails locally with {@link ProviderNotEnabledException}.
     */
    public static DispatchFunction routing(AdapterOptions options) {
        Objects.requireNonNull(options, "options");
        // Each adapter owns its client unless one is given, so that it can replace it after a response the JDK client
        // rejects (docs/reliability.md, hostile input item 3).
        AdapterOptions shared = options;
        Map<String, DispatchFunction> byName = new LinkedHashMap<>();
        Map<ProviderSpec, DispatchFunction> built = new HashMap<>();
        for (ProviderSpec spec : ProviderSpecs.builtIn().all()) {
            DispatchFunction adapter = built.computeIfAbsent(spec, s -> s.adapter().apply(shared));
            byName.put(spec.name(), adapter);
            spec.aliases().forEach(a -> byName.put(a, adapter));
        }
        DispatchFunction others = shared.baseUrl() != null ? new OpenAiCompatibleAdapter(shared) : null;
        return new Router(byName, others, null);
    }

    /** {@link #routing(AdapterOptions)} with {@link AdapterOptions#defaults()}. */
    public static DispatchFunction routing() {
        return routing(AdapterOptions.defaults());
    }

    /**
     * One dispatch function for exactly the {@code enabled} providers (name → that provider's own settings), each
     * answering to its descriptor's name and aliases. Every other provider fails locally with
     * {@link ProviderNotEnabledException} naming it and the enabled ones.
     *
     * @throws IllegalArgumentException for a name no descriptor answers to
     */
    public static DispatchFunction routing(Map<String, AdapterOptions> enabled) {
        return routing(enabled, Map.of());
    }

    /**
     * {@link #routing(Map)} plus {@code custom} dispatch functions by provider name (for example an application's
     * own dispatch for one provider, or a provider that has no descriptor); a custom entry wins over an adapter of
     * the same name.
     */
    public static DispatchFunction routing(Map<String, AdapterOptions> enabled, Map<String, DispatchFunction> custom) {
        Objects.requireNonNull(enabled, "enabled");
        Objects.requireNonNull(custom, "custom");
        Map<String, DispatchFunction> byName = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        enabled.forEach((name, options) -> {
            ProviderSpec spec = ProviderSpecs.builtIn().find(name);
            if (spec == null) {
                throw new IllegalArgumentException("Unknown provider \"" + name + "\"; known providers: "
                        + String.join(", ", ProviderSpecs.builtIn().namesAndAliases()));
            }
            DispatchFunction adapter = spec.adapter().apply(options);
            byName.put(spec.name(), adapter);
            spec.aliases().forEach(a -> byName.putIfAbsent(a, adapter));
            names.add(spec.name());
        });
        custom.forEach((name, dispatch) -> {
            byName.put(name, Objects.requireNonNull(dispatch, "dispatch"));
            ProviderSpec spec = ProviderSpecs.builtIn().find(name);
            if (spec != null) {
                spec.aliases().forEach(a -> byName.put(a, dispatch));
            }
            if (!names.contains(name)) {
                names.add(name);
            }
        });
        return new Router(byName, null, names);
    }

    /** Routes by the call's provider (calls and streams); the lookup is one hash probe on the dispatch path. */
    private static final class Router implements DispatchFunction, StreamingDispatchFunction {
        private final Map<String, DispatchFunction> byName;
        private final @Nullable DispatchFunction others;
        private final @Nullable List<String> enabled;

        Router(Map<String, DispatchFunction> byName, @Nullable DispatchFunction others,
                @Nullable List<String> enabled) {
            this.byName = Map.copyOf(byName);
            this.others = others;
            this.enabled = enabled == null ? null : List.copyOf(enabled);
        }

        @Override
        public CompletionStage<ProviderResult> dispatch(DispatchContext context) {
            DispatchFunction target = byName.get(context.provider());
            if (target == null) {
                target = others;
            }
            if (target == null) {
                return CompletableFuture.failedFuture(new ProviderNotEnabledException(context.provider(), enabled));
            }
            return target.dispatch(context);
        }

        @Override
        public Flow.Publisher<ProviderStreamEvent> dispatchStream(DispatchContext context) {
            DispatchFunction target = byName.get(context.provider());
            if (target == null) {
                target = others;
            }
            if (target == null) {
                return ProviderStreams.fromResult(CompletableFuture.failedFuture(
                        new ProviderNotEnabledException(context.provider(), enabled)));
            }
            if (target instanceof StreamingDispatchFunction streaming && streaming.supportsStreaming(context)) {
                return streaming.dispatchStream(context);
            }
            return ProviderStreams.fromResult(target.dispatch(context));
        }

        @Override
        public String toString() {
            return "ProviderAdapters.routing" + (enabled == null ? ProviderSpecs.builtIn().names() : enabled);
        }
    }
}
