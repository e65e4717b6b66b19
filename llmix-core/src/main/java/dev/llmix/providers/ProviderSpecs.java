package dev.llmix.providers;

import dev.llmix.internal.EditDistance;
import dev.llmix.spi.TransformKwargsCallback;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The registry of provider descriptors: the built-in ones ({@link #builtIn()}) plus any an application adds. Every
 * provider-dependent decision (preset validation, kwargs transforms, key environment variables, adapters, routing)
 * looks its provider up here, so adding a provider touches one descriptor.
 */
public final class ProviderSpecs {

    private static final ProviderSpecs BUILT_IN = new ProviderSpecs(List.of(
            OpenAiProvider.SPEC,
            AnthropicProvider.SPEC,
            GoogleProvider.SPEC,
            DeepSeekProvider.SPEC,
            OpenRouterProvider.SPEC,
            SnoGpuProvider.SPEC,
            DeepInfraProvider.SPEC,
            NovitaProvider.SPEC,
            TogetherProvider.SPEC));

    private final List<ProviderSpec> specs;
    private final Map<String, ProviderSpec> byName;

    private ProviderSpecs(List<ProviderSpec> specs) {
        this.specs = List.copyOf(specs);
        Map<String, ProviderSpec> index = new HashMap<>();
        for (ProviderSpec spec : this.specs) {
            register(index, spec.name(), spec);
            for (String alias : spec.aliases()) {
                register(index, alias, spec);
            }
        }
        this.byName = Map.copyOf(index);
    }

    private static void register(Map<String, ProviderSpec> index, String name, ProviderSpec spec) {
        ProviderSpec previous = index.putIfAbsent(name, spec);
        if (previous != null) {
            throw new IllegalArgumentException("provider name \"" + name + "\" is used by both " + previous
                    + " and " + spec);
        }
    }

    /** The built-in descriptors, in the order presets' validation lists them. */
    public static ProviderSpecs builtIn() {
        return BUILT_IN;
    }

    /** The built-in descriptors plus {@code extra} (a name already taken is an error). */
    public static ProviderSpecs withExtra(List<ProviderSpec> extra) {
        List<ProviderSpec> all = new ArrayList<>(BUILT_IN.specs);
        all.addAll(Objects.requireNonNull(extra, "extra"));
        return new ProviderSpecs(all);
    }

    /** All descriptors, in registration order. */
    public List<ProviderSpec> all() {
        return specs;
    }

    /** The descriptor answering to {@code providerName} (its name or an alias), or null. */
    public @Nullable ProviderSpec find(String providerName) {
        return byName.get(providerName);
    }

    /** The canonical names presets may use in {@code provider}, in registration order. */
    public List<String> names() {
        return specs.stream().map(ProviderSpec::name).toList();
    }

    /** Every name a descriptor answers to (names and aliases). */
    public List<String> namesAndAliases() {
        List<String> all = new ArrayList<>();
        for (ProviderSpec spec : specs) {
            all.add(spec.name());
            all.addAll(spec.aliases());
        }
        return Collections.unmodifiableList(all);
    }

    /**
     * The closest known provider name to {@code unknown} (edit distance at most 2, or a prefix match), for
     * "did you mean" hints; null when nothing is close.
     */
    public @Nullable String suggest(String unknown) {
        return EditDistance.nearest(unknown, namesAndAliases(), 2);
    }

    /**
     * The kwargs transforms by provider name (names and aliases) that have one, with {@code overrides} replacing or
     * adding entries; {@link TransformKwargsCallback#none()} disables a built-in.
     */
    public Map<String, TransformKwargsCallback> transforms(Function<String, @Nullable String> env,
            Map<String, TransformKwargsCallback> overrides) {
        Objects.requireNonNull(env, "env");
        Map<String, TransformKwargsCallback> merged = new LinkedHashMap<>();
        for (ProviderSpec spec : specs) {
            Function<Function<String, @Nullable String>, TransformKwargsCallback> factory = spec.transform();
            if (factory != null) {
                TransformKwargsCallback t = factory.apply(env);
                merged.put(spec.name(), t);
                spec.aliases().forEach(a -> merged.put(a, t));
            }
        }
        overrides.forEach((name, callback) -> merged.put(
                Objects.requireNonNull(name, "override provider name"),
                Objects.requireNonNull(callback, () -> "override for \"" + name + "\" is null; use "
                        + "TransformKwargsCallback.none() to disable a transform")));
        return Map.copyOf(merged);
    }

    @Override
    public String toString() {
        return "ProviderSpecs" + names();
    }
}
