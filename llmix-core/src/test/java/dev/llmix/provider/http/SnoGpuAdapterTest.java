package dev.llmix.provider.http;

import dev.llmix.providers.ProviderSpecs;
import static dev.llmix.provider.http.AdapterTestSupport.HELLO;
import static dev.llmix.provider.http.AdapterTestSupport.base;
import static dev.llmix.provider.http.AdapterTestSupport.body;
import static dev.llmix.provider.http.AdapterTestSupport.call;
import static dev.llmix.provider.http.AdapterTestSupport.config;
import static dev.llmix.provider.http.AdapterTestSupport.ctx;
import static dev.llmix.provider.http.AdapterTestSupport.failure;
import static dev.llmix.provider.http.AdapterTestSupport.json;
import static dev.llmix.provider.http.AdapterTestSupport.options;
import static dev.llmix.provider.http.AdapterTestSupport.take;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.config.LlmConfig;
import dev.llmix.provider.ProviderKwargs;
import dev.llmix.internal.kwargs.ProviderKwargsTransforms;
import java.util.Map;
import mockwebserver3.RecordedRequest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** provider-adapters.md §4 and acceptance checks 9–10 against a loopback server. */
class SnoGpuAdapterTest extends LoopbackServerTest {

    private LlmConfig reasonConfig(String gpuPath) {
        return config("""
                {"provider":"sno-gpu","model":"qwen3.6-27b-reason","baseUrl":"%s","providerOptions":{"sno-gpu":\
                {"gpuPath":"%s","enableThinking":true}},"common":{"maxOutputTokens":128}}"""
                .formatted(base(server, ""), gpuPath));
    }

    @Test
    void internalTokenGpuPathAndThinkingPayloadReachTheGateway() {
        server.enqueue(json(200, "{\"choices\":[{\"message\":{\"content\":\"final answer\"}}]}"));
        SnoGpuAdapter adapter = new SnoGpuAdapter(options().internalToken("internal-secret").build());
        LlmConfig cfg = reasonConfig("reason");

        String content = call(adapter, ctx(cfg, "pool-key", HELLO, built(cfg))).content();

        assertThat(content).isEqualTo("final answer");
        RecordedRequest r = take(server);
        assertThat(r.getTarget()).isEqualTo("/reason/v1/chat/completions");
        assertThat(r.getHeaders().get("x-internal-token")).isEqualTo("internal-secret");
        assertThat(r.getHeaders().get("x-sno-llm-key")).isEqualTo("internal-secret");
        JsonNode body = body(r);
        assertThat(body.get("max_tokens").asInt()).isEqualTo(128);
        assertThat(body.at("/extra_body/enable_thinking").asBoolean()).isTrue();
        assertThat(body.at("/extra_body/chat_template_kwargs/enable_thinking").asBoolean()).isTrue();
        assertThat(body.at("/chat_template_kwargs/enable_thinking").asBoolean()).isTrue();
        assertThat(body.propertyNames()).doesNotContain("enable_thinking", "enableThinking", "baseUrl");
    }

    @Test
    void dispatchKeyIsTheTokenWhenNoInternalTokenIsConfigured() {
        server.enqueue(json(200, "{\"choices\":[{\"message\":{\"content\":\"x\"}}]}"));
        LlmConfig cfg = reasonConfig("future-safe-path");

        call(new SnoGpuAdapter(options().build()), ctx(cfg, "pool-key", HELLO, built(cfg)));

        RecordedRequest r = take(server);
        assertThat(r.getTarget()).isEqualTo("/future-safe-path/v1/chat/completions");
        assertThat(r.getHeaders().get("x-internal-token")).isEqualTo("pool-key");
        assertThat(r.getHeaders().get("x-sno-llm-key")).isEqualTo("pool-key");
    }

    @Test
    void unsafeGpuPathFailsLocallyWithoutCallingTheServer() {
        String root = base(server, "");
        SnoGpuAdapter adapter = new SnoGpuAdapter(options().env(n -> n.equals("GPU_BASE_URL") ? root : null).build());
        LlmConfig cfg = config("{\"provider\":\"sno-gpu\",\"model\":\"m\",\"providerOptions\":{\"sno-gpu\":{\"gpuPath\":\"../escape\"}}}");

        Throwable t = failure(adapter, ctx(cfg, "k", HELLO, Map.of()));

        assertThat(t).isInstanceOf(AdapterConfigException.class).hasMessage(
                "Invalid gpu_path: \"../escape\". Must be a safe relative path using letters, digits, \"_\", \"-\", or \"/\".");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void reasoningOnlyReplyIsMirroredIntoContent() {
        server.enqueue(json(200,
                "{\"choices\":[{\"message\":{\"content\":\"\",\"reasoning_content\":\"Reasoning-only fallback answer\"}}]}"));
        LlmConfig cfg = reasonConfig("reason");

        String content = call(new SnoGpuAdapter(options().build()), ctx(cfg, "k", HELLO, built(cfg))).content();

        assertThat(content).isEqualTo("Reasoning-only fallback answer");
    }

    @Test
    void gpuBaseUrlEnvironmentIsTheFallbackBase() {
        server.enqueue(json(200, "{\"choices\":[{\"message\":{\"content\":\"x\"}}]}"));
        String root = base(server, "/");
        SnoGpuAdapter adapter = new SnoGpuAdapter(options()
                .env(n -> n.equals("GPU_BASE_URL") ? root : n.equals("SNO_LLM_API_KEY") ? "env-token" : null).build());
        LlmConfig cfg = config("{\"provider\":\"sno-gpu\",\"model\":\"m\",\"providerOptions\":{\"sno-gpu\":{\"gpuPath\":\"extract\"}}}");

        call(adapter, ctx(cfg, "", HELLO, Map.of()));

        RecordedRequest r = take(server);
        assertThat(r.getTarget()).isEqualTo("/extract/v1/chat/completions");
        assertThat(r.getHeaders().get("x-internal-token")).isEqualTo("env-token");
    }

    @Test
    void missingTokenIsALocalError() {
        LlmConfig cfg = reasonConfig("reason");

        assertThat(failure(new SnoGpuAdapter(options().build()), ctx(cfg, " ", HELLO, built(cfg))))
                .isInstanceOf(AdapterConfigException.class).hasMessage("sno-gpu provider requires SNO_LLM_API_KEY");
    }

    private static Map<String, @Nullable Object> built(LlmConfig cfg) {
        return ProviderKwargs.build(cfg, HELLO, ProviderSpecs.builtIn().transforms(AdapterTestSupport.NO_ENV, Map.of()));
    }
}
