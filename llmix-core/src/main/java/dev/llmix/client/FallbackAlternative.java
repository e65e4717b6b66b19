package dev.llmix.client;

import org.jspecify.annotations.Nullable;

/**
 * One alternative of a fallback chain (docs/providers.md, "Fallback chains"): call {@code provider} with
 * {@code model} instead, starting from the called preset, or from another {@code preset} whose provider and model the
 * two fields then override.
 *
 * @param provider the provider to try, e.g. {@code anthropic}; required unless {@code preset} is given
 * @param model    the model to try, e.g. {@code claude-haiku-4-5}; required unless {@code preset} is given
 * @param preset   another preset to start from: a name in the called preset's module, or {@code module/name}
 */
public record FallbackAlternative(@Nullable String provider, @Nullable String model, @Nullable String preset) {

    /** An alternative with another provider and model and the called preset's other settings. */
    public static FallbackAlternative of(String provider, String model) {
        return new FallbackAlternative(provider, model, null);
    }

    /** An alternative that calls another preset as it is. */
    public static FallbackAlternative preset(String preset) {
        return new FallbackAlternative(null, null, preset);
    }

    /** {@code provider/model}, or the preset it starts from, for logs and the Actuator endpoint. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        if (preset != null) {
            sb.append("preset ").append(preset);
        }
        if (provider != null || model != null) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(provider == null ? "(preset's provider)" : provider).append('/')
                    .append(model == null ? "(preset's model)" : model);
        }
        return sb.toString();
    }
}
