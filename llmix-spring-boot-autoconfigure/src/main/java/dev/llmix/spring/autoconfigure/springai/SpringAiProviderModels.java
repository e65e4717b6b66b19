package dev.llmix.spring.autoconfigure.springai;

import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/** Reads {@code llmix.provider.<name>.spring-ai-model} for every provider name. */
final class SpringAiProviderModels {

    static final String SUFFIX = ".spring-ai-model";

    private SpringAiProviderModels() {
    }

    /** Provider name to {@code ChatModel} bean name, sorted by provider. */
    static Map<String, String> read(Environment environment) {
        Map<String, String> flat = Binder.get(environment)
                .bind("llmix.provider", Bindable.mapOf(String.class, String.class))
                .orElseGet(Map::of);
        Map<String, String> out = new TreeMap<>();
        flat.forEach((key, value) -> {
            if (key.endsWith(SUFFIX) && value != null && !value.isBlank()) {
                out.put(key.substring(0, key.length() - SUFFIX.length()), value.trim());
            }
        });
        return out;
    }

    /** Whether {@code llmix.provider.<name>.enabled} is true (a built-in adapter serves the same provider). */
    static boolean adapterEnabled(Environment environment, String provider) {
        return Boolean.parseBoolean(environment.getProperty("llmix.provider." + provider + ".enabled", "false"));
    }
}
