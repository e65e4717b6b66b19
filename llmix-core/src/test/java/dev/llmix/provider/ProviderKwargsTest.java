package dev.llmix.provider;

import dev.llmix.providers.ProviderSpecs;
import dev.llmix.internal.kwargs.ProviderKwargsTransforms;
import dev.llmix.spi.TransformKwargsCallback;
import dev.llmix.spi.TransformKwargsContext;
import static dev.llmix.provider.KwargsFixtures.HI;
import static dev.llmix.provider.KwargsFixtures.NO_ENV;
import static dev.llmix.provider.KwargsFixtures.assertJson;
import static dev.llmix.provider.KwargsFixtures.config;
import static dev.llmix.provider.KwargsFixtures.env;
import static dev.llmix.provider.KwargsFixtures.kwargsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmix.config.CommonParams;
import dev.llmix.config.LlmConfig;
import dev.llmix.internal.JsonStrings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The config → kwargs acceptance checks of provider-kwargs.md §11 (the parts that need no pipeline). */
class ProviderKwargsTest {

    // ---- what a user transform receives ----------------------------------------------------------------------

    @Test
    void aUserTransformSeesOnlyPlainJsonValuesNeverJsUndefined() {
        LlmConfig config = config("""
                {"provider":"openai","model":"gpt-4o-mini","common":{"temperature":0.2,"topP":0.9,"maxOutputTokens":256,
                 "topK":40,"presencePenalty":0.1,"frequencyPenalty":0.2,"stopSequences":["END"],"seed":7,
                 "enableThinking":true},"baseUrl":"https://example.test/v1",
                 "providerOptions":{"openai":{"reasoningEffort":"low","metadata":{"a":null,"b":[1,null]}}},
                 "responseFormat":{"type":"json_object"}}""");
        List<Object> seen = new ArrayList<>();
        TransformKwargsCallback recording = (ctx, kwargs) -> {
            seen.add(kwargs);
            seen.add(ctx.providerOptions());
            seen.add(ctx.messages());
            return kwargs;
        };

        ProviderKwargs.build(config, HI, Map.of("openai", recording));

        assertThat(seen).hasSize(3).allSatisfy(ProviderKwargsTest::assertPlainJson);
    }

    /** Only null, Boolean, Number, String, List and Map with String keys, all the way down. */
    private static void assertPlainJson(@Nullable Object value) {
        if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                assertThat(k).isInstanceOf(String.class);
                assertPlainJson(v);
            });
        } else if (value instanceof List<?> l) {
            l.forEach(ProviderKwargsTest::assertPlainJson);
        } else if (value != null) {
            assertThat(value).isInstanceOfAny(Boolean.class, Number.class, String.class);
        }
    }

    // ---- base mapping (checks 1–7) ---------------------------------------------------------------------------

    @Test
    void allNineBaseKeysComeFromCommonAndTopLevelResponseFormat() {
        assertJson(kwargsOf("""
                {"provider":"openai","model":"gpt-4o-mini","common":{"temperature":0.2,"topP":0.9,"maxOutputTokens":256,
                 "topK":40,"presencePenalty":0.1,"frequencyPenalty":0.2,"stopSequences":["END"],"seed":7},
                 "responseFormat":{"type":"json_object"}}"""), """
                {"temperature":0.2,"top_p":0.9,"max_tokens":256,"top_k":40,"presence_penalty":0.1,
                 "frequency_penalty":0.2,"stop":["END"],"seed":7,"response_format":{"type":"json_object"}}""");
    }

    @Test
    void configWithoutParametersGivesEmptyKwargs() {
        assertThat(kwargsOf("{\"provider\":\"openai\",\"model\":\"gpt-4o\"}")).isEmpty();
    }

    @Test
    void nonRequestCommonFieldsAreNotKwargs() {
        assertJson(kwargsOf("""
                {"provider":"openai","model":"gpt-4o","common":{"temperature":0.5,"enableThinking":true,
                 "keepThinkingOutput":true,"maxRetries":2}}"""), "{\"temperature\":0.5}");
    }

    @Test
    void falsyValuesAreKept() {
        assertJson(kwargsOf("""
                {"provider":"openai","model":"gpt-4o","common":{"temperature":0,"seed":0,"presencePenalty":0,
                 "frequencyPenalty":0,"stopSequences":[]}}"""), """
                {"temperature":0,"seed":0,"presence_penalty":0,"frequency_penalty":0,"stop":[]}""");
    }

    @Test
    void nullCommonValuesAreOmitted() {
        Map<String, @Nullable Object> kwargs = kwargsOf("""
                {"provider":"openai","model":"gpt-4o","common":{"temperature":null,"maxOutputTokens":null,"topP":0.5},
                 "responseFormat":null}""");
        assertJson(kwargs, "{\"top_p\":0.5}");
        assertThat(kwargs).doesNotContainKeys("temperature", "max_tokens", "response_format");
    }

    @Test
    void providerOptionsNeverEnterKwargs() {
        assertJson(kwargsOf("""
                {"provider":"openai","model":"gpt-4o","common":{"temperature":0.1},
                 "providerOptions":{"openai":{"reasoningEffort":"high"}}}"""), "{\"temperature\":0.1}");
    }

    @Test
    void configBaseUrlIsNotAKwargButIsTheEffectiveBaseUrl() {
        LlmConfig config = config("""
                {"provider":"openai","model":"gpt-4o","baseUrl":"https://proxy.example.com/v1"}""");
        Map<String, @Nullable Object> kwargs = ProviderKwargs.build(config, HI, ProviderSpecs.builtIn().transforms(NO_ENV, Map.of()));
        assertThat(kwargs).isEmpty();
        assertThat(ProviderKwargs.effectiveBaseUrl(kwargs, config)).isEqualTo("https://proxy.example.com/v1");
    }

    @Test
    void responseFormatStringPassesThroughAndCommonResponseFormatIsIgnored() {
        assertJson(kwargsOf("{\"provider\":\"openai\",\"model\":\"gpt-4o\",\"responseFormat\":\"json\"}"),
                "{\"response_format\":\"json\"}");
        assertThat(kwargsOf("""
                {"provider":"openai","model":"gpt-4o","common":{"responseFormat":{"type":"json_object"}}}""")).isEmpty();
    }

    @Test
    void numbersKeepTheirJavaType() {
        LlmConfig config = LlmConfig.builder("anthropic", "claude-sonnet-4-5")
                .common(CommonParams.builder().seed(7).maxOutputTokens(256L).temperature(0.5f).build()).build();
        Map<String, @Nullable Object> kwargs = ProviderKwargs.base(config);
        assertThat(kwargs.get("seed")).isInstanceOf(Integer.class).isEqualTo(7);
        assertThat(kwargs.get("max_tokens")).isInstanceOf(Long.class);
        assertThat(kwargs.get("temperature")).isInstanceOf(Float.class);
    }

    @Test
    void baseKwargsAreAFreshMutableMapPerCall() {
        LlmConfig config = config("{\"provider\":\"novita\",\"model\":\"m\",\"common\":{\"temperature\":0.4}}");
        Map<String, @Nullable Object> first = ProviderKwargs.base(config);
        first.put("extra", true);
        assertThat(ProviderKwargs.base(config)).containsOnlyKeys("temperature");
    }

    // ---- OpenAI (checks 8–13) --------------------------------------------------------------------------------

    @Test
    void oSeriesDropsSamplingAndRenamesMaxTokens() {
        assertJson(kwargsOf("""
                {"provider":"openai","model":"o3-mini","common":{"temperature":0.5,"topP":0.8,"maxOutputTokens":100,
                 "seed":1}}"""), "{\"seed\":1,\"max_completion_tokens\":100}");
    }

    @Test
    void gpt5ChatLatestIsAReasoningModel() {
        assertJson(kwargsOf("""
                {"provider":"openai","model":"gpt-5-chat-latest","common":{"temperature":0.7,"topP":0.9,
                 "maxOutputTokens":64}}"""), "{\"max_completion_tokens\":64}");
    }

    @Test
    void reasoningModelWithoutMaxTokensGetsNoCap() {
        assertJson(kwargsOf("""
                {"provider":"openai","model":"gpt-5-mini","common":{"temperature":1,"presencePenalty":0.2}}"""),
                "{\"presence_penalty\":0.2}");
    }

    @Test
    void vendorPrefixedAndUpperCaseModelIdsAreClassified() {
        assertJson(kwargsOf("""
                {"provider":"openai","model":"openai/gpt-5.6-luna","common":{"temperature":0.2,"maxOutputTokens":50}}"""),
                "{\"max_completion_tokens\":50}");
        assertThat(kwargsOf("""
                {"provider":"openai","model":"GPT-5.2","common":{"temperature":0.2,"topP":0.3}}""")).isEmpty();
    }

    @Test
    void standardOpenAiModelsKeepSamplingAndMaxTokens() {
        for (String model : List.of("omni-moderation-latest", "gpt-4.1", "gpt-4o")) {
            assertJson(kwargsOf("{\"provider\":\"openai\",\"model\":\"" + model
                    + "\",\"common\":{\"temperature\":0.3,\"topP\":0.4,\"maxOutputTokens\":5}}"),
                    "{\"temperature\":0.3,\"top_p\":0.4,\"max_tokens\":5}");
        }
    }

    @Test
    void glmOnOpenAiIsTreatedAsReasoning() {
        assertJson(kwargsOf("""
                {"provider":"openai","model":"glm-5.2","common":{"temperature":0.2,"maxOutputTokens":9}}"""),
                "{\"max_completion_tokens\":9}");
    }

    // ---- pass-through providers (checks 16–18) ---------------------------------------------------------------

    @Test
    void anthropicGetsBaseKwargsOnly() {
        assertJson(kwargsOf("""
                {"provider":"anthropic","model":"claude-sonnet-4-5","common":{"temperature":0.2,"topP":0.9,
                 "maxOutputTokens":256,"topK":40,"presencePenalty":0.1,"frequencyPenalty":0.2,"stopSequences":["END"],
                 "seed":7,"enableThinking":true},
                 "providerOptions":{"anthropic":{"thinking":{"type":"enabled","budgetTokens":2048}}}}"""), """
                {"temperature":0.2,"top_p":0.9,"max_tokens":256,"top_k":40,"presence_penalty":0.1,
                 "frequency_penalty":0.2,"stop":["END"],"seed":7}""");
    }

    @Test
    void deepinfraThinkingOptionsStayOutOfKwargs() {
        assertJson(kwargsOf("""
                {"provider":"deepinfra","model":"Qwen/Qwen3-32B","common":{"temperature":0.2,"maxOutputTokens":512,
                 "enableThinking":true},"providerOptions":{"deepinfra":{"enableThinking":false,"thinkingBudget":128}}}"""),
                "{\"temperature\":0.2,\"max_tokens\":512}");
    }

    @Test
    void novitaTogetherAndUnknownProvidersHaveNoTransform() {
        for (String provider : List.of("novita", "together", "mistral", "OpenAI")) {
            assertJson(kwargsOf("{\"provider\":\"" + provider + "\",\"model\":\"o3-mini\",\"common\":"
                    + "{\"temperature\":0.4,\"topK\":48,\"stopSequences\":[\"FINAL\"]}}"),
                    "{\"temperature\":0.4,\"top_k\":48,\"stop\":[\"FINAL\"]}");
        }
    }

    // ---- Gemini (checks 19–23) -------------------------------------------------------------------------------

    @Test
    void geminiDefaultsToThinkingBudgetZero() {
        assertJson(kwargsOf("""
                {"provider":"google","model":"gemini-2.5-flash","common":{"temperature":0.3,"maxOutputTokens":64}}"""),
                "{\"temperature\":0.3,\"max_tokens\":64,\"thinkingConfig\":{\"thinkingBudget\":0}}");
    }

    @Test
    void geminiEnableThinkingSuppressesTheDefaultBudget() {
        assertThat(kwargsOf("""
                {"provider":"google","model":"gemini-2.5-flash","common":{"enableThinking":true}}""")).isEmpty();
        assertJson(kwargsOf("""
                {"provider":"google","model":"gemini-2.5-flash","common":{"enableThinking":false}}"""),
                "{\"thinkingConfig\":{\"thinkingBudget\":0}}");
    }

    @Test
    void geminiExplicitBudgetWins() {
        assertJson(kwargsOf("""
                {"provider":"google","model":"gemini-2.5-flash",
                 "providerOptions":{"google":{"thinkingConfig":{"thinkingBudget":4096}}}}"""),
                "{\"thinkingConfig\":{\"thinkingBudget\":4096}}");
        assertJson(kwargsOf("""
                {"provider":"google","model":"gemini-2.5-flash","common":{"enableThinking":true},
                 "providerOptions":{"google":{"thinkingConfig":{"thinkingBudget":0}}}}"""),
                "{\"thinkingConfig\":{\"thinkingBudget\":0}}");
        assertJson(kwargsOf("""
                {"provider":"google","model":"gemini-2.5-flash",
                 "providerOptions":{"google":{"thinkingConfig":{"thinkingBudget":-1}}}}"""),
                "{\"thinkingConfig\":{\"thinkingBudget\":-1}}");
    }

    @Test
    void geminiIgnoresFlatSnakeCaseAndNonIntegerBudgets() {
        for (String google : List.of("{\"thinkingBudget\":1024}", "{\"thinking_config\":{\"thinking_budget\":512}}",
                "{\"thinkingConfig\":{\"thinkingBudget\":\"1024\"}}", "{\"thinkingConfig\":{\"thinkingBudget\":1.5}}",
                "{\"thinkingConfig\":{\"thinkingBudget\":null}}")) {
            assertJson(kwargsOf("{\"provider\":\"google\",\"model\":\"gemini-2.5-flash\",\"providerOptions\":{\"google\":"
                    + google + "}}"), "{\"thinkingConfig\":{\"thinkingBudget\":0}}");
        }
    }

    @Test
    void geminiAliasUsesTheSameTransform() {
        assertJson(kwargsOf("{\"provider\":\"gemini\",\"model\":\"gemini-2.5-flash\"}"),
                "{\"thinkingConfig\":{\"thinkingBudget\":0}}");
    }

    // ---- OpenRouter / DeepSeek (checks 25–29) ----------------------------------------------------------------

    @Test
    void deepseekUsesTheOpenRouterDefaultRouting() {
        assertJson(kwargsOf("""
                {"provider":"deepseek","model":"deepseek-chat","common":{"temperature":0.3,"maxOutputTokens":100}}"""),
                "{\"temperature\":0.3,\"max_tokens\":100,\"extra_body\":{\"provider\":{\"sort\":\"price\"}}}");
    }

    @Test
    void openrouterProviderOptionReplacesTheDefault() {
        assertJson(kwargsOf("""
                {"provider":"openrouter","model":"x/y","providerOptions":{"openrouter":
                 {"provider":{"order":["deepinfra","together"],"allow_fallbacks":false}}}}"""),
                "{\"extra_body\":{\"provider\":{\"order\":[\"deepinfra\",\"together\"],\"allow_fallbacks\":false}}}");
    }

    @Test
    void openrouterReasoningOptionIsForwarded() {
        assertJson(kwargsOf("""
                {"provider":"openrouter","model":"x/y","providerOptions":{"openrouter":
                 {"reasoning":{"effort":"high","exclude":true}}}}"""),
                "{\"extra_body\":{\"provider\":{\"sort\":\"price\"},\"reasoning\":{\"effort\":\"high\",\"exclude\":true}}}");
    }

    @Test
    void deepseekReadsOpenRouterOptions() {
        assertJson(kwargsOf("""
                {"provider":"deepseek","model":"deepseek-chat","providerOptions":{"openrouter":
                 {"provider":{"sort":"throughput"}},"deepseek":{"thinking":true}}}"""),
                "{\"extra_body\":{\"provider\":{\"sort\":\"throughput\"}}}");
    }

    @Test
    void openrouterNonObjectOptionsAreIgnored() {
        assertJson(kwargsOf("""
                {"provider":"openrouter","model":"x/y","providerOptions":{"openrouter":
                 {"provider":null,"reasoning":null}}}"""), "{\"extra_body\":{\"provider\":{\"sort\":\"price\"}}}");
        assertJson(kwargsOf("""
                {"provider":"openrouter","model":"x/y","providerOptions":{"openrouter":
                 {"provider":"cheap","reasoning":"high"}}}"""), "{\"extra_body\":{\"provider\":{\"sort\":\"price\"}}}");
    }

    @Test
    void openrouterKeepsSamplingForReasoningModels() {
        assertJson(kwargsOf("""
                {"provider":"openrouter","model":"openai/gpt-5","common":{"temperature":0.7,"topP":0.9,
                 "maxOutputTokens":100}}"""),
                "{\"temperature\":0.7,\"top_p\":0.9,\"max_tokens\":100,\"extra_body\":{\"provider\":{\"sort\":\"price\"}}}");
    }

    // ---- sno-gpu (checks 31–37) ------------------------------------------------------------------------------

    @Test
    void snoGpuBuildsBaseUrlFromConfigAndGpuPath() {
        LlmConfig config = config("""
                {"provider":"sno-gpu","model":"q","baseUrl":"https://gpu.example.com",
                 "common":{"maxOutputTokens":128},"providerOptions":{"sno-gpu":{"gpuPath":"extract"}}}""");
        Map<String, @Nullable Object> kwargs = ProviderKwargs.build(config, HI, ProviderSpecs.builtIn().transforms(NO_ENV, Map.of()));
        assertJson(kwargs, "{\"max_tokens\":128,\"baseUrl\":\"https://gpu.example.com/extract/v1\"}");
        assertThat(ProviderKwargs.effectiveBaseUrl(kwargs, config)).isEqualTo("https://gpu.example.com/extract/v1");
    }

    @Test
    void snoGpuBaseUrlVariants() {
        assertThat(snoGpuBaseUrl("https://gpu.example.com", null)).isEqualTo("https://gpu.example.com/v1");
        assertThat(snoGpuBaseUrl("https://gpu.example.com/v1///", "reason"))
                .isEqualTo("https://gpu.example.com/reason/v1");
        assertThat(snoGpuBaseUrl("https://lb.example.com/llm/", "reason"))
                .isEqualTo("https://lb.example.com/llm/reason/v1");
        assertThat(snoGpuBaseUrl("https://gpu.example.com", "team/graph-extract_2"))
                .isEqualTo("https://gpu.example.com/team/graph-extract_2/v1");
        assertThat(snoGpuBaseUrl("https://gpu.example.com", "")).isEqualTo("https://gpu.example.com/v1");
        assertThat(snoGpuBaseUrl("https://gpu.example.com/v1/v1", null)).isEqualTo("https://gpu.example.com/v1/v1");
        String path256 = "b".repeat(256);
        assertThat(snoGpuBaseUrl("https://gpu.example.com", path256))
                .isEqualTo("https://gpu.example.com/" + path256 + "/v1");
    }

    @Test
    void snoGpuFallsBackToGpuBaseUrlEnv() {
        var registry = ProviderSpecs.builtIn().transforms(env("GPU_BASE_URL", "https://env-gpu.example.com/"), Map.of());
        assertJson(ProviderKwargs.build(config("""
                {"provider":"sno-gpu","model":"q","providerOptions":{"sno-gpu":{"gpuPath":"extract"}}}"""), HI, registry),
                "{\"baseUrl\":\"https://env-gpu.example.com/extract/v1\"}");
        assertJson(ProviderKwargs.build(config("""
                {"provider":"sno-gpu","model":"q","baseUrl":""}"""), HI, registry),
                "{\"baseUrl\":\"https://env-gpu.example.com/v1\"}");
        assertJson(ProviderKwargs.build(config("""
                {"provider":"sno-gpu","model":"q","baseUrl":"https://cfg.example.com"}"""), HI, registry),
                "{\"baseUrl\":\"https://cfg.example.com/v1\"}");
    }

    @Test
    void snoGpuReadsTheEnvironmentAtCallTime() {
        AtomicReference<@Nullable String> gpuBaseUrl = new AtomicReference<>("https://one.example.com");
        var registry = ProviderSpecs.builtIn().transforms(name -> name.equals("GPU_BASE_URL") ? gpuBaseUrl.get() : null, Map.of());
        LlmConfig config = config("{\"provider\":\"sno-gpu\",\"model\":\"q\"}");
        assertJson(ProviderKwargs.build(config, HI, registry), "{\"baseUrl\":\"https://one.example.com/v1\"}");
        gpuBaseUrl.set("https://two.example.com");
        assertJson(ProviderKwargs.build(config, HI, registry), "{\"baseUrl\":\"https://two.example.com/v1\"}");
    }

    @Test
    void snoGpuWithoutBaseUrlFails() {
        String message = "sno-gpu provider requires a non-empty base_url in config or GPU_BASE_URL env var";
        assertThatThrownBy(() -> kwargsOf("{\"provider\":\"sno-gpu\",\"model\":\"q\"}"))
                .isInstanceOf(ProviderKwargsException.class).hasMessage(message);
        var withEnv = ProviderSpecs.builtIn().transforms(env("GPU_BASE_URL", "https://env.example.com"), Map.of());
        assertThatThrownBy(() -> ProviderKwargs.build(config(
                "{\"provider\":\"sno-gpu\",\"model\":\"q\",\"baseUrl\":\"/v1\"}"), HI, withEnv))
                .isInstanceOf(ProviderKwargsException.class).hasMessage(message);
    }

    @Test
    void snoGpuBlankBaseUrlFailsInsteadOfBuildingAWhitespaceUrl() {
        assertThatThrownBy(() -> kwargsOf("{\"provider\":\"sno-gpu\",\"model\":\"q\",\"baseUrl\":\"   \"}"))
                .isInstanceOf(ProviderKwargsException.class)
                .hasMessage("sno-gpu provider requires a non-empty base_url in config or GPU_BASE_URL env var");
        var blankEnv = ProviderSpecs.builtIn().transforms(env("GPU_BASE_URL", " \t/"), Map.of());
        assertThatThrownBy(() -> ProviderKwargs.build(config("{\"provider\":\"sno-gpu\",\"model\":\"q\"}"), HI,
                blankEnv)).isInstanceOf(ProviderKwargsException.class);
    }

    @Test
    void snoGpuRejectsUnsafeGpuPaths() {
        List<Object> unsafe = new ArrayList<>(List.of("../escape", "a/../b", "extract/", "/extract", "a//b", "v1.2",
                "a b", "extrakt-\u00fc", "x?y=1", "a".repeat(257), "a\n", "..", "./a"));
        for (Object path : unsafe) {
            assertThatThrownBy(() -> snoGpuBaseUrl("https://gpu.example.com", path))
                    .as("gpuPath %s", path)
                    .isInstanceOf(ProviderKwargsException.class)
                    .hasMessage("Invalid gpu_path: " + JsonStrings.quote((String) path)
                            + ". Must be a safe relative path using letters, digits, \"_\", \"-\", or \"/\".");
        }
    }

    @Test
    void gpuPathErrorQuotesThePathAsJson() {
        assertThatThrownBy(() -> snoGpuBaseUrl("https://g.example", "../escape")).hasMessage(
                "Invalid gpu_path: \"../escape\". Must be a safe relative path using letters, digits, \"_\", \"-\", or \"/\".");
        assertThatThrownBy(() -> snoGpuBaseUrl("https://g.example", "a\"b\\c\td\u0001\u00fc")).hasMessageStartingWith(
                "Invalid gpu_path: \"a\\\"b\\\\c\\td\\u0001\u00fc\".");
    }

    @Test
    void snoGpuRejectsNonStringGpuPath() {
        assertThatThrownBy(() -> snoGpuBaseUrl("https://g.example", 42))
                .isInstanceOf(ProviderKwargsException.class).hasMessageStartingWith("Invalid gpu_path: 42.");
        assertThatThrownBy(() -> snoGpuBaseUrl("https://g.example", List.of("a")))
                .isInstanceOf(ProviderKwargsException.class).hasMessageStartingWith("Invalid gpu_path: ");
    }

    @Test
    void snoGpuSurfacesThinkingSettingsFromProviderOptions() {
        assertJson(kwargsOf("""
                {"provider":"sno-gpu","model":"q","baseUrl":"https://gpu.example.com",
                 "providerOptions":{"sno-gpu":{"gpuPath":"reason","enableThinking":true,"thinkingBudget":2048}}}"""),
                "{\"baseUrl\":\"https://gpu.example.com/reason/v1\",\"enableThinking\":true,\"thinkingBudget\":2048}");
    }

    @Test
    void snoGpuThinkingPrecedenceIsOptionsThenCommon() {
        assertJson(kwargsOf("""
                {"provider":"sno-gpu","model":"q","baseUrl":"https://g.example","common":{"enableThinking":false}}"""),
                "{\"baseUrl\":\"https://g.example/v1\",\"enableThinking\":false}");
        assertJson(kwargsOf("""
                {"provider":"sno-gpu","model":"q","baseUrl":"https://g.example","common":{"enableThinking":true},
                 "providerOptions":{"sno-gpu":{"enableThinking":false}}}"""),
                "{\"baseUrl\":\"https://g.example/v1\",\"enableThinking\":false}");
        assertJson(kwargsOf("""
                {"provider":"sno-gpu","model":"q","baseUrl":"https://g.example",
                 "providerOptions":{"sno-gpu":{"thinkingBudget":512}}}"""),
                "{\"baseUrl\":\"https://g.example/v1\",\"thinkingBudget\":512}");
    }

    @Test
    void snoGpuIgnoresNonBooleanEnableThinkingOption() {
        assertJson(kwargsOf("""
                {"provider":"sno-gpu","model":"q","baseUrl":"https://gpu.example.com",
                 "providerOptions":{"sno-gpu":{"enableThinking":"yes"}}}"""),
                "{\"baseUrl\":\"https://gpu.example.com/v1\"}");
    }

    // ---- overrides (checks 40–46) ----------------------------------------------------------------------------

    @Test
    void identityOverrideAndNoneBothGiveBaseKwargs() {
        LlmConfig config = config("""
                {"provider":"openai","model":"o3-mini","common":{"temperature":0.5,"maxOutputTokens":100}}""");
        for (TransformKwargsCallback override : List.<TransformKwargsCallback>of((ctx, kw) -> kw,
                TransformKwargsCallback.none())) {
            var registry = ProviderSpecs.builtIn().transforms(NO_ENV, Map.of("openai", override));
            assertJson(ProviderKwargs.build(config, HI, registry), "{\"temperature\":0.5,\"max_tokens\":100}");
        }
    }

    @Test
    void overrideCanAddATransformForAProviderWithoutBuiltIn() {
        var registry = ProviderSpecs.builtIn().transforms(NO_ENV, Map.of("anthropic", ProviderKwargsTest::tagCustom));
        assertJson(ProviderKwargs.build(config("""
                {"provider":"anthropic","model":"claude-sonnet-4-5","common":{"temperature":0.2}}"""), HI, registry),
                "{\"temperature\":0.2,\"custom_flag\":true}");
    }

    @Test
    void replacingSnoGpuSkipsPathValidationAndBaseUrlBuilding() {
        LlmConfig config = config("""
                {"provider":"sno-gpu","model":"q","baseUrl":"https://gpu.example.com",
                 "providerOptions":{"sno-gpu":{"gpuPath":"../escape"}}}""");
        var registry = ProviderSpecs.builtIn().transforms(NO_ENV, Map.of("sno-gpu", (ctx, kw) -> kw));
        Map<String, @Nullable Object> kwargs = ProviderKwargs.build(config, HI, registry);
        assertThat(kwargs).isEmpty();
        assertThat(ProviderKwargs.effectiveBaseUrl(kwargs, config)).isEqualTo("https://gpu.example.com");
    }

    @Test
    void baseUrlReturnedByAnOverrideBecomesTheEffectiveBaseUrl() {
        LlmConfig config = config("{\"provider\":\"openai\",\"model\":\"gpt-4o\",\"baseUrl\":\"https://a.example\"}");
        var registry = ProviderSpecs.builtIn().transforms(NO_ENV, Map.of("openai", (ctx, kw) -> {
            Map<String, @Nullable Object> out = new LinkedHashMap<>(kw);
            out.put("baseUrl", ctx.baseUrl() + "/v1");
            return out;
        }));
        Map<String, @Nullable Object> kwargs = ProviderKwargs.build(config, HI, registry);
        assertJson(kwargs, "{\"baseUrl\":\"https://a.example/v1\"}");
        assertThat(ProviderKwargs.effectiveBaseUrl(kwargs, config)).isEqualTo("https://a.example/v1");
    }

    @Test
    void overrideCanChainTheBuiltIn() {
        var registry = ProviderSpecs.builtIn().transforms(NO_ENV, Map.of("openrouter",
                (ctx, kw) -> tagCustom(ctx, ProviderKwargsTransforms.openrouter().apply(ctx, kw))));
        assertJson(ProviderKwargs.build(config("""
                {"provider":"openrouter","model":"x/y","common":{"temperature":0.2}}"""), HI, registry),
                "{\"temperature\":0.2,\"extra_body\":{\"provider\":{\"sort\":\"price\"}},\"custom_flag\":true}");
    }

    @Test
    void overrideForAnotherProviderHasNoEffect() {
        var registry = ProviderSpecs.builtIn().transforms(NO_ENV, Map.of("openai", ProviderKwargsTest::tagCustom));
        assertJson(ProviderKwargs.build(config("""
                {"provider":"google","model":"gemini-2.5-flash","common":{"temperature":0.2}}"""), HI, registry),
                "{\"temperature\":0.2,\"thinkingConfig\":{\"thinkingBudget\":0}}");
    }

    @Test
    void overrideSeesTheCallContext() {
        AtomicReference<@Nullable TransformKwargsContext> seen = new AtomicReference<>();
        var registry = ProviderSpecs.builtIn().transforms(NO_ENV, Map.of("google", (ctx, kw) -> {
            seen.set(ctx);
            return kw;
        }));
        LlmConfig config = config("""
                {"provider":"google","model":"gemini-2.5-flash","baseUrl":"https://g.example/v1beta",
                 "common":{"temperature":0.4,"topP":0.8,"maxOutputTokens":10,"enableThinking":true,"seed":3},
                 "providerOptions":{"google":{"thinkingConfig":{"includeThoughts":true}}}}""");
        List<Map<String, String>> messages = List.of(Map.of("role", "system", "content", "be brief"),
                Map.of("role", "user", "content", "hi"));
        ProviderKwargs.build(config, messages, registry);
        assertThat(seen.get()).isEqualTo(new TransformKwargsContext("gemini-2.5-flash", "google", messages, 0.4, 0.8,
                config.providerOptions(), "https://g.example/v1beta", true));
        assertThat(seen.get().messages()).isSameAs(messages);
    }

    @Test
    void contextOfAMinimalConfigHasOnlyModelAndProvider() {
        TransformKwargsContext ctx = TransformKwargsContext.of(LlmConfig.builder("openai", "gpt-4o").build(), HI);
        assertThat(ctx).isEqualTo(new TransformKwargsContext("gpt-4o", "openai", HI, null, null, null, null, null));
    }

    // ---- errors and effective base URL -----------------------------------------------------------------------

    @Test
    void overrideExceptionIsWrappedWithItsMessage() {
        IllegalStateException boom = new IllegalStateException("override exploded");
        var registry = ProviderSpecs.builtIn().transforms(NO_ENV, Map.of("openai", (ctx, kw) -> {
            throw boom;
        }));
        assertThatThrownBy(() -> ProviderKwargs.build(config("{\"provider\":\"openai\",\"model\":\"gpt-4o\"}"), HI,
                registry)).isInstanceOf(ProviderKwargsException.class).hasMessage("override exploded").hasCause(boom);
    }

    @Test
    void providerKwargsExceptionFromATransformIsNotWrappedAgain() {
        assertThatThrownBy(() -> kwargsOf("{\"provider\":\"sno-gpu\",\"model\":\"q\"}"))
                .isExactlyInstanceOf(ProviderKwargsException.class).hasNoCause();
        assertThat(new ProviderKwargsException("x")).isInstanceOf(dev.llmix.LlmixLocalException.class);
    }

    @Test
    void transformReturningNullIsAnError() {
        var registry = ProviderSpecs.builtIn().transforms(NO_ENV, Map.of("openai", (ctx, kw) -> null));
        assertThatThrownBy(() -> ProviderKwargs.build(config("{\"provider\":\"openai\",\"model\":\"gpt-4o\"}"), HI,
                registry)).isInstanceOf(ProviderKwargsException.class).hasMessageContaining("\"openai\"");
    }

    @Test
    void immutableOverrideResultIsCopiedIntoAMutableMap() {
        var registry = ProviderSpecs.builtIn().transforms(NO_ENV, Map.of("openai", (ctx, kw) -> Map.of("a", 1)));
        Map<String, @Nullable Object> kwargs = ProviderKwargs.build(
                config("{\"provider\":\"openai\",\"model\":\"gpt-4o\"}"), HI, registry);
        kwargs.put("b", 2);
        assertThat(kwargs).containsOnlyKeys("a", "b");
    }

    @Test
    void effectiveBaseUrlPrefersNonBlankKwargsBaseUrlThenBaseUrlSnakeThenConfig() {
        LlmConfig config = config("{\"provider\":\"x\",\"model\":\"m\",\"baseUrl\":\"https://cfg.example\"}");
        LlmConfig noBase = config("{\"provider\":\"x\",\"model\":\"m\"}");
        assertThat(ProviderKwargs.effectiveBaseUrl(Map.of("baseUrl", " https://k.example "), config))
                .isEqualTo(" https://k.example ");
        assertThat(ProviderKwargs.effectiveBaseUrl(Map.of("baseUrl", "  ", "base_url", "https://s.example"), config))
                .isEqualTo("https://s.example");
        assertThat(ProviderKwargs.effectiveBaseUrl(Map.of("baseUrl", 42, "base_url", "\u3000"), config))
                .isEqualTo("https://cfg.example");
        assertThat(ProviderKwargs.effectiveBaseUrl(Map.of(), noBase)).isEmpty();
    }

    private static String snoGpuBaseUrl(String base, @Nullable Object gpuPath) {
        Map<String, @Nullable Object> options = new LinkedHashMap<>();
        options.put("gpuPath", gpuPath);
        TransformKwargsContext ctx = new TransformKwargsContext("q", "sno-gpu", HI, null, null,
                Map.of("sno-gpu", options), base, null);
        return (String) ProviderKwargsTransforms.snoGpu(NO_ENV).apply(ctx, Map.of()).get("baseUrl");
    }

    private static Map<String, @Nullable Object> tagCustom(TransformKwargsContext ctx, Map<String, @Nullable Object> kw) {
        Map<String, @Nullable Object> out = new LinkedHashMap<>(kw);
        out.put("custom_flag", true);
        return out;
    }
}
