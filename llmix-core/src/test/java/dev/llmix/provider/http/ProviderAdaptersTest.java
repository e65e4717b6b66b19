package dev.llmix.provider.http;

import dev.llmix.providers.ProviderAdapters;
import static dev.llmix.provider.http.AdapterTestSupport.HELLO;
import static dev.llmix.provider.http.AdapterTestSupport.base;
import static dev.llmix.provider.http.AdapterTestSupport.call;
import static dev.llmix.provider.http.AdapterTestSupport.ctx;
import static dev.llmix.provider.http.AdapterTestSupport.failure;
import static dev.llmix.provider.http.AdapterTestSupport.json;
import static dev.llmix.provider.http.AdapterTestSupport.options;
import static dev.llmix.provider.http.AdapterTestSupport.take;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmix.config.LlmConfig;
import dev.llmix.spi.DispatchFunction;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Adapter selection, the routing dispatcher and option validation. */
class ProviderAdaptersTest extends LoopbackServerTest {

    @Test
    void forProviderPicksTheAdapterClassByName() {
        AdapterOptions o = options().build();
        assertThat(ProviderAdapters.forProvider("openai", o)).isInstanceOf(OpenAiCompatibleAdapter.class);
        assertThat(ProviderAdapters.forProvider("deepseek", o)).isInstanceOf(OpenAiCompatibleAdapter.class);
        assertThat(ProviderAdapters.forProvider("anthropic", o)).isInstanceOf(AnthropicAdapter.class);
        assertThat(ProviderAdapters.forProvider("google", o)).isInstanceOf(GeminiAdapter.class);
        assertThat(ProviderAdapters.forProvider("gemini", o)).isInstanceOf(GeminiAdapter.class);
        assertThat(ProviderAdapters.forProvider("sno-gpu", o)).isInstanceOf(SnoGpuAdapter.class);
    }

    @Test
    void unknownProviderNeedsABaseUrl() {
        assertThatThrownBy(() -> ProviderAdapters.forProvider("mistral", options().build()))
                .isInstanceOf(AdapterConfigException.class).hasMessage("No provider adapter for \"mistral\"");
        assertThat(ProviderAdapters.forProvider("mistral", options().baseUrl("https://api.mistral.ai/v1").build()))
                .isInstanceOf(OpenAiCompatibleAdapter.class);
    }

    @Test
    void routingSendsEachCallToItsProvidersAdapter() {
        server.enqueue(json(200, "{\"content\":[{\"type\":\"text\",\"text\":\"from anthropic\"}]}"));
        server.enqueue(json(200, "{\"choices\":[{\"message\":{\"content\":\"from openai\"}}]}"));
        DispatchFunction router = ProviderAdapters.routing(options().build());
        String url = base(server, "/v1");

        String a = call(router, ctx(LlmConfig.builder("anthropic", "c").baseUrl(url).build(), "k", HELLO, Map.of()))
                .content();
        String o = call(router, ctx(LlmConfig.builder("openai", "g").baseUrl(url).build(), "k", HELLO, Map.of()))
                .content();

        assertThat(a).isEqualTo("from anthropic");
        assertThat(o).isEqualTo("from openai");
        assertThat(take(server).getTarget()).isEqualTo("/v1/messages");
        assertThat(take(server).getTarget()).isEqualTo("/v1/chat/completions");
    }

    @Test
    void routingRejectsAnUnknownProviderLocally() {
        LlmConfig cfg = LlmConfig.builder("mistral", "m").build();

        assertThat(failure(ProviderAdapters.routing(options().build()), ctx(cfg, "k", HELLO, Map.of())))
                .isInstanceOf(AdapterConfigException.class).hasMessage("No provider adapter for \"mistral\"");
    }

    @Test
    void aSharedClientIsUsedAsGiven() {
        HttpClient shared = HttpClient.newHttpClient();
        OpenAiCompatibleAdapter adapter = new OpenAiCompatibleAdapter(options().httpClient(shared).build());

        assertThat(adapter.transport.client()).isSameAs(shared);
    }

    @Test
    void optionsRejectNonPositiveLimitsAndProtectedHeaders() {
        assertThatThrownBy(() -> options().maxResponseBytes(0).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> options().connectTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> options().defaultHeader("Authorization", "x").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(options().defaultHeader("HTTP-Referer", "https://app.example").build().defaultHeaders())
                .containsEntry("HTTP-Referer", "https://app.example");
    }

    @Test
    void defaultHeadersAreSent() {
        server.enqueue(json(200, "{\"choices\":[{\"message\":{\"content\":\"x\"}}]}"));
        OpenAiCompatibleAdapter adapter = new OpenAiCompatibleAdapter(
                options().defaultHeader("X-Title", "llmix tests").build());

        call(adapter, ctx(LlmConfig.builder("openrouter", "a/b").baseUrl(base(server, "")).build(), "k", HELLO,
                Map.of()));

        assertThat(take(server).getHeaders().get("x-title")).isEqualTo("llmix tests");
    }
}
