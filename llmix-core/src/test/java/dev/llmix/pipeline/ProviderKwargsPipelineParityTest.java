package dev.llmix.pipeline;

import dev.llmix.providers.ProviderSpecs;
import dev.llmix.testsupport.ScriptedDispatch;
import dev.llmix.spi.CallInput;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.config.LlmConfig;
import dev.llmix.keys.KeyPool;
import dev.llmix.internal.kwargs.ProviderKwargsTransforms;
import dev.llmix.spi.TransformKwargsCallback;
import dev.llmix.testsupport.ParitySummary;
import dev.llmix.testsupport.Vectors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code pipeline} vectors of {@code provider-kwargs.json} run through a real {@link CallPipeline}: the kwargs
 * the dispatch function receives, the effective base URL (via the breaker it keyed), and the error, narrowed as
 * provider-kwargs.md §10 says. Vectors of the other kinds belong to other suites and are counted as "other kind".
 */
class ProviderKwargsPipelineParityTest {

    private static final String FILE = "provider-kwargs.json";
    private static final int PIPELINE_VECTORS = 66;
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private static final List<Map<String, Object>> NO_MESSAGES = List.of();

    /** provider-kwargs.md §10, tag ts-quirk: what Java does instead of the recorded TS result. */
    private static final Map<String, String> TS_QUIRK_JAVA_EXPECTED = Map.of(
            "sno-gpu/whitespace-base-url-is-not-trimmed",
            "{\"success\":false,\"dispatched\":false,"
                    + "\"error\":\"sno-gpu provider requires a non-empty base_url in config or GPU_BASE_URL env var\"}",
            "sno-gpu/non-boolean-enable-thinking-option-is-copied",
            "{\"success\":true,\"dispatched\":true,\"kwargs\":{\"baseUrl\":\"https://gpu.example.com/v1\"},"
                    + "\"effectiveBaseUrl\":\"https://gpu.example.com/v1\"}");

    @TempDir
    Path tempRoot;

    @TestFactory
    List<DynamicTest> pipelineVectors() {
        ParitySummary summary = new ParitySummary(FILE + " [pipeline kind, through CallPipeline]");
        List<DynamicTest> tests = new ArrayList<>();
        int index = 0;
        for (JsonNode vector : Vectors.vectors(FILE)) {
            if (!vector.get("kind").asString().equals("pipeline")) {
                summary.skipped("other kind");
                continue;
            }
            String name = vector.get("name").asString();
            List<String> tags = Vectors.tags(vector);
            ObjectNode expected = (ObjectNode) vector.get("expected").deepCopy();
            if (tags.contains("ts-quirk") && TS_QUIRK_JAVA_EXPECTED.containsKey(name)) {
                expected = (ObjectNode) MAPPER.readTree(TS_QUIRK_JAVA_EXPECTED.get(name));
                summary.narrowed("ts-quirk: Java expectation of §10");
            } else if (tags.contains("js-null")) {
                if (expected.has("kwargs")) {
                    expected.set("kwargs", withoutNulls(expected.get("kwargs")));
                }
                summary.narrowed("js-null");
            } else if (expected.path("error").asString("").contains("SNO-GPU_")) {
                // pipeline.md §5.8/§13: Java names the variables KeyPools.fromEnv reads (SNO_GPU_...).
                expected.put("error", expected.get("error").asString().replace("SNO-GPU_", "SNO_GPU_"));
                summary.narrowed("pipeline.md §13 env-var hint");
            } else {
                summary.ran();
            }
            JsonNode input = vector.get("input");
            JsonNode want = expected;
            Path stateDir = tempRoot.resolve("v" + index++);
            tests.add(DynamicTest.dynamicTest(name, () -> run(input, want, stateDir)));
        }
        summary.print();
        summary.assertAccountedFor(Vectors.vectors(FILE).size(), PIPELINE_VECTORS);
        return tests;
    }

    private static void run(JsonNode input, JsonNode expected, Path stateDir) throws Exception {
        Files.createDirectories(stateDir);
        LlmConfig config = MAPPER.treeToValue(input.get("config"), LlmConfig.class);
        List<?> messages = input.has("messages") ? MAPPER.treeToValue(input.get("messages"), List.class)
                : NO_MESSAGES;
        Map<String, String> envValues = new LinkedHashMap<>();
        if (input.has("env")) {
            input.get("env").properties().forEach(e -> envValues.put(e.getKey(), e.getValue().asString()));
        }
        Function<String, @Nullable String> env = envValues::get;
        Map<String, TransformKwargsCallback> overrides = new LinkedHashMap<>();
        if (input.has("overrides")) {
            input.get("overrides").properties().forEach(e -> overrides.put(e.getKey(),
                    namedOverride(e.getValue().asString(), env)));
        }
        ScriptedDispatch dispatch = ScriptedDispatch.ok("ok");
        PipelineConfig options = PipelineConfig.builder().maxRetries(0).stateDir(stateDir).env(env)
                .transformKwargsOverrides(overrides).build();
        try (CallPipeline pipeline = new CallPipeline(options, dispatch)) {
            if (!input.has("keyPool") || input.get("keyPool").asBoolean()) {
                pipeline.setKeyPool(config.provider(), new KeyPool(List.of("test-key")));
            }
            CallResponse response = pipeline.call(CallInput.of(config, messages));

            assertThat(response.success()).as("success (error: %s)", response.error())
                    .isEqualTo(expected.get("success").asBoolean());
            assertThat(dispatch.count() > 0).as("dispatched").isEqualTo(expected.get("dispatched").asBoolean());
            if (expected.has("error")) {
                assertThat(response.error()).isEqualTo(expected.get("error").asString());
            }
            if (expected.has("kwargs") && dispatch.count() > 0) {
                JsonNode actual = MAPPER.valueToTree(dispatch.lastKwargs());
                String diff = diff("kwargs", expected.get("kwargs"), actual);
                assertThat(diff).as("kwargs: expected %s, actual %s", expected.get("kwargs"), actual).isNull();
                assertThat(dispatch.lastKwargs()).doesNotContainValue(null);
            }
            if (expected.has("effectiveBaseUrl")) {
                assertThat(pipeline.getCircuitBreakerState(config.provider(),
                        expected.get("effectiveBaseUrl").asString())).as("breaker for the effective base URL")
                        .isNotNull();
            } else {
                assertThat(pipeline.snapshot().circuitBreakers()).as("no breaker created").isEmpty();
            }
        }
    }

    /** The named overrides of the vector file header. */
    private static TransformKwargsCallback namedOverride(String name, Function<String, @Nullable String> env) {
        switch (name) {
            case "identity":
                return (ctx, kwargs) -> kwargs;
            case "none":
                return TransformKwargsCallback.none();
            case "tagCustom":
                return (ctx, kwargs) -> {
                    Map<String, @Nullable Object> out = new LinkedHashMap<>(kwargs);
                    out.put("custom_flag", true);
                    return out;
                };
            case "appendV1BaseUrl":
                return (ctx, kwargs) -> {
                    Map<String, @Nullable Object> out = new LinkedHashMap<>(kwargs);
                    out.put("baseUrl", ctx.baseUrl() + "/v1");
                    return out;
                };
            case "captureContext":
                return (ctx, kwargs) -> kwargs;
            case "defaultThenTag":
                return (ctx, kwargs) -> {
                    TransformKwargsCallback builtIn = ProviderSpecs.builtIn().transforms(env, Map.of()).get(ctx.provider());
                    Map<String, @Nullable Object> out = new LinkedHashMap<>(
                            builtIn == null ? kwargs : builtIn.apply(ctx, kwargs));
                    out.put("custom_flag", true);
                    return out;
                };
            default:
                throw new AssertionError("unknown override " + name);
        }
    }

    /** {@code node} with every object member whose value is JSON null removed, at every depth. */
    private static JsonNode withoutNulls(JsonNode node) {
        if (node.isObject()) {
            ObjectNode copy = MAPPER.createObjectNode();
            node.properties().forEach(e -> {
                if (!e.getValue().isNull()) {
                    copy.set(e.getKey(), withoutNulls(e.getValue()));
                }
            });
            return copy;
        }
        if (node.isArray()) {
            var copy = MAPPER.createArrayNode();
            node.forEach(n -> copy.add(withoutNulls(n)));
            return copy;
        }
        return node;
    }

    /** The first difference between two JSON trees (maps unordered, numbers by value), or {@code null}. */
    private static @Nullable String diff(String path, JsonNode expected, JsonNode actual) {
        if (expected.isNumber() && actual.isNumber()) {
            return expected.asDouble() == actual.asDouble() ? null
                    : path + ": " + expected + " != " + actual;
        }
        if (expected.isObject() && actual.isObject()) {
            if (!keys(expected).equals(keys(actual))) {
                return path + ": keys " + keys(expected) + " != " + keys(actual);
            }
            for (String k : keys(expected)) {
                String d = diff(path + "." + k, expected.get(k), actual.get(k));
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (expected.isArray() && actual.isArray()) {
            if (expected.size() != actual.size()) {
                return path + ": size " + expected.size() + " != " + actual.size();
            }
            for (int i = 0; i < expected.size(); i++) {
                String d = diff(path + "[" + i + "]", expected.get(i), actual.get(i));
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        return expected.equals(actual) ? null : path + ": " + expected + " != " + actual;
    }

    private static java.util.Set<String> keys(JsonNode node) {
        java.util.Set<String> keys = new java.util.TreeSet<>();
        Iterator<String> it = node.propertyNames().iterator();
        it.forEachRemaining(keys::add);
        return keys;
    }
}
