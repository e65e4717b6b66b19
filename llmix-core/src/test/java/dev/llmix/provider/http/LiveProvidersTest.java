package dev.llmix.provider.http;

import dev.llmix.providers.ProviderAdapters;
import dev.llmix.providers.ProviderSpecs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.llmix.config.LlmConfig;
import dev.llmix.spi.DispatchContext;
import dev.llmix.spi.ProviderResult;
import dev.llmix.provider.ProviderKwargs;
import dev.llmix.internal.kwargs.ProviderKwargsTransforms;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Real provider calls (provider-adapters.md §9). Skipped unless {@code LLMIX_RUN_LIVE_TESTS} is {@code 1},
 * {@code true} or {@code yes}, and each test skips when its credentials are missing. Never runs in CI by default.
 */
class LiveProvidersTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @BeforeEach
    void gate() {
        String flag = System.getenv("LLMIX_RUN_LIVE_TESTS");
        String v = flag == null ? "" : flag.strip().toLowerCase(Locale.ROOT);
        assumeTrue(v.equals("1") || v.equals("true") || v.equals("yes"),
                "live provider tests are off; set LLMIX_RUN_LIVE_TESTS=1 to run them");
    }

    @Test
    void openAiAnswersArithmetic() {
        String key = require("OPENAI_API_KEY");
        LlmConfig cfg = config("{\"provider\":\"openai\",\"model\":\"%s\",\"common\":{\"temperature\":0,\"maxOutputTokens\":32}}"
                .formatted(env("OPENAI_MODEL", "gpt-4o-mini")));

        ProviderResult r = call(cfg, key, List.of(user("What is 2 + 2? Reply with just the number.")));

        assertThat(r.content()).contains("4");
    }

    @Test
    void anthropicAnswersInThreeWords() {
        String key = require("ANTHROPIC_API_KEY");
        LlmConfig cfg = config("{\"provider\":\"anthropic\",\"model\":\"%s\",\"common\":{\"maxOutputTokens\":48}}"
                .formatted(env("ANTHROPIC_MODEL", "claude-haiku-4-5-20251001")));

        ProviderResult r = call(cfg, key, List.of(
                Map.of("role", "system", "content", "Respond in exactly three lowercase words."),
                user("Describe the sky.")));

        assertThat(r.content().strip().split("\\s+")).hasSizeBetween(2, 4);
    }

    @Test
    void geminiContinuesAfterAnAssistantTurn() {
        String key = require("GEMINI_API_KEY");
        LlmConfig cfg = config("""
                {"provider":"google","model":"%s","common":{"maxOutputTokens":64},\
                "providerOptions":{"google":{"thinkingConfig":{"thinkingBudget":0}}}}"""
                .formatted(env("GEMINI_MODEL", "gemini-2.5-flash")));

        ProviderResult r = call(cfg, key, List.of(
                Map.of("role", "system", "content", "Continue the count. Answer with the next number only."),
                user("Count from 1."), Map.of("role", "assistant", "content", "1, 2, 3")));

        assertThat(r.content()).contains("4");
    }

    @Test
    void snoGpuAnswersWithoutThinking() {
        String base = require("GPU_BASE_URL");
        String token = System.getenv("SNO_LLM_API_KEY") != null ? System.getenv("SNO_LLM_API_KEY")
                : require("INTERNAL_SERVICE_SECRET");
        LlmConfig cfg = config("""
                {"provider":"sno-gpu","model":"%s","providerOptions":{"sno-gpu":{"gpuPath":"extract",\
                "enableThinking":false}}}""".formatted(env("SNO_GPU_MODEL", "qwen3.6-27b-extract")));
        assertThat(base).isNotBlank();

        ProviderResult r = call(cfg, token, List.of(user("What is 2 + 2? Reply with just the number.")));

        assertThat(r.content()).contains("4").doesNotContain("<think>");
    }

    private static ProviderResult call(LlmConfig cfg, String key, List<?> messages) {
        Map<String, @Nullable Object> kwargs = ProviderKwargs.build(cfg, messages,
                ProviderSpecs.builtIn().transforms(System::getenv, Map.of()));
        DispatchContext ctx = new DispatchContext(cfg.provider(), cfg.model(), key, messages, kwargs, cfg);
        ProviderResult r;
        try {
            r = ProviderAdapters.routing().dispatch(ctx).toCompletableFuture().get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("live call failed: " + AdapterTestSupport.unwrap(e).getMessage(), e);
        }
        assertThat(r.content()).isNotBlank();
        assertThat(r.model()).isNotBlank();
        assertThat(r.usage().totalTokens()).isPositive();
        assertThat(r.usage().totalTokens()).isEqualTo(r.usage().inputTokens() + r.usage().outputTokens());
        return r;
    }

    private static Map<String, Object> user(String text) {
        return Map.of("role", "user", "content", text);
    }

    private static String require(String name) {
        String v = System.getenv(name);
        assumeTrue(v != null && !v.isBlank(), () -> "skipped: " + name + " is not set");
        return v.strip();
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v.strip();
    }

    private static LlmConfig config(String json) {
        return MAPPER.readValue(json, LlmConfig.class);
    }
}
