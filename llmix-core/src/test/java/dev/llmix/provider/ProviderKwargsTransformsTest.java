package dev.llmix.provider;

import dev.llmix.providers.ProviderSpecs;
import dev.llmix.internal.kwargs.ProviderKwargsTransforms;
import dev.llmix.spi.TransformKwargsCallback;
import dev.llmix.spi.TransformKwargsContext;
import static dev.llmix.provider.KwargsFixtures.HI;
import static dev.llmix.provider.KwargsFixtures.NO_ENV;
import static dev.llmix.provider.KwargsFixtures.assertJson;
import static dev.llmix.provider.KwargsFixtures.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmix.testsupport.JsonDiff;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Direct calls of the built-in transforms (provider-kwargs.md §11 checks 14, 15, 24, 30, 38) and the registry. */
class ProviderKwargsTransformsTest {

    private static TransformKwargsContext ctx(String provider, String model, @Nullable String providerOptionsJson) {
        return new TransformKwargsContext(model, provider, HI, null, null,
                providerOptionsJson == null ? null : obj(providerOptionsJson), "https://gpu.example.com", null);
    }

    private static Map<String, @Nullable Object> run(TransformKwargsCallback t, TransformKwargsContext ctx,
            String kwargsJson) {
        Map<String, @Nullable Object> kwargs = obj(kwargsJson);
        Map<String, @Nullable Object> before = obj(kwargsJson);
        Map<String, @Nullable Object> result = t.apply(ctx, kwargs);
        assertThat(JsonDiff.diff(before, kwargs)).as("input kwargs must not be mutated").isNull();
        return result;
    }

    @Test
    void openaiKeepsBothCapsWhenBothArePresent() {
        assertJson(run(ProviderKwargsTransforms.openai(), ctx("openai", "gpt-5", null),
                "{\"max_tokens\":100,\"max_completion_tokens\":200,\"temperature\":1}"),
                "{\"max_tokens\":100,\"max_completion_tokens\":200}");
    }

    @Test
    void openaiLeavesCamelCaseKeysAlone() {
        assertJson(run(ProviderKwargsTransforms.openai(), ctx("openai", "o5-mini", null),
                "{\"temperature\":0.5,\"topP\":0.8,\"maxTokens\":256}"), "{\"topP\":0.8,\"maxTokens\":256}");
    }

    @Test
    void openaiReturnsTheSameMapForStandardModels() {
        Map<String, @Nullable Object> kwargs = obj("{\"temperature\":0.5}");
        assertThat(ProviderKwargsTransforms.openai().apply(ctx("openai", "gpt-4o", null), kwargs)).isSameAs(kwargs);
    }

    @Test
    void openaiNullMaxTokensDoesNotBecomeANullCap() {
        Map<String, @Nullable Object> kwargs = new HashMap<>();
        kwargs.put("max_tokens", null);
        kwargs.put("temperature", 0.5);
        assertThat(ProviderKwargsTransforms.openai().apply(ctx("openai", "o3", null), kwargs)).isEmpty();
    }

    @Test
    void geminiExistingBudgetWinsOverOptions() {
        assertJson(run(ProviderKwargsTransforms.gemini(),
                ctx("google", "gemini-2.5-pro", "{\"google\":{\"thinkingConfig\":{\"thinkingBudget\":2048}}}"),
                "{\"thinkingConfig\":{\"thinkingBudget\":999}}"), "{\"thinkingConfig\":{\"thinkingBudget\":999}}");
    }

    @Test
    void geminiMergesTheBudgetIntoAnExistingThinkingConfig() {
        assertJson(run(ProviderKwargsTransforms.gemini(), ctx("google", "gemini-2.5-pro", null),
                "{\"thinkingConfig\":{\"includeThoughts\":true}}"),
                "{\"thinkingConfig\":{\"includeThoughts\":true,\"thinkingBudget\":0}}");
    }

    @Test
    void geminiReplacesANonObjectThinkingConfig() {
        assertJson(run(ProviderKwargsTransforms.gemini(), ctx("google", "gemini-2.5-pro", null),
                "{\"thinkingConfig\":\"high\"}"), "{\"thinkingConfig\":{\"thinkingBudget\":0}}");
    }

    @Test
    void openrouterMergesIntoExistingExtraBody() {
        TransformKwargsContext ctx = ctx("openrouter", "x/y", "{\"openrouter\":{\"provider\":{\"sort\":\"throughput\"}}}");
        assertJson(run(ProviderKwargsTransforms.openrouter(), ctx, "{\"extra_body\":{\"custom\":\"value\"}}"),
                "{\"extra_body\":{\"custom\":\"value\",\"provider\":{\"sort\":\"throughput\"}}}");
        assertJson(run(ProviderKwargsTransforms.openrouter(), ctx, "{\"extra_body\":{\"provider\":{\"sort\":\"latency\"}}}"),
                "{\"extra_body\":{\"provider\":{\"sort\":\"latency\"}}}");
        assertJson(run(ProviderKwargsTransforms.openrouter(), ctx("openrouter", "x/y", null), "{\"extra_body\":[\"x\"]}"),
                "{\"extra_body\":{\"provider\":{\"sort\":\"price\"}}}");
    }

    @Test
    void snoGpuExistingSnakeEnableThinkingBlocksInjection() {
        TransformKwargsContext ctx = ctx("sno-gpu", "q", "{\"sno-gpu\":{\"enableThinking\":true}}");
        assertJson(run(ProviderKwargsTransforms.snoGpu(NO_ENV), ctx, "{\"enable_thinking\":false}"),
                "{\"enable_thinking\":false,\"baseUrl\":\"https://gpu.example.com/v1\"}");
    }

    @Test
    void snoGpuExplicitKwargsWinOverOptions() {
        TransformKwargsContext ctx = ctx("sno-gpu", "q",
                "{\"sno-gpu\":{\"enableThinking\":true,\"thinkingBudget\":2048}}");
        assertJson(run(ProviderKwargsTransforms.snoGpu(NO_ENV), ctx, "{\"enableThinking\":false,\"thinkingBudget\":512}"),
                "{\"enableThinking\":false,\"thinkingBudget\":512,\"baseUrl\":\"https://gpu.example.com/v1\"}");
        assertJson(run(ProviderKwargsTransforms.snoGpu(NO_ENV), ctx, "{\"thinking_budget\":64}"),
                "{\"thinking_budget\":64,\"enableThinking\":true,\"baseUrl\":\"https://gpu.example.com/v1\"}");
    }

    @Test
    void snoGpuNonBooleanKwargBlocksInjection() {
        TransformKwargsContext ctx = ctx("sno-gpu", "q", "{\"sno-gpu\":{\"enableThinking\":true}}");
        assertJson(run(ProviderKwargsTransforms.snoGpu(NO_ENV), ctx, "{\"enableThinking\":\"no\"}"),
                "{\"enableThinking\":\"no\",\"baseUrl\":\"https://gpu.example.com/v1\"}");
    }

    @Test
    void snoGpuOverwritesAnExistingBaseUrl() {
        TransformKwargsContext ctx = ctx("sno-gpu", "q", "{\"sno-gpu\":{\"gpuPath\":\"extract\"}}");
        assertJson(run(ProviderKwargsTransforms.snoGpu(NO_ENV), ctx, "{\"baseUrl\":\"ignored\"}"),
                "{\"baseUrl\":\"https://gpu.example.com/extract/v1\"}");
    }

    @Test
    void snoGpuBaseUrlHelperUsesTheCallersMissingBaseMessage() {
        assertThat(ProviderKwargsTransforms.snoGpuBaseUrl("https://g.example/", "a/b", "unused"))
                .isEqualTo("https://g.example/a/b/v1");
        assertThatThrownBy(() -> ProviderKwargsTransforms.snoGpuBaseUrl("", null,
                "sno-gpu provider requires GPU_BASE_URL")).isInstanceOf(ProviderKwargsException.class)
                .hasMessage("sno-gpu provider requires GPU_BASE_URL");
    }

    @Test
    void builtInRegistryHasExactlySixEntries() {
        Map<String, TransformKwargsCallback> builtIns = ProviderSpecs.builtIn().transforms(NO_ENV, Map.of());
        assertThat(builtIns).containsOnlyKeys("openai", "openrouter", "deepseek", "google", "gemini", "sno-gpu");
        assertThat(builtIns.get("openai")).isSameAs(ProviderKwargsTransforms.openai());
        assertThat(builtIns.get("deepseek")).isSameAs(ProviderKwargsTransforms.openrouter());
        assertThat(builtIns.get("openrouter")).isSameAs(ProviderKwargsTransforms.openrouter());
        assertThat(builtIns.get("gemini")).isSameAs(ProviderKwargsTransforms.gemini());
        assertThat(builtIns.get("google")).isSameAs(ProviderKwargsTransforms.gemini());
        assertThat(ProviderSpecs.builtIn().transforms(System::getenv, Map.of())).containsOnlyKeys(builtIns.keySet());
    }

    @Test
    void registryOverlaysOverridesOnBuiltIns() {
        TransformKwargsCallback custom = (ctx, kw) -> kw;
        Map<String, TransformKwargsCallback> registry = ProviderSpecs.builtIn().transforms(NO_ENV,
                Map.of("openai", TransformKwargsCallback.none(), "anthropic", custom));
        assertThat(registry).hasSize(7);
        assertThat(registry.get("openai")).isSameAs(TransformKwargsCallback.none());
        assertThat(registry.get("anthropic")).isSameAs(custom);
        assertThat(registry.get("google")).isSameAs(ProviderKwargsTransforms.gemini());
        assertThatThrownBy(() -> registry.put("x", custom)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void registryRejectsANullOverrideAndPointsToNone() {
        Map<String, @Nullable TransformKwargsCallback> overrides = new HashMap<>();
        overrides.put("openai", null);
        @SuppressWarnings("unchecked")
        Map<String, TransformKwargsCallback> raw = (Map<String, TransformKwargsCallback>) (Map<?, ?>) overrides;
        assertThatThrownBy(() -> ProviderSpecs.builtIn().transforms(NO_ENV, raw))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("TransformKwargsCallback.none()");
    }

    @Test
    void noneReturnsTheSameKwargs() {
        Map<String, @Nullable Object> kwargs = obj("{\"temperature\":0.7,\"top_p\":0.9}");
        TransformKwargsContext ctx = ctx("openai", "gpt-4o", null);
        assertThat(TransformKwargsCallback.none().apply(ctx, kwargs)).isSameAs(kwargs);
        assertThat(ProviderKwargs.applyTransform(ctx, kwargs, null)).isSameAs(kwargs);
        assertThat(ProviderKwargs.applyTransform(ctx, kwargs, TransformKwargsCallback.none())).isSameAs(kwargs);
    }

    @Test
    void noArgSnoGpuIsASingleton() {
        assertThat(ProviderKwargsTransforms.snoGpu()).isSameAs(ProviderKwargsTransforms.snoGpu());
        assertThat(List.of(ProviderKwargsTransforms.openai(), ProviderKwargsTransforms.openrouter(),
                ProviderKwargsTransforms.gemini())).doesNotContainNull();
    }
}
