package dev.llmix.provider.http;

import dev.llmix.providers.ProviderSpecs;
import static dev.llmix.provider.http.AdapterTestSupport.HELLO;
import static dev.llmix.provider.http.AdapterTestSupport.base;
import static dev.llmix.provider.http.AdapterTestSupport.body;
import static dev.llmix.provider.http.AdapterTestSupport.call;
import static dev.llmix.provider.http.AdapterTestSupport.config;
import static dev.llmix.provider.http.AdapterTestSupport.ctx;
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
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** provider-adapters.md §6 and acceptance check 8 against a loopback server. */
class GeminiAdapterTest extends LoopbackServerTest {

    private GeminiAdapter adapter() {
        return new GeminiAdapter(options().baseUrl(base(server, "/v1beta")).build());
    }

    private static LlmConfig flash() {
        return LlmConfig.builder("google", "gemini-2.5-flash").build();
    }

    @Test
    void rustFixtureRequestHasGenerateContentShapeWithKeyInHeader() {
        server.enqueue(json(200, "{\"candidates\":[]}"));
        List<?> messages = list("""
                [{"role":"system","content":"Answer as digits only."},{"role":"user","content":"Start counting."},\
                {"role":"assistant","content":"1, 2, 3"}]""");
        Map<String, Object> kwargs = obj("""
                {"temperature":0,"max_tokens":32,"top_p":0.9,"top_k":7,"stop":["DONE"],"presencePenalty":0.2,\
                "frequency_penalty":0.1,"thinking_config":{"thinking_budget":256}}""");

        call(adapter(), ctx(flash(), "test-key", messages, kwargs));

        RecordedRequest r = take(server);
        assertThat(r.getMethod()).isEqualTo("POST");
        assertThat(r.getTarget()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
        assertThat(r.getHeaders().get("x-goog-api-key")).isEqualTo("test-key");
        JsonNode body = body(r);
        assertThat(body.at("/systemInstruction/parts/0/text").asString()).isEqualTo("Answer as digits only.");
        assertThat(body.get("contents").toString()).isEqualTo("""
                [{"role":"user","parts":[{"text":"Start counting."}]},{"role":"model","parts":[{"text":"1, 2, 3"}]},\
                {"role":"user","parts":[{"text":"Continue."}]}]""");
        assertThat(body.get("generationConfig").toString()).isEqualTo("""
                {"temperature":0,"maxOutputTokens":32,"topP":0.9,"topK":7,"stopSequences":["DONE"],\
                "thinkingConfig":{"thinkingBudget":256}}""");
        assertThat(body.toString()).doesNotContain("enalty");
    }

    @Test
    void rustFixtureReplyMapsTextUsageAndHeaders() {
        server.enqueue(new MockResponse.Builder().code(200).addHeader("x-request-id", "gemini-1").body("""
                {"modelVersion":"gemini-2.5-flash-002","candidates":[{"content":{"parts":[{"text":"7"},{"text":"8"}]}}],\
                "usageMetadata":{"promptTokenCount":10,"candidatesTokenCount":4,"totalTokenCount":14}}""").build());

        ProviderResult result = call(adapter(), ctx(flash(), "test-key", HELLO, Map.of()));

        assertThat(result.content()).isEqualTo("78");
        assertThat(result.model()).isEqualTo("gemini-2.5-flash-002");
        assertThat(result.usage()).isEqualTo(new LlmUsage(10, 4, 14, null));
        assertThat(result.headers()).containsEntry("x-request-id", "gemini-1");
    }

    @Test
    void quotaErrorKeepsStatusAndRetryAfter() {
        server.enqueue(json(429, "{\"error\":{\"code\":429,\"message\":\"quota exceeded\",\"status\":\"RESOURCE_EXHAUSTED\"}}")
                .newBuilder().addHeader("Retry-After", "4").build());

        ProviderException e = providerFailure(adapter(), ctx(flash(), "test-key", HELLO, Map.of()));

        assertThat(e).hasMessage("quota exceeded");
        assertThat(e.statusCode()).isEqualTo(429);
        assertThat(e.retryAfter()).isEqualTo("4");
    }

    @Test
    void defaultTransformBudgetAndSeedGoIntoGenerationConfig() {
        server.enqueue(json(200, "{\"candidates\":[]}"));
        LlmConfig cfg = config("{\"provider\":\"google\",\"model\":\"models/gemini-2.5-flash\",\"common\":{\"seed\":7}}");

        call(adapter(), ctx(cfg, "k", HELLO, built(cfg)));

        RecordedRequest r = take(server);
        assertThat(r.getTarget()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
        JsonNode body = body(r);
        assertThat(body.at("/generationConfig/thinkingConfig").toString()).isEqualTo("{\"thinkingBudget\":0}");
        assertThat(body.at("/generationConfig/seed").asInt()).isEqualTo(7);
        assertThat(body.has("seed")).isFalse();
    }

    @Test
    void thinkingLevelOptionDropsTheDefaultBudget() {
        server.enqueue(json(200, "{\"candidates\":[]}"));
        LlmConfig cfg = config("""
                {"provider":"google","model":"gemini-3-pro","providerOptions":{"google":\
                {"thinkingConfig":{"thinkingLevel":"high"}}}}""");

        call(adapter(), ctx(cfg, "k", HELLO, built(cfg)));

        assertThat(body(take(server)).at("/generationConfig/thinkingConfig").toString())
                .isEqualTo("{\"thinkingLevel\":\"high\"}");
    }

    @Test
    void jsonSchemaResponseFormatBecomesMimeTypeAndSchema() {
        server.enqueue(json(200, "{\"candidates\":[]}"));
        Map<String, Object> kwargs = obj("""
                {"response_format":{"type":"json_schema","json_schema":{"name":"a","schema":{"type":"object"}}}}""");

        call(adapter(), ctx(flash(), "k", HELLO, kwargs));

        JsonNode gen = body(take(server)).get("generationConfig");
        assertThat(gen.get("responseMimeType").asString()).isEqualTo("application/json");
        assertThat(gen.get("responseJsonSchema").toString()).isEqualTo("{\"type\":\"object\"}");
    }

    @Test
    void functionCallPartsBecomeOpenAiToolCallsAndThoughtsAreSkipped() {
        server.enqueue(json(200, """
                {"candidates":[{"content":{"parts":[{"text":"hmm","thought":true},{"text":"ok"},\
                {"functionCall":{"name":"lookup","args":{"q":1}}}]}}],\
                "usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":2,"thoughtsTokenCount":5,\
                "cachedContentTokenCount":1}}"""));

        ProviderResult result = call(adapter(), ctx(flash(), "k", HELLO, Map.of()));

        assertThat(result.content()).isEqualTo("ok");
        assertThat(result.toolCalls()).hasSize(1);
        Map<?, ?> call = (Map<?, ?>) result.toolCalls().get(0);
        assertThat((String) call.get("id")).matches("llmix_call_[0-9a-f]{16}");
        assertThat(call.get("function")).isEqualTo(Map.of("name", "lookup", "arguments", "{\"q\":1}"));
        assertThat(result.usage()).isEqualTo(new LlmUsage(3, 7, 10, 1L));
    }

    @Test
    void blockedPromptIsAProviderErrorWithoutStatus() {
        server.enqueue(json(200, "{\"promptFeedback\":{\"blockReason\":\"SAFETY\"}}"));

        ProviderException e = providerFailure(adapter(), ctx(flash(), "k", HELLO, Map.of()));

        assertThat(e).hasMessage("gemini response has no candidates: SAFETY");
        assertThat(e.isNetworkError()).isTrue();
    }

    private static Map<String, @Nullable Object> built(LlmConfig cfg) {
        return ProviderKwargs.build(cfg, HELLO, ProviderSpecs.builtIn().transforms(AdapterTestSupport.NO_ENV, Map.of()));
    }
}
