package dev.llmix.provider.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.llmix.config.LlmConfig;
import dev.llmix.internal.JsUndefined;
import dev.llmix.spi.LlmUsage;
import dev.llmix.provider.ModelPricing;
import dev.llmix.testsupport.JsonDiff;
import dev.llmix.testsupport.ParitySummary;
import dev.llmix.testsupport.Vectors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Parity of the adapters' request/response helpers and of {@link ModelPricing} with
 * {@code vectors/provider-kwargs.json}, kinds {@code dispatch-helper} and {@code pricing}, mapped onto Java units as
 * provider-adapters.md §10 says. The other kinds belong to the kwargs and pipeline suites.
 */
class ProviderKwargsDispatchParityTest {

    private static final String FILE = "provider-kwargs.json";
    private static final Set<String> MY_KINDS = Set.of("dispatch-helper", "pricing");
    /** provider-kwargs.md §10: TS quirks the Java binding deliberately does not reproduce. */
    private static final Set<String> TS_QUIRK_SKIPS = Set.of("sno-gpu-dispatch-base/env-trailing-slash-not-stripped");
    /** Dispatch-helper and pricing vectors in the public vector file. */
    private static final int PUBLIC_EXPECTED_RAN = 37 + 13;
    private static final String AI_SDK_SYSTEM_ERROR =
            "AI SDK v7 requires system messages to use string content for LLMix instructions";
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** TS SDK (camelCase) request field names and the Chat Completions wire names Java sends. */
    private static final Map<String, String> WIRE_NAMES = Map.ofEntries(
            Map.entry("topP", "top_p"), Map.entry("presencePenalty", "presence_penalty"),
            Map.entry("frequencyPenalty", "frequency_penalty"), Map.entry("parallelToolCalls", "parallel_tool_calls"),
            Map.entry("toolChoice", "tool_choice"), Map.entry("responseFormat", "response_format"),
            Map.entry("serviceTier", "service_tier"), Map.entry("sessionId", "session_id"),
            Map.entry("maxTokens", "max_tokens"), Map.entry("maxCompletionTokens", "max_completion_tokens"),
            Map.entry("toolCalls", "tool_calls"), Map.entry("toolCallId", "tool_call_id"));

    @TestFactory
    List<DynamicTest> vectors() {
        ParitySummary summary = new ParitySummary(FILE + " [dispatch-helper, pricing]");
        List<DynamicTest> tests = new ArrayList<>();
        int skippedByRule = 0;
        for (JsonNode vector : Vectors.vectors(FILE)) {
            String name = vector.get("name").asString();
            String kind = vector.get("kind").asString();
            if (!MY_KINDS.contains(kind)) {
                summary.skipped("other kind");
                continue;
            }
            if (Vectors.tags(vector).contains("ts-quirk") && TS_QUIRK_SKIPS.contains(name)) {
                summary.skipped("ts-quirk");
                skippedByRule++;
                continue;
            }
            Map<String, @Nullable Object> input = map(Vectors.decode(vector.get("input")));
            Map<String, @Nullable Object> expected = map(Vectors.decode(vector.get("expected")));
            boolean systemPartsNarrowed = "splitGenerationMessages".equals(input.get("function"))
                    && AI_SDK_SYSTEM_ERROR.equals(expected.get("error"));
            if (systemPartsNarrowed) {
                summary.narrowed("system text parts joined (adapters §10)");
            } else {
                summary.ran();
            }
            tests.add(DynamicTest.dynamicTest(name, () -> {
                if (kind.equals("pricing")) {
                    check(expected, () -> pricing(input));
                } else if (systemPartsNarrowed) {
                    checkSystemPartsJoined(input);
                } else {
                    check(expected, () -> helper(input));
                }
            }));
        }
        summary.print();
        JsonNode counts = Vectors.file(FILE).get("countsByKind");
        int declared = counts.path("dispatch-helper").asInt() + counts.path("pricing").asInt();
        assertThat(summary.ranCount()).as("dispatch-helper + pricing vectors run").isEqualTo(declared - skippedByRule);
        if (Vectors.isProjectSet()) {
            assertThat(summary.ranCount()).isEqualTo(PUBLIC_EXPECTED_RAN);
        }
        return tests;
    }

    /**
     * Inputs the public vectors do not cover, with the reference's results written out from its algorithm: system
     * messages anywhere in the list are joined in order with a blank line (empty ones dropped) and the others keep
     * their order; {@code requireApiKey} trims with JavaScript's {@code trim()} and, when both the key and the
     * fall-back are blank or absent, fails with {@code <provider> provider requires <ENV_NAME>}.
     */
    @TestFactory
    List<DynamicTest> crossChecksBeyondThePublicVectors() {
        Map<String, Object> sysA = Map.of("role", "system", "content", "A");
        Map<String, Object> sysB = Map.of("role", "system", "content", "B");
        Map<String, Object> sysEmpty = Map.of("role", "system", "content", "");
        Map<String, Object> user = Map.of("role", "user", "content", "u");
        Map<String, Object> assistant = Map.of("role", "assistant", "content", "a");
        Map<String, Object> user2 = Map.of("role", "user", "content", "v");
        String missing = "openai provider requires OPENAI_API_KEY";
        return List.of(
                crossCheck("split/system-first-middle-last",
                        split(List.of(sysA, user, sysB, assistant, Map.of("role", "system", "content", "C"))),
                        result(splitResult("A\n\nB\n\nC", List.of(user, assistant)))),
                crossCheck("split/system-only-after-user", split(List.of(user, sysA)),
                        result(splitResult("A", List.of(user)))),
                crossCheck("split/system-between-two-users", split(List.of(user, sysB, user2)),
                        result(splitResult("B", List.of(user, user2)))),
                crossCheck("split/empty-system-between-others-dropped", split(List.of(sysEmpty, user, sysEmpty, sysA)),
                        result(splitResult("A", List.of(user)))),
                crossCheck("split/no-system", split(List.of(user, assistant)),
                        result(splitResult(null, List.of(user, assistant)))),
                crossCheck("api-key/whitespace-only-key-absent-fallback",
                        apiKey("   ", JsUndefined.INSTANCE), error(missing)),
                crossCheck("api-key/whitespace-only-key-null-fallback", apiKey("\t\n ", null), error(missing)),
                crossCheck("api-key/js-whitespace-only-key-absent-fallback",
                        apiKey("\u00a0\u3000\ufeff\u2028", JsUndefined.INSTANCE), error(missing)),
                crossCheck("api-key/whitespace-only-key-and-fallback", apiKey(" \u00a0 ", "\u202f"), error(missing)),
                crossCheck("api-key/whitespace-only-key-uses-trimmed-fallback",
                        apiKey("\u00a0", " \u2003env-key\ufeff "), result("env-key")),
                crossCheck("api-key/non-js-whitespace-is-kept",
                        apiKey("\u001f\u0085sk-1\u200b", JsUndefined.INSTANCE), result("\u001f\u0085sk-1\u200b")));
    }

    private static Map<String, @Nullable Object> split(List<?> messages) {
        return Map.of("function", "splitGenerationMessages", "args", List.of(messages));
    }

    private static Map<String, @Nullable Object> apiKey(String explicit, @Nullable Object fallback) {
        List<@Nullable Object> args = new ArrayList<>();
        args.add(explicit);
        args.add(fallback);
        args.add("OPENAI_API_KEY");
        args.add("openai");
        return Map.of("function", "requireApiKey", "args", args);
    }

    private static Map<String, @Nullable Object> splitResult(@Nullable String system, List<?> messages) {
        Map<String, @Nullable Object> out = new LinkedHashMap<>();
        if (system != null) {
            out.put("system", system);
        }
        out.put("messages", messages);
        return out;
    }

    private static Map<String, @Nullable Object> result(Object value) {
        return Map.of("result", value);
    }

    private static Map<String, @Nullable Object> error(String message) {
        return Map.of("error", message);
    }

    private static DynamicTest crossCheck(String name, Map<String, @Nullable Object> input,
            Map<String, @Nullable Object> expected) {
        return DynamicTest.dynamicTest(name, () -> check(expected, () -> helper(input)));
    }

    // ---- dispatch helpers -----------------------------------------------------------------------------------

    private static @Nullable Object helper(Map<String, @Nullable Object> input) {
        List<?> args = (List<?>) input.get("args");
        Function<String, @Nullable String> env = envOf(input.get("env"));
        String function = (String) input.get("function");
        switch (function) {
            case "mapOpenRouterModel":
                return OpenAiCompatibleAdapter.mapOpenRouterModel((String) args.get(0));
            case "buildOpenRouterChatRequest": {
                Map<String, @Nullable Object> a = map(args.get(0));
                LlmConfig config = config(a.get("config"));
                return OpenAiCompatibleAdapter.buildBody(config.provider(), (String) args.get(1),
                        (List<?>) a.get("messages"), map(a.get("kwargs")), config);
            }
            case "resolveSnoGpuThinking": {
                Map<String, @Nullable Object> a = map(args.get(0));
                SnoGpuAdapter.Thinking t = SnoGpuAdapter.resolveThinking(map(a.get("kwargs")), config(a.get("config")));
                Map<String, @Nullable Object> out = new LinkedHashMap<>();
                if (t.enable() != null) {
                    out.put("enableThinking", t.enable());
                }
                if (t.budget() != null) {
                    out.put("thinkingBudget", t.budget());
                }
                return out;
            }
            case "injectSnoGpuExtraBody": {
                Map<String, @Nullable Object> t = map(args.get(1));
                return SnoGpuAdapter.injectExtraBody(map(args.get(0)), new SnoGpuAdapter.Thinking(
                        t.get("enableThinking") instanceof Boolean b ? b : null,
                        t.get("thinkingBudget") instanceof Number n ? n : null));
            }
            case "normalizeSnoGpuResponsePayload":
                return Json.toPlain(SnoGpuAdapter.normalizeResponsePayload(Json.toNode(args.get(0))));
            case "resolveGpuBaseUrl": {
                Map<String, @Nullable Object> a = map(args.get(0));
                return SnoGpuAdapter.resolveBaseUrl(map(a.get("kwargs")), config(a.get("config")), null, env);
            }
            case "resolveBaseUrl": {
                Map<String, @Nullable Object> a = map(args.get(0));
                Map<String, @Nullable Object> cfg = map(a.get("config"));
                return AdapterSupport.resolveBaseUrl(map(a.get("kwargs")), (String) cfg.get("baseUrl"), null,
                        (String) args.get(1));
            }
            case "resolveResponseFormat":
                return ResponseFormats.outputMode(map(args.get(0)).get("response_format"));
            case "resolveMaxOutputTokens":
                return OpenAiCompatibleAdapter.resolveMaxOutputTokens(map(args.get(0)));
            case "extractOpenRouterUsage":
                // The TS SDK's camelCase usage is the wire's snake_case usage; Java reads the wire form.
                return usageMap(OpenAiCompatibleAdapter.usage(Json.toNode(snakeUsage(args.get(0)))));
            case "extractUsage":
                return usageMap(AnthropicAdapter.usage(Json.toNode(anthropicUsage(map(args.get(0))))));
            case "extractOpenRouterContent":
                return OpenAiCompatibleAdapter.extractContent(Json.toNode(args.get(0)), true);
            case "splitGenerationMessages": {
                AnthropicAdapter.Split split = AnthropicAdapter.splitSystem((List<?>) args.get(0));
                Map<String, @Nullable Object> out = new LinkedHashMap<>();
                if (split.system() != null) {
                    out.put("system", split.system());
                }
                out.put("messages", split.messages());
                return out;
            }
            case "requireApiKey":
                return AdapterSupport.requireApiKey(string(args.get(0)), string(args.get(1)),
                        (String) args.get(2), (String) args.get(3));
            default:
                throw new AssertionError("no Java unit mapped for dispatch helper " + function);
        }
    }

    /** The AI SDK's normalised usage expressed as Anthropic wire usage (its inputTokens already include the cache). */
    private static Map<String, @Nullable Object> anthropicUsage(Map<String, @Nullable Object> sdk) {
        Map<String, @Nullable Object> details = sdk.get("inputTokenDetails") instanceof Map<?, ?> d ? map(d) : Map.of();
        double read = details.get("cacheReadTokens") instanceof Number n ? n.doubleValue() : 0;
        double write = details.get("cacheWriteTokens") instanceof Number n ? n.doubleValue() : 0;
        double input = sdk.get("inputTokens") instanceof Number n ? n.doubleValue() : 0;
        Map<String, @Nullable Object> wire = new LinkedHashMap<>();
        wire.put("input_tokens", input - read - write);
        wire.put("output_tokens", sdk.get("outputTokens"));
        if (details.get("cacheReadTokens") != null) {
            wire.put("cache_read_input_tokens", read);
        }
        if (details.get("cacheWriteTokens") != null) {
            wire.put("cache_creation_input_tokens", write);
        }
        return wire;
    }

    private static @Nullable Object snakeUsage(@Nullable Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, @Nullable Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(camelToSnake(String.valueOf(k)), snakeUsage(v)));
            return out;
        }
        return value;
    }

    private static String camelToSnake(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static Map<String, @Nullable Object> usageMap(LlmUsage usage) {
        Map<String, @Nullable Object> out = new LinkedHashMap<>();
        out.put("inputTokens", usage.inputTokens());
        out.put("outputTokens", usage.outputTokens());
        out.put("totalTokens", usage.totalTokens());
        if (usage.cachedInputTokens() != null) {
            out.put("cachedInputTokens", usage.cachedInputTokens());
        }
        return out;
    }

    /** §10: Java joins the text parts of a non-string system message instead of failing like the AI SDK. */
    private static void checkSystemPartsJoined(Map<String, @Nullable Object> input) {
        List<?> messages = (List<?>) ((List<?>) input.get("args")).get(0);
        StringBuilder system = new StringBuilder();
        List<Object> rest = new ArrayList<>();
        for (Object m : messages) {
            Map<String, @Nullable Object> msg = map(m);
            if ("system".equals(msg.get("role"))) {
                String t = AdapterSupport.text(msg.get("content"), "");
                if (t != null && !t.isEmpty()) {
                    system.append(system.length() == 0 ? "" : "\n\n").append(t);
                }
            } else {
                rest.add(m);
            }
        }
        AnthropicAdapter.Split split = AnthropicAdapter.splitSystem(messages);
        assertThat(split.system()).isEqualTo(system.length() == 0 ? null : system.toString());
        assertThat(split.messages()).isEqualTo(rest);
    }

    // ---- pricing --------------------------------------------------------------------------------------------

    private static @Nullable Object pricing(Map<String, @Nullable Object> input) {
        String model = (String) input.get("modelName");
        switch ((String) input.get("function")) {
            case "getModelPricing": {
                ModelPricing.Price p = ModelPricing.lookup(model);
                return p == null ? null : Map.of("input", p.input(), "output", p.output());
            }
            case "calculateCost": {
                double in = ((Number) input.get("inputTokens")).doubleValue();
                Object out = input.get("outputTokens");
                ModelPricing.Cost c = out instanceof Number n ? ModelPricing.cost(model, in, n.doubleValue())
                        : ModelPricing.cost(model, in);
                return Map.of("inputCostUsd", c.inputCostUsd(), "outputCostUsd", c.outputCostUsd(),
                        "totalCostUsd", c.totalCostUsd());
            }
            case "calculateRerankCost": {
                Object searches = input.get("searchCount");
                return ModelPricing.rerankCost(model, searches instanceof Number n ? n.intValue() : 1);
            }
            default:
                throw new AssertionError("no Java unit mapped for pricing function " + input.get("function"));
        }
    }

    // ---- comparison -----------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface Call {
        @Nullable Object run();
    }

    private static void check(Map<String, @Nullable Object> expected, Call call) {
        if (expected.containsKey("error")) {
            try {
                Object result = call.run();
                fail("expected error \"" + expected.get("error") + "\" but got " + result);
            } catch (AdapterConfigException | IllegalArgumentException e) {
                assertThat(e.getMessage()).isEqualTo(expected.get("error"));
            }
            return;
        }
        Object actual = call.run();
        Object want = toWire(expected.get("result"));
        String diff = JsonDiff.diffUndefinedAsNull(want, actual instanceof Map<?, ?> || actual instanceof List<?> ? plain(actual) : actual);
        if (diff != null) {
            fail(diff + "\n expected: " + want + "\n actual:   " + actual);
        }
    }

    /** Expected TS SDK field names rewritten to Java's wire names (adapters §10). */
    private static @Nullable Object toWire(@Nullable Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, @Nullable Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(WIRE_NAMES.getOrDefault(String.valueOf(k), String.valueOf(k)), toWire(v)));
            return out;
        }
        if (value instanceof List<?> l) {
            List<@Nullable Object> out = new ArrayList<>();
            l.forEach(v -> out.add(toWire(v)));
            return out;
        }
        return value;
    }

    private static @Nullable Object plain(Object value) {
        return Json.toPlain(Json.toNode(value));
    }

    // ---- decoding -------------------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private static Map<String, @Nullable Object> map(@Nullable Object value) {
        return value == null || value == JsUndefined.INSTANCE ? new LinkedHashMap<>()
                : (Map<String, @Nullable Object>) value;
    }

    /** A string argument; the vectors' {@code undefined} (an absent fall-back) is Java's null. */
    private static @Nullable String string(@Nullable Object value) {
        return value == JsUndefined.INSTANCE ? null : (String) value;
    }

    private static LlmConfig config(@Nullable Object value) {
        return MAPPER.convertValue(Json.toPlain(Json.toNode(value)), LlmConfig.class);
    }

    private static Function<String, @Nullable String> envOf(@Nullable Object value) {
        Map<String, @Nullable Object> env = map(value);
        return name -> env.get(name) instanceof String s ? s : null;
    }
}
