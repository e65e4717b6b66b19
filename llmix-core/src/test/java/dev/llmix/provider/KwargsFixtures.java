package dev.llmix.provider;

import dev.llmix.providers.ProviderSpecs;
import dev.llmix.internal.kwargs.ProviderKwargsTransforms;
import static org.assertj.core.api.Assertions.fail;

import dev.llmix.config.LlmConfig;
import dev.llmix.testsupport.JsonDiff;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/** Small helpers so kwargs tests read like the spec's acceptance checks: JSON in, JSON out. */
final class KwargsFixtures {

    static final List<Map<String, Object>> HI = List.of(Map.of("role", "user", "content", "hi"));
    static final Function<String, @Nullable String> NO_ENV = name -> null;

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private KwargsFixtures() {
    }

    /** Parses JSON into plain Java (Integer/Long/Double numbers, LinkedHashMap, ArrayList). */
    static @Nullable Object json(String text) {
        return MAPPER.readValue(text, Object.class);
    }

    @SuppressWarnings("unchecked")
    static Map<String, @Nullable Object> obj(String text) {
        return (Map<String, @Nullable Object>) json(text);
    }

    static LlmConfig config(String text) {
        return ProviderKwargsBuildVectorTest.config(obj(text));
    }

    static Function<String, @Nullable String> env(String name, String value) {
        return key -> key.equals(name) ? value : null;
    }

    /** The kwargs dispatch would see for {@code configJson} with the built-ins and no environment. */
    static Map<String, @Nullable Object> kwargsOf(String configJson) {
        return ProviderKwargs.build(config(configJson), HI, ProviderSpecs.builtIn().transforms(NO_ENV, Map.of()));
    }

    static void assertJson(@Nullable Map<String, ?> actual, String expectedJson) {
        Object expected = json(expectedJson);
        String diff = JsonDiff.diff(expected, actual);
        if (diff != null) {
            fail(diff + "\n  expected: " + expected + "\n  actual:   " + actual);
        }
    }
}
