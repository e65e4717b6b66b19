package dev.llmix.providers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.config.LlmConfig;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.pipeline.PipelineConfig;
import dev.llmix.provider.http.AdapterOptions;
import dev.llmix.spi.CallInput;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every documented key variable works end to end through {@link CallPipeline}, with no key pool registered. */
class KeyEnvironmentFallbackTest {

    private static final String OPENAI_REPLY = "{\"choices\":[{\"message\":{\"content\":\"ok\"}}]}";
    private static final String GEMINI_REPLY = "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"ok\"}]}}]}";

    @TempDir
    Path stateDir;

    private final MockWebServer server = new MockWebServer();

    @BeforeEach
    void start() throws Exception {
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @ParameterizedTest
    @CsvSource({
            "google, GEMINI_API_KEY, x-goog-api-key, ''",
            "google, GOOGLE_API_KEY, x-goog-api-key, ''",
            "deepseek, OPENROUTER_API_KEY, Authorization, 'Bearer '",
            "deepseek, DEEPSEEK_API_KEY, Authorization, 'Bearer '",
            "sno-gpu, SNO_LLM_API_KEY, X-Internal-Token, ''",
            "sno-gpu, SNO_GPU_API_KEY, X-Internal-Token, ''",
            "openai, OPENAI_API_KEY, Authorization, 'Bearer '",
            "anthropic, ANTHROPIC_API_KEY, x-api-key, ''",
    })
    void theVariableAloneIsEnoughThroughThePipeline(String provider, String variable, String header, String prefix)
            throws Exception {
        String key = "test-key-for-" + variable.toLowerCase(java.util.Locale.ROOT);
        Map<String, String> env = Map.of(variable, key);
        String body = switch (provider) {
            case "google" -> GEMINI_REPLY;
            case "anthropic" -> "{\"content\":[{\"type\":\"text\",\"text\":\"ok\"}]}";
            default -> OPENAI_REPLY;
        };
        server.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                .body(body).build());
        String base = server.url("/v1").toString();
        DispatchFunctionHolder holder = new DispatchFunctionHolder(ProviderAdapters.routing(
                AdapterOptions.builder().env(env::get).build()));
        PipelineConfig config = PipelineConfig.builder().stateDir(stateDir).env(env::get).maxRetries(0).build();
        try (CallPipeline pipeline = new CallPipeline(config, holder.dispatch)) {
            LlmConfig preset = LlmConfig.builder(provider, "model-x").baseUrl(base).build();
            CallResponse r = pipeline.call(new CallInput(preset, List.of(Map.of("role", "user", "content", "hi")),
                    null));
            assertThat(r.success()).as(String.valueOf(r.error())).isTrue();
        }
        RecordedRequest request = server.takeRequest();
        assertThat(request.getHeaders().get(header)).isEqualTo(prefix + key);
    }

    /** Keeps the routing function in one field (the test builds it before the pipeline). */
    private record DispatchFunctionHolder(dev.llmix.spi.DispatchFunction dispatch) {
    }
}
