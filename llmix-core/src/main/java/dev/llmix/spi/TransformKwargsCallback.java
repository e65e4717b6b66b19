package dev.llmix.spi;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A provider-specific rewrite of the base kwargs, run by the pipeline before dispatch. Implementations must be
 * deterministic and free of side effects (the pipeline runs them at least twice per call), must not mutate the map
 * they are given, and return either that same map unchanged or a new map. The kwargs, and the values of the
 * context, are plain JSON values: {@code null}, {@code Boolean}, {@code Number}, {@code String}, {@code List} and
 * {@code Map} with string keys; an absent key is simply not in the map (JavaScript's {@code undefined} has no value
 * of its own here).
 */
@FunctionalInterface
public interface TransformKwargsCallback {

    /**
     * Returns the kwargs to dispatch with.
     *
     * @param ctx    what the pipeline knows about the call (model, provider, messages, selected config values)
     * @param kwargs the kwargs so far; not to be mutated
     * @return {@code kwargs} itself when nothing changes, else a new map
     */
    Map<String, @Nullable Object> apply(TransformKwargsContext ctx, Map<String, @Nullable Object> kwargs);

    /**
     * The explicit "no transform" value: returns the kwargs it is given. Registering it as an override disables the
     * built-in transform of that provider (Java maps cannot hold the {@code null} TS uses for this).
     */
    static TransformKwargsCallback none() {
        return NoTransform.INSTANCE;
    }
}
