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
import static dev.llmix.provider.http.AdapterTestSupport.list;
import static dev.llmix.provider.http.AdapterTestSupport.obj;
import static dev.llmix.provider.http.AdapterTestSupport.options;
import static dev.llmix.provider.http.AdapterTestSupport.providerFailure;
import static dev.llmix.provider.http.AdapterTestSupport.take;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.config.LlmConfig;
import dev.llmix.spi.LlmUsage;
import dev.llmix.spi.ProviderException;
import dev.llmix.spi.ProviderResult;
import dev.llmix.provider.ProviderKwargs;
import dev.llmix.internal.kwargs.ProviderKwargsTransforms;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** provider-adapters.md §3 and acceptance checks 1, 6, 11, 12 against a loopback server. */
class OpenAiCompatibleAdapterTest extends LoopbackServerTest {

    private static final String RUST_REPLY = """
            {"model":"gpt-4o-mini-2026-04-13","choices":[{"message":{"content":"4","tool_calls":[{"id":"call_1",\
            "type":"function","function":{"name":"lookup"}}]}}],"usage":{"prompt_tokens":11,"completion_tokens":7,\
            "total_tokens":18}}""";

    private OpenAiCompatibleAdapter adapter() {
        return new OpenAiCompatibleAdapter(options().build());
    }

    private LlmConfig openai(String model) {
        return LlmConfig.builder("openai", model).baseUrl(base(server, "/v1")).build();
    }

    @Test
    void rustFixtureRequestHasChatCompletionsShapeWithoutTopK() {
        server.enqueue(new MockResponse.Builder().code(200).body(RUST_REPLY).build());
        Map<String, Object> kwargs = obj(
                "{\"temperature\":0,\"max_tokens\":32,\"seed\":7,\"top_k\":9,\"response_format\":{\"type\":\"json_object\"}}");
        List<?> messages = list("[{\"role\":\"user\",\"content\":\"What is 2+2?\"}]");

        call(adapter(), ctx(openai("gpt-4o-mini"), "sk-test", messages, kwargs));

        RecordedRequest r = take(server);
        assertThat(r.getMethod()).isEqualTo("POST");
        assertThat(r.getTarget()).isEqualTo("/v1/chat/completions");
        assertThat(r.getHeaders().get("authorization")).isEqualTo("Bearer sk-test");
        assertThat(r.getHeaders().get("content-type")).startsWith("application/json");
        assertThat(r.getHeaders().get("accept")).isEqualTo("application/json");
        assertThat(r.getHeaders().get("user-agent")).startsWith("llmix-java/");
        JsonNode body = body(r);
        assertThat(body.get("model").asString()).isEqualTo("gpt-4o-mini");
        assertThat(body.get("messages").toString()).isEqualTo("[{\"role\":\"user\",\"content\":\"What is 2+2?\"}]");
        assertThat(body.get("temperature").toString()).isEqualTo("0");
        assertThat(body.get("max_tokens").asInt()).isEqualTo(32);
        assertThat(body.get("seed").asInt()).isEqualTo(7);
        assertThat(body.get("response_format").toString()).isEqualTo("{\"type\":\"json_object\"}");
        assertThat(body.has("top_k")).isFalse();
        assertThat(body.has("topK")).isFalse();
        assertThat(body.has("stream")).isFalse();
    }

    @Test
    void rustFixtureReplyMapsContentUsageToolCallsAndHeaders() {
        server.enqueue(new MockResponse.Builder().code(200).body(RUST_REPLY)
                .addHeader("X-RateLimit-Limit-Requests", "20").addHeader("x-ratelimit-remaining-requests", "19")
                .build());

        ProviderResult result = call(adapter(), ctx(openai("gpt-4o-mini"), "sk-test", HELLO, Map.of()));

        assertThat(result.content()).isEqualTo("4");
        assertThat(result.model()).isEqualTo("gpt-4o-mini-2026-04-13");
        assertThat(result.usage()).isEqualTo(new LlmUsage(11, 7, 18, null));
        assertThat(result.toolCalls()).containsExactly(
                Map.of("id", "call_1", "type", "function", "function", Map.of("name", "lookup")));
        assertThat(result.headers()).containsEntry("x-ratelimit-remaining-requests", "19")
                .containsEntry("x-ratelimit-limit-requests", "20");
        assertThat(result.headers().keySet()).allSatisfy(k -> assertThat(k).isEqualTo(k.toLowerCase()));
    }

    @Test
    void rateLimitErrorCarriesStatusMessageAndRetryAfter() {
        server.enqueue(json(429, "{\"error\":{\"message\":\"rate limited\"}}").newBuilder()
                .addHeader("Retry-After", "5").build());

        ProviderException e = providerFailure(adapter(), ctx(openai("gpt-4o-mini"), "sk-test", HELLO, Map.of()));

        assertThat(e.getMessage()).isEqualTo("rate limited");
        assertThat(e.statusCode()).isEqualTo(429);
        assertThat(e.headers()).containsEntry("retry-after", "5");
        assertThat(e.retryAfter()).isEqualTo("5");
    }

    @Test
    void missingContentAndUsageGiveEmptyContentZeroUsageAndRequestModel() {
        server.enqueue(json(200, "{\"choices\":[{\"message\":{\"content\":null}}]}"));

        ProviderResult result = call(adapter(), ctx(openai("gpt-4o-mini"), "sk-test", HELLO, Map.of()));

        assertThat(result.content()).isEmpty();
        assertThat(result.model()).isEqualTo("gpt-4o-mini");
        assertThat(result.usage()).isEqualTo(LlmUsage.ZERO);
        assertThat(result.toolCalls()).isNull();
    }

    @Test
    void openRouterPipelineKwargsRouteByPriceWithMappedModelAndCachedTokens() {
        server.enqueue(json(200, """
                {"choices":[{"message":{"content":"hi"}}],"usage":{"prompt_tokens":4,"completion_tokens":2,\
                "total_tokens":6,"prompt_tokens_details":{"cached_tokens":1}}}"""));
        LlmConfig cfg = LlmConfig.builder("openrouter", "deepseek-v4-flash").baseUrl(base(server, "/api/v1")).build();
        Map<String, Object> kwargs = builtKwargs(cfg);

        ProviderResult result = call(adapter(), ctx(cfg, "or-key", HELLO, kwargs));

        RecordedRequest r = take(server);
        assertThat(r.getTarget()).isEqualTo("/api/v1/chat/completions");
        JsonNode body = body(r);
        assertThat(body.get("model").asString()).isEqualTo("deepseek/deepseek-v4-flash");
        assertThat(body.get("provider").toString()).isEqualTo("{\"sort\":\"price\"}");
        assertThat(body.has("extra_body")).isFalse();
        assertThat(body.get("stream").asBoolean()).isFalse();
        assertThat(result.usage()).isEqualTo(new LlmUsage(4, 2, 6, 1L));
        assertThat(result.model()).isEqualTo("deepseek/deepseek-v4-flash");
    }

    @Test
    void openRouterProviderOptionsOverrideDefaultRoutingAndAddReasoning() {
        server.enqueue(json(200, "{\"choices\":[{\"message\":{\"content\":\"hi\"}}]}"));
        LlmConfig cfg = config("""
                {"provider":"openrouter","model":"qwen3.5-27b","baseUrl":"%s","providerOptions":{"openrouter":\
                {"provider":{"sort":"latency"},"reasoning":{"enabled":false}}}}""".formatted(base(server, "")));

        call(adapter(), ctx(cfg, "or-key", HELLO, builtKwargs(cfg)));

        JsonNode body = body(take(server));
        assertThat(body.get("model").asString()).isEqualTo("qwen/qwen3.5-27b");
        assertThat(body.get("provider").toString()).isEqualTo("{\"sort\":\"latency\"}");
        assertThat(body.get("reasoning").toString()).isEqualTo("{\"enabled\":false}");
    }

    @Test
    void openRouterContentFallsBackToReasoning() {
        server.enqueue(json(200, "{\"choices\":[{\"message\":{\"content\":null,\"reasoning\":\"thought\"}}]}"));
        LlmConfig cfg = LlmConfig.builder("openrouter", "openai/gpt-5").baseUrl(base(server, "")).build();

        assertThat(call(adapter(), ctx(cfg, "k", HELLO, Map.of())).content()).isEqualTo("thought");
    }

    @Test
    void deepInfraSendsThinkingOptionOverCommonAndKeepsTopK() {
        server.enqueue(json(200, "{\"choices\":[{\"message\":{\"content\":\"x\"}}]}"));
        server.enqueue(json(200, "{\"choices\":[{\"message\":{\"content\":\"x\"}}]}"));
        LlmConfig off = config("""
                {"provider":"deepinfra","model":"Qwen/Qwen3-32B","baseUrl":"%s","common":{"enableThinking":true,"topK":20},\
                "providerOptions":{"deepinfra":{"enableThinking":false,"thinkingBudget":128}}}""".formatted(base(server, "")));
        LlmConfig budget = config("""
                {"provider":"deepinfra","model":"Qwen/Qwen3-32B","baseUrl":"%s","common":{"enableThinking":true},\
                "providerOptions":{"deepinfra":{"thinkingBudget":256}}}""".formatted(base(server, "")));

        call(adapter(), ctx(off, "k", HELLO, builtKwargs(off)));
        call(adapter(), ctx(budget, "k", HELLO, builtKwargs(budget)));

        JsonNode first = body(take(server));
        assertThat(first.get("enable_thinking").asBoolean()).isFalse();
        assertThat(first.has("thinking_budget")).isFalse();
        assertThat(first.get("top_k").asInt()).isEqualTo(20);
        JsonNode second = body(take(server));
        assertThat(second.get("enable_thinking").asBoolean()).isTrue();
        assertThat(second.get("thinking_budget").asInt()).isEqualTo(256);
    }

    @Test
    void novitaDowngradesJsonSchemaResponseFormat() {
        server.enqueue(json(200, "{\"choices\":[{\"message\":{\"content\":\"{}\"}}]}"));
        LlmConfig cfg = LlmConfig.builder("novita", "qwen/qwen3.5-27b").baseUrl(base(server, "")).build();
        Map<String, Object> kwargs = obj("{\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"a\"}}}");

        call(adapter(), ctx(cfg, "k", HELLO, kwargs));

        assertThat(body(take(server)).get("response_format").toString()).isEqualTo("{\"type\":\"json_object\"}");
    }

    @Test
    void extraBodyMembersAreMergedIntoTheTopLevel() {
        server.enqueue(json(200, "{\"choices\":[{\"message\":{\"content\":\"x\"}}]}"));
        LlmConfig cfg = LlmConfig.builder("together", "m").baseUrl(base(server, "")).build();

        call(adapter(), ctx(cfg, "k", HELLO, obj("{\"extra_body\":{\"repetition_penalty\":1.1},\"stream\":true}")));

        JsonNode body = body(take(server));
        assertThat(body.get("repetition_penalty").asDouble()).isEqualTo(1.1);
        assertThat(body.has("extra_body")).isFalse();
        assertThat(body.has("stream")).isFalse();
    }

    @Test
    void openAiProviderOptionsAreMappedAfterModelFiltering() {
        server.enqueue(json(200, "{\"choices\":[{\"message\":{\"content\":\"x\"}}]}"));
        server.enqueue(json(200, "{\"choices\":[{\"message\":{\"content\":\"x\"}}]}"));
        String options = "{\"openai\":{\"reasoningEffort\":\"high\",\"textVerbosity\":\"low\",\"user\":\"u1\",\"logprobs\":3}}";
        LlmConfig gpt5 = config("{\"provider\":\"openai\",\"model\":\"gpt-5\",\"baseUrl\":\"%s\",\"providerOptions\":%s}"
                .formatted(base(server, ""), options));
        LlmConfig gpt4o = config("{\"provider\":\"openai\",\"model\":\"gpt-4o\",\"baseUrl\":\"%s\",\"providerOptions\":%s}"
                .formatted(base(server, ""), options));

        call(adapter(), ctx(gpt5, "k", HELLO, Map.of()));
        call(adapter(), ctx(gpt4o, "k", HELLO, Map.of()));

        JsonNode reasoning = body(take(server));
        assertThat(reasoning.get("reasoning_effort").asString()).isEqualTo("high");
        assertThat(reasoning.get("verbosity").asString()).isEqualTo("low");
        assertThat(reasoning.get("user").asString()).isEqualTo("u1");
        assertThat(reasoning.get("logprobs").asBoolean()).isTrue();
        assertThat(reasoning.get("top_logprobs").asInt()).isEqualTo(3);
        JsonNode standard = body(take(server));
        assertThat(standard.has("reasoning_effort")).isFalse();
        assertThat(standard.has("verbosity")).isFalse();
        assertThat(standard.get("user").asString()).isEqualTo("u1");
    }

    @Test
    void missingKeyIsALocalErrorAndTheServerIsNeverCalled() {
        Throwable t = failure(adapter(), ctx(openai("gpt-4o"), "  ", HELLO, Map.of()));

        assertThat(t).isInstanceOf(AdapterConfigException.class)
                .hasMessage("openai provider requires OPENAI_API_KEY");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void environmentKeyIsUsedWhenTheDispatchKeyIsBlank() {
        server.enqueue(json(200, "{\"choices\":[{\"message\":{\"content\":\"x\"}}]}"));
        OpenAiCompatibleAdapter withEnv = new OpenAiCompatibleAdapter(
                options().env(n -> n.equals("OPENAI_API_KEY") ? " env-key " : null).build());

        call(withEnv, ctx(openai("gpt-4o"), "", HELLO, Map.of()));

        assertThat(take(server).getHeaders().get("authorization")).isEqualTo("Bearer env-key");
    }

    @Test
    void unknownProviderWithoutBaseUrlIsALocalError() {
        LlmConfig cfg = LlmConfig.builder("mistral", "mistral-large").build();

        assertThat(failure(adapter(), ctx(cfg, "k", HELLO, Map.of())))
                .isInstanceOf(AdapterConfigException.class)
                .hasMessage("OpenAI-compatible adapter requires a non-empty base_url");
    }

    @Test
    void invalidBaseUrlIsALocalError() {
        LlmConfig cfg = LlmConfig.builder("openai", "gpt-4o").baseUrl("ftp://example.com").build();

        assertThat(failure(adapter(), ctx(cfg, "k", HELLO, Map.of())))
                .isInstanceOf(AdapterConfigException.class)
                .hasMessageStartingWith("invalid base_url: ");
    }

    @Test
    void proxyPathOfTheBaseUrlIsPreserved() {
        server.enqueue(json(200, "{\"choices\":[{\"message\":{\"content\":\"x\"}}]}"));
        LlmConfig cfg = LlmConfig.builder("openai", "gpt-4o").baseUrl(base(server, "/openai/custom/v9/")).build();

        call(adapter(), ctx(cfg, "k", HELLO, Map.of()));

        assertThat(take(server).getTarget()).isEqualTo("/openai/custom/v9/chat/completions");
    }

    private static Map<String, Object> builtKwargs(LlmConfig cfg) {
        @SuppressWarnings({"unchecked", "rawtypes"})
        Map<String, Object> kw = (Map) ProviderKwargs.build(cfg, HELLO,
                ProviderSpecs.builtIn().transforms(AdapterTestSupport.NO_ENV, Map.of()));
        return kw;
    }
}
