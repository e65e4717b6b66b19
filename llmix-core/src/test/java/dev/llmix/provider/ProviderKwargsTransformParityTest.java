package dev.llmix.provider;

import dev.llmix.internal.kwargs.ProviderKwargsTransforms;
import dev.llmix.spi.TransformKwargsCallback;
import dev.llmix.spi.TransformKwargsContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.llmix.internal.JsUndefined;
import dev.llmix.testsupport.JsonDiff;
import dev.llmix.testsupport.ParitySummary;
import dev.llmix.testsupport.Vectors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;

/**
 * Parity of the built-in transforms and the model-capability lookups with {@code vectors/provider-kwargs.json} (kinds
 * {@code transform} and {@code capabilities}), narrowed as provider-kwargs.md §10 says. The {@code pipeline},
 * {@code dispatch-helper} and {@code pricing} kinds are exercised by the pipeline and adapter suites.
 */
class ProviderKwargsTransformParityTest {

    private static final String FILE = "provider-kwargs.json";
    private static final Set<String> MY_KINDS = Set.of("transform", "capabilities");
    private static final Set<String> TS_QUIRK_SKIPS = Set.of(
            "sno-gpu/whitespace-base-url-is-not-trimmed",
            "sno-gpu/non-boolean-enable-thinking-option-is-copied",
            "sno-gpu-dispatch-base/env-trailing-slash-not-stripped");
    private static final int EXPECTED_RAN = 15 + 20;

    @TestFactory
    List<DynamicTest> vectors() {
        ParitySummary summary = new ParitySummary(FILE + " [transform, capabilities]");
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode vector : Vectors.vectors(FILE)) {
            String name = vector.get("name").asString();
            String kind = vector.get("kind").asString();
            List<String> tags = Vectors.tags(vector);
            if (!MY_KINDS.contains(kind)) {
                summary.skipped("other kind");
                continue;
            }
            if (tags.contains("ts-quirk") && TS_QUIRK_SKIPS.contains(name)) {
                summary.skipped("ts-quirk");
                continue;
            }
            boolean narrowed = tags.contains("js-null");
            if (narrowed) {
                summary.narrowed("js-null");
            } else {
                summary.ran();
            }
            Map<String, @Nullable Object> input = map(Vectors.decode(vector.get("input")));
            Map<String, @Nullable Object> expected = map(Vectors.decode(vector.get("expected")));
            if (narrowed) {
                expected = map(JsonDiff.withoutNulls(expected));
            }
            Map<String, @Nullable Object> exp = expected;
            tests.add(DynamicTest.dynamicTest(name, () -> {
                if (kind.equals("transform")) {
                    runTransform(input, exp);
                } else {
                    runCapabilities(input, exp);
                }
            }));
        }
        summary.print();
        summary.assertAccountedFor(Vectors.vectors(FILE).size(), EXPECTED_RAN);
        return tests;
    }

    private static void runTransform(Map<String, @Nullable Object> input, Map<String, @Nullable Object> expected) {
        Map<String, @Nullable Object> ctxMap = map(input.get("ctx"));
        TransformKwargsContext ctx = new TransformKwargsContext(
                (String) ctxMap.get("model"), (String) ctxMap.get("provider"),
                (List<?>) defined(ctxMap.get("messages")), (Number) defined(ctxMap.get("temperature")),
                (Number) defined(ctxMap.get("topP")), mapOrNull(ctxMap.get("providerOptions")),
                (String) defined(ctxMap.get("baseUrl")), (Boolean) defined(ctxMap.get("enableThinking")));
        Map<String, @Nullable Object> kwargs = map(input.get("kwargs"));
        Map<String, @Nullable Object> env = input.get("env") == null ? Map.of() : map(input.get("env"));
        Function<String, @Nullable String> envLookup = key -> (String) env.get(key);
        String function = (String) input.get("function");
        TransformKwargsCallback transform = switch (function) {
            case "applyTransformKwargs" -> null;
            case "openaiTransformKwargs" -> ProviderKwargsTransforms.openai();
            case "openrouterTransformKwargs" -> ProviderKwargsTransforms.openrouter();
            case "geminiTransformKwargs" -> ProviderKwargsTransforms.gemini();
            case "snoGpuTransformKwargs" -> ProviderKwargsTransforms.snoGpu(envLookup);
            default -> throw new AssertionError("unknown transform function " + function);
        };
        if (expected.containsKey("error")) {
            assertThatThrownBy(() -> ProviderKwargs.applyTransform(ctx, kwargs, transform))
                    .isInstanceOf(ProviderKwargsException.class)
                    .hasMessage((String) expected.get("error"));
            return;
        }
        Map<String, @Nullable Object> result = ProviderKwargs.applyTransform(ctx, kwargs, transform);
        assertNoDiff(expected.get("result"), result);
        if (Boolean.TRUE.equals(expected.get("sameReference"))) {
            assertThat(result).isSameAs(kwargs);
        }
    }

    private static void runCapabilities(Map<String, @Nullable Object> input, Map<String, @Nullable Object> expected) {
        String modelId = (String) input.get("modelId");
        String function = (String) input.get("function");
        switch (function) {
            case "getModelCapabilities" -> {
                ModelCapabilities caps = ModelCapabilities.forModel(modelId);
                assertNoDiff(expected.get("result"), Map.of(
                        "isReasoningModel", caps.isReasoningModel(),
                        "supportsTextVerbosity", caps.supportsTextVerbosity(),
                        "fixedTemperature", caps.fixedTemperature(),
                        "modelClass", caps.modelClass()));
            }
            case "filterOpenAIProviderOptions" -> {
                Map<String, @Nullable Object> options = map(input.get("options"));
                ModelCapabilities.FilteredOptions split = ModelCapabilities.splitOpenAiProviderOptions(modelId, options);
                Object expectedKept = expected.get("filteredOptions");
                assertNoDiff(expectedKept == JsUndefined.INSTANCE ? Map.of() : expectedKept, split.kept());
                assertNoDiff(expected.get("filteredParams"), split.removed());
                assertThat(ModelCapabilities.filterOpenAiProviderOptions(modelId, options)).isEqualTo(split.kept());
            }
            case "adjustTemperatureForModel" -> {
                Number temperature = (Number) defined(input.get("temperature"));
                ModelCapabilities.TemperatureAdjustment adj = ModelCapabilities.temperatureAdjustment(modelId,
                        temperature);
                Map<String, @Nullable Object> actual = new java.util.LinkedHashMap<>();
                actual.put("adjustedTemperature", adj.adjustedTemperature());
                actual.put("wasAdjusted", adj.wasAdjusted());
                if (adj.originalTemperature() != null) {
                    actual.put("originalTemperature", adj.originalTemperature());
                }
                assertNoDiff(expected.get("result"), actual);
                assertNoDiff(adj.adjustedTemperature(),
                        ModelCapabilities.adjustTemperatureForModel(modelId, temperature));
            }
            default -> throw new AssertionError("unknown capabilities function " + function);
        }
    }

    private static void assertNoDiff(@Nullable Object expected, @Nullable Object actual) {
        String diff = JsonDiff.diff(expected, actual);
        if (diff != null) {
            fail(diff + "\n  expected: " + expected + "\n  actual:   " + actual);
        }
    }

    private static @Nullable Object defined(@Nullable Object value) {
        return value == JsUndefined.INSTANCE ? null : value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, @Nullable Object> map(@Nullable Object value) {
        return (Map<String, @Nullable Object>) value;
    }

    private static @Nullable Map<String, @Nullable Object> mapOrNull(@Nullable Object value) {
        return value instanceof Map ? map(value) : null;
    }
}
