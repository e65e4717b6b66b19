package dev.llmix.provider;

import dev.llmix.providers.ProviderSpecs;
import dev.llmix.internal.kwargs.ProviderKwargsTransforms;
import dev.llmix.spi.TransformKwargsCallback;
import dev.llmix.spi.TransformKwargsContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.llmix.config.CommonParams;
import dev.llmix.config.LlmConfig;
import dev.llmix.internal.JsUndefined;
import dev.llmix.testsupport.JsonDiff;
import dev.llmix.testsupport.ParitySummary;
import dev.llmix.testsupport.Vectors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;

/**
 * The kwargs-building half of the {@code pipeline} vectors of {@code provider-kwargs.json}: config, environment and
 * overrides through {@link ProviderKwargs#build} and {@link ProviderKwargs#effectiveBaseUrl}, without a pipeline. The
 * full vectors (dispatch, breaker, key pool) belong to the pipeline's parity suite; this suite pins the part this
 * package owns, with the same §10 narrowing.
 */
class ProviderKwargsBuildVectorTest {

    private static final String FILE = "provider-kwargs.json";
    private static final Set<String> TS_QUIRK_SKIPS = Set.of(
            "sno-gpu/whitespace-base-url-is-not-trimmed",
            "sno-gpu/non-boolean-enable-thinking-option-is-copied");
    private static final int EXPECTED_RAN = 66 - TS_QUIRK_SKIPS.size();

    @TestFactory
    List<DynamicTest> pipelineVectorsAtKwargsLevel() {
        ParitySummary summary = new ParitySummary(FILE + " [pipeline, kwargs level]");
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode vector : Vectors.vectors(FILE)) {
            String name = vector.get("name").asString();
            List<String> tags = Vectors.tags(vector);
            if (!vector.get("kind").asString().equals("pipeline")) {
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
            Object expectedKwargs = narrowed ? JsonDiff.withoutNulls(expected.get("kwargs")) : expected.get("kwargs");
            tests.add(DynamicTest.dynamicTest(name, () -> run(input, expected, expectedKwargs)));
        }
        summary.print();
        long pipelineVectors = Vectors.vectors(FILE).stream()
                .filter(v -> "pipeline".equals(v.path("kind").asString())).count();
        summary.assertAccountedFor((int) pipelineVectors, EXPECTED_RAN);
        return tests;
    }

    private static void run(Map<String, @Nullable Object> input, Map<String, @Nullable Object> expected,
            @Nullable Object expectedKwargs) {
        LlmConfig config = config(map(input.get("config")));
        List<?> messages = (List<?>) input.get("messages");
        Map<String, @Nullable Object> env = input.get("env") == null ? Map.of() : map(input.get("env"));
        Function<String, @Nullable String> envLookup = key -> (String) env.get(key);
        AtomicReference<@Nullable TransformKwargsContext> captured = new AtomicReference<>();
        Map<String, TransformKwargsCallback> overrides = new LinkedHashMap<>();
        if (input.get("overrides") instanceof Map<?, ?> named) {
            named.forEach((provider, callback) -> overrides.put((String) provider,
                    override((String) callback, envLookup, captured)));
        }
        Map<String, TransformKwargsCallback> registry = ProviderSpecs.builtIn().transforms(envLookup, overrides);

        String error = (String) expected.get("error");
        boolean kwargsError = error != null && (error.startsWith("Invalid gpu_path")
                || error.startsWith("sno-gpu provider requires"));
        if (kwargsError) {
            assertThatThrownBy(() -> ProviderKwargs.build(config, messages, registry))
                    .isInstanceOf(ProviderKwargsException.class).hasMessage(error);
            return;
        }
        Map<String, @Nullable Object> kwargs = ProviderKwargs.build(config, messages, registry);
        assertThat(kwargs).doesNotContainValue(null);
        if (expectedKwargs != null) {
            String diff = JsonDiff.diff(expectedKwargs, kwargs);
            if (diff != null) {
                fail(diff + "\n  expected: " + expectedKwargs + "\n  actual:   " + kwargs);
            }
        }
        if (expected.get("effectiveBaseUrl") instanceof String url) {
            assertThat(ProviderKwargs.effectiveBaseUrl(kwargs, config)).isEqualTo(url);
        }
        if (expected.get("transformContext") instanceof Map<?, ?> ctx) {
            TransformKwargsContext c = captured.get();
            assertThat(c).isNotNull();
            Map<String, @Nullable Object> actual = new LinkedHashMap<>();
            actual.put("model", c.model());
            actual.put("provider", c.provider());
            actual.put("messages", c.messages() == null ? JsUndefined.INSTANCE : c.messages());
            actual.put("temperature", c.temperature() == null ? JsUndefined.INSTANCE : c.temperature());
            actual.put("topP", c.topP() == null ? JsUndefined.INSTANCE : c.topP());
            actual.put("providerOptions", c.providerOptions() == null ? JsUndefined.INSTANCE : c.providerOptions());
            actual.put("baseUrl", c.baseUrl() == null ? JsUndefined.INSTANCE : c.baseUrl());
            actual.put("enableThinking", c.enableThinking() == null ? JsUndefined.INSTANCE : c.enableThinking());
            assertThat(JsonDiff.diff(ctx, actual)).isNull();
        }
    }

    private static TransformKwargsCallback override(String name, Function<String, @Nullable String> env,
            AtomicReference<@Nullable TransformKwargsContext> captured) {
        return switch (name) {
            case "identity" -> (ctx, kwargs) -> kwargs;
            case "none" -> TransformKwargsCallback.none();
            case "tagCustom" -> (ctx, kwargs) -> {
                Map<String, @Nullable Object> out = new LinkedHashMap<>(kwargs);
                out.put("custom_flag", true);
                return out;
            };
            case "appendV1BaseUrl" -> (ctx, kwargs) -> {
                Map<String, @Nullable Object> out = new LinkedHashMap<>(kwargs);
                out.put("baseUrl", ctx.baseUrl() + "/v1");
                return out;
            };
            case "captureContext" -> (ctx, kwargs) -> {
                captured.set(ctx);
                return kwargs;
            };
            case "defaultThenTag" -> (ctx, kwargs) -> {
                TransformKwargsCallback builtIn = ProviderSpecs.builtIn().transforms(env, Map.of()).get(ctx.provider());
                Map<String, @Nullable Object> out = new LinkedHashMap<>(
                        builtIn == null ? kwargs : builtIn.apply(ctx, kwargs));
                out.put("custom_flag", true);
                return out;
            };
            default -> throw new AssertionError("unknown override " + name);
        };
    }

    /** A config from its vector JSON (camelCase preset shape); {@code null} and undefined count as absent. */
    @SuppressWarnings("unchecked")
    static LlmConfig config(Map<String, @Nullable Object> json) {
        LlmConfig.Builder b = LlmConfig.builder((String) json.get("provider"), (String) json.get("model"))
                .baseUrl((String) defined(json.get("baseUrl")))
                .responseFormat(defined(json.get("responseFormat")))
                .providerOptions((Map<String, @Nullable Object>) defined(json.get("providerOptions")));
        if (json.get("common") instanceof Map<?, ?> c) {
            Map<String, @Nullable Object> common = (Map<String, @Nullable Object>) c;
            Number maxRetries = (Number) defined(common.get("maxRetries"));
            b.common(CommonParams.builder()
                    .temperature((Number) defined(common.get("temperature")))
                    .maxOutputTokens((Number) defined(common.get("maxOutputTokens")))
                    .topP((Number) defined(common.get("topP")))
                    .topK((Number) defined(common.get("topK")))
                    .presencePenalty((Number) defined(common.get("presencePenalty")))
                    .frequencyPenalty((Number) defined(common.get("frequencyPenalty")))
                    .stopSequences((List<String>) defined(common.get("stopSequences")))
                    .seed((Number) defined(common.get("seed")))
                    .maxRetries(maxRetries == null ? null : maxRetries.intValue())
                    .enableThinking((Boolean) defined(common.get("enableThinking")))
                    .keepThinkingOutput((Boolean) defined(common.get("keepThinkingOutput")))
                    .build());
        }
        return b.build();
    }

    private static @Nullable Object defined(@Nullable Object value) {
        return value == JsUndefined.INSTANCE ? null : value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, @Nullable Object> map(@Nullable Object value) {
        return (Map<String, @Nullable Object>) value;
    }
}
