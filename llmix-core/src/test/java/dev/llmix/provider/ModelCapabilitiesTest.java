package dev.llmix.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Model capability lookups (provider-adapters.md §8.1, provider-kwargs.md §8). */
class ModelCapabilitiesTest {

    @Test
    void reasoningModelsAreRecognised() {
        for (String id : List.of("gpt-5-chat-latest", "o1", "o2", "o5-mini", "GPT-5.2", "codex-mini-latest",
                "computer-use-preview", "openai/gpt-5.6-luna", "glm-5.2", "a/b/o3")) {
            assertThat(ModelCapabilities.forModel(id).isReasoningModel()).as(id).isTrue();
        }
    }

    @Test
    void standardModelsAreNotReasoningModels() {
        for (String id : List.of("gpt-4o", "gpt-4.1", "omni-moderation-latest", "opus-4", "", "o-mini", "xo3",
                "o3/gpt-4o")) {
            assertThat(ModelCapabilities.forModel(id)).as(id)
                    .isEqualTo(new ModelCapabilities(false, false, false, "standard"));
        }
    }

    @Test
    void modelClassesFollowTheRuleOrder() {
        assertThat(ModelCapabilities.forModel("gpt-5")).isEqualTo(new ModelCapabilities(true, true, true, "gpt5"));
        assertThat(ModelCapabilities.forModel("o3-mini"))
                .isEqualTo(new ModelCapabilities(true, false, true, "o-series"));
        assertThat(ModelCapabilities.forModel("codex-mini-latest").modelClass()).isEqualTo("codex");
        assertThat(ModelCapabilities.forModel("computer-use-preview").modelClass()).isEqualTo("codex");
        assertThat(ModelCapabilities.forModel("glm-5.2"))
                .isEqualTo(new ModelCapabilities(true, false, false, "standard"));
    }

    @Test
    void rulesComeFromTheClasspathResource() throws Exception {
        try (InputStream in = ModelCapabilities.class.getResourceAsStream("model-capabilities.json")) {
            assertThat(in).isNotNull();
            String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(text).contains("\"reasoningModelPrefixes\"").contains("^glm-");
        }
    }

    @Test
    void filterDropsEffortAndVerbosityTheModelCannotTake() {
        Map<String, Object> options = Map.of("reasoningEffort", "low", "textVerbosity", "high", "store", true);
        ModelCapabilities.FilteredOptions split = ModelCapabilities.splitOpenAiProviderOptions("gpt-4o", options);
        assertThat(split.kept()).containsExactly(Map.entry("store", true));
        assertThat(split.removed()).containsOnly(Map.entry("reasoningEffort", "low"),
                Map.entry("textVerbosity", "high"));
        assertThat(ModelCapabilities.filterOpenAiProviderOptions("gpt-5", options)).isEqualTo(options);
        assertThat(ModelCapabilities.filterOpenAiProviderOptions("o3", options))
                .containsOnlyKeys("reasoningEffort", "store");
    }

    @Test
    void filterKeepsFalsyValuesAndReturnsEmptyWhenNothingRemains() {
        Map<String, @Nullable Object> options = new LinkedHashMap<>();
        options.put("reasoningEffort", "");
        options.put("textVerbosity", null);
        assertThat(ModelCapabilities.filterOpenAiProviderOptions("gpt-4o", options)).isEqualTo(options);
        assertThat(ModelCapabilities.filterOpenAiProviderOptions("gpt-4o", Map.of("reasoningEffort", "low")))
                .isEmpty();
    }

    @Test
    void fixedTemperatureModelsAreForcedToOne() {
        assertThat(ModelCapabilities.adjustTemperatureForModel("o3-mini", 0.2)).isEqualTo(1);
        assertThat(ModelCapabilities.temperatureAdjustment("o3-mini", 0.2))
                .isEqualTo(new ModelCapabilities.TemperatureAdjustment(1, true, 0.2));
        assertThat(ModelCapabilities.temperatureAdjustment("gpt-5", 1.0))
                .isEqualTo(new ModelCapabilities.TemperatureAdjustment(1.0, false, null));
        assertThat(ModelCapabilities.adjustTemperatureForModel("glm-5.2", 0.2)).isEqualTo(0.2);
        assertThat(ModelCapabilities.adjustTemperatureForModel("gpt-5", null)).isNull();
    }
}
