package dev.llmix.provider.http;

import dev.llmix.providers.ProviderAdapters;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.llmix.client.LlmixClient;
import dev.llmix.client.Message;
import dev.llmix.client.ToolHandlers;
import dev.llmix.client.ToolLoopResult;
import dev.llmix.config.LlmConfig;
import dev.llmix.keys.KeyPool;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.pipeline.PipelineConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One real tool round trip per provider whose key is present, through {@link CallPipeline} and the tool loop (model →
 * handler → model). Skipped unless {@code LLMIX_RUN_LIVE_TESTS} is {@code 1}, {@code true} or {@code yes}.
 */
class ToolsLiveTest {

    record CityArgs(String city) {
    }

    @TempDir
    Path stateDir;

    @BeforeEach
    void gate() {
        String flag = System.getenv("LLMIX_RUN_LIVE_TESTS");
        String v = flag == null ? "" : flag.strip().toLowerCase(Locale.ROOT);
        assumeTrue(v.equals("1") || v.equals("true") || v.equals("yes"),
                "live provider tests are off; set LLMIX_RUN_LIVE_TESTS=1 to run them");
    }

    @Test
    void openAiRoundTrip() {
        roundTrip("openai", "OPENAI_API_KEY", env("OPENAI_MODEL", "gpt-4o-mini"));
    }

    @Test
    void anthropicRoundTrip() {
        roundTrip("anthropic", "ANTHROPIC_API_KEY", env("ANTHROPIC_MODEL", "claude-haiku-4-5-20251001"));
    }

    @Test
    void geminiRoundTrip() {
        roundTrip("google", "GEMINI_API_KEY", env("GEMINI_MODEL", "gemini-2.5-flash"));
    }

    private void roundTrip(String provider, String keyEnv, String model) {
        String key = System.getenv(keyEnv);
        assumeTrue(key != null && !key.isBlank(), () -> "skipped: " + keyEnv + " is not set");
        AtomicInteger handled = new AtomicInteger();
        try (CallPipeline pipeline = new CallPipeline(PipelineConfig.builder().maxRetries(1).stateDir(stateDir)
                .build(), ProviderAdapters.routing())) {
            pipeline.setKeyPool(provider, new KeyPool(List.of(key.strip())));
            LlmConfig config = LlmConfig.builder(provider, model).build();
            LlmixClient client = new LlmixClient(pipeline, (m, p) -> config);
            ToolHandlers handlers = ToolHandlers.builder()
                    .add("get_weather", "Current weather for a city", CityArgs.class, args -> {
                        handled.incrementAndGet();
                        return "{\"city\":\"" + args.city() + "\",\"celsius\":21,\"sky\":\"sunny\"}";
                    })
                    .build();

            ToolLoopResult r = client.callWithTools(config, List.of(Message.user(
                    "Use the get_weather tool for Paris, then tell me the temperature in Celsius.")), handlers);

            assertThat(r.stopReason()).as(String.valueOf(r.error())).isEqualTo(ToolLoopResult.StopReason.FINAL_ANSWER);
            assertThat(handled.get()).isPositive();
            assertThat(r.content()).contains("21");
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v.strip();
    }
}
