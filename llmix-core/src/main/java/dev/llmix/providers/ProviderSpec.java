package dev.llmix.providers;

import dev.llmix.keys.KeyPool;
import dev.llmix.keys.KeyPools;
import dev.llmix.provider.http.AdapterOptions;
import dev.llmix.spi.DispatchFunction;
import dev.llmix.spi.TransformKwargsCallback;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Everything LLMix knows about one provider, in one place: its preset name and aliases, where its keys come from,
 * its default endpoint, how its kwargs are shaped, which {@code providerOptions} it accepts, and how to build its
 * HTTP adapter. Registered in {@link ProviderSpecs}; docs/architecture.md shows how to add one.
 *
 * @param name             the name presets use in {@code provider} (e.g. {@code google})
 * @param aliases          other names routed to the same descriptor (e.g. {@code gemini}); never used in presets'
 *                         validation list
 * @param optionsNamespace the member of {@code providerOptions} holding this provider's options
 * @param keyEnvFallbacks  single-key environment variables read, in order, after {@code <NAME>_KEYS} and
 *                         {@code <NAME>_API_KEY} (e.g. {@code GEMINI_API_KEY} for {@code google})
 * @param defaultBaseUrl   the endpoint used when neither the preset nor the adapter sets one, or null when the
 *                         provider has no public default (sno-gpu)
 * @param transform        builds the built-in kwargs transform from an environment lookup; null for none
 * @param options          the schema of {@code providerOptions.<optionsNamespace>}
 * @param adapter          builds the HTTP adapter serving this provider
 */
public record ProviderSpec(String name, List<String> aliases, String optionsNamespace, List<String> keyEnvFallbacks,
        @Nullable String defaultBaseUrl,
        @Nullable Function<Function<String, @Nullable String>, TransformKwargsCallback> transform,
        OptionsSchema options, Function<AdapterOptions, DispatchFunction> adapter) {

    public ProviderSpec {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("provider name must not be blank");
        }
        aliases = List.copyOf(aliases);
        Objects.requireNonNull(optionsNamespace, "optionsNamespace");
        keyEnvFallbacks = List.copyOf(keyEnvFallbacks);
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(adapter, "adapter");
    }

    /** A builder for a descriptor named {@code name} (options namespace = name, no aliases, no transform). */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Whether {@code providerName} is this provider's name or one of its aliases. */
    public boolean answersTo(String providerName) {
        return name.equals(providerName) || aliases.contains(providerName);
    }

    /**
     * The environment variables that can hold this provider's key, in the order they are read: {@code <NAME>_KEYS}
     * (comma-separated pool), {@code <NAME>_API_KEY}, then {@link #keyEnvFallbacks()}.
     */
    public List<String> keyEnvVars() {
        String prefix = KeyPools.envPrefix(name);
        List<String> vars = new ArrayList<>(2 + keyEnvFallbacks.size());
        vars.add(prefix + "_KEYS");
        vars.add(prefix + "_API_KEY");
        for (String v : keyEnvFallbacks) {
            if (!vars.contains(v)) {
                vars.add(v);
            }
        }
        return List.copyOf(vars);
    }

    /**
     * The key pool for {@code providerName} (this provider or an alias) from the environment: {@code <P>_KEYS} /
     * {@code <P>_API_KEY} of the name asked for, then of the canonical name, then the fallbacks; null when none is
     * set. The pool's keys only ever go to this provider's adapter.
     */
    public @Nullable KeyPool keyPoolFromEnv(String providerName, Function<String, @Nullable String> env) {
        Objects.requireNonNull(env, "env");
        for (String candidate : providerName.equals(name) ? List.of(name) : List.of(providerName, name)) {
            String prefix = KeyPools.envPrefix(candidate);
            if (isSet(env.apply(prefix + "_KEYS")) || isSet(env.apply(prefix + "_API_KEY"))) {
                return KeyPools.fromEnv(candidate, env);
            }
        }
        for (String fallback : keyEnvFallbacks) {
            String value = env.apply(fallback);
            if (isSet(value)) {
                return new KeyPool(List.of(value.strip()));
            }
        }
        return null;
    }

    private static boolean isSet(@Nullable String value) {
        return value != null && !value.isBlank();
    }

    @Override
    public String toString() {
        return "ProviderSpec[" + name + (aliases.isEmpty() ? "" : " " + aliases) + "]";
    }

    /** Builds a {@link ProviderSpec}. */
    public static final class Builder {
        private final String name;
        private List<String> aliases = List.of();
        private String optionsNamespace;
        private List<String> keyEnvFallbacks = List.of();
        private @Nullable String defaultBaseUrl;
        private @Nullable Function<Function<String, @Nullable String>, TransformKwargsCallback> transform;
        private OptionsSchema options = OptionsSchema.anyObject();
        private @Nullable Function<AdapterOptions, DispatchFunction> adapter;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
            this.optionsNamespace = name;
        }

        /** Other names that route to this provider. */
        public Builder aliases(String... v) {
            aliases = Arrays.asList(v);
            return this;
        }

        /** The {@code providerOptions} member holding this provider's options (default: the name). */
        public Builder optionsNamespace(String v) {
            optionsNamespace = Objects.requireNonNull(v, "optionsNamespace");
            return this;
        }

        /** Single-key variables read after {@code <NAME>_KEYS} and {@code <NAME>_API_KEY}. */
        public Builder keyEnvFallbacks(String... v) {
            keyEnvFallbacks = Arrays.asList(v);
            return this;
        }

        /** The default endpoint. */
        public Builder defaultBaseUrl(@Nullable String v) {
            defaultBaseUrl = v;
            return this;
        }

        /** An environment-independent kwargs transform. */
        public Builder transform(TransformKwargsCallback v) {
            Objects.requireNonNull(v, "transform");
            transform = env -> v;
            return this;
        }

        /** A kwargs transform that reads the environment. */
        public Builder transformFromEnv(Function<Function<String, @Nullable String>, TransformKwargsCallback> v) {
            transform = Objects.requireNonNull(v, "transform");
            return this;
        }

        /** The options schema (default: any object). */
        public Builder options(OptionsSchema v) {
            options = Objects.requireNonNull(v, "options");
            return this;
        }

        /** The adapter factory. */
        public Builder adapter(Function<AdapterOptions, DispatchFunction> v) {
            adapter = Objects.requireNonNull(v, "adapter");
            return this;
        }

        /** The descriptor. */
        public ProviderSpec build() {
            return new ProviderSpec(name, aliases, optionsNamespace, keyEnvFallbacks, defaultBaseUrl, transform,
                    options, Objects.requireNonNull(adapter, "adapter"));
        }
    }
}
