package dev.llmix.provider.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.llmix.config.LlmConfig;
import dev.llmix.spi.DispatchContext;
import dev.llmix.spi.DispatchFunction;
import dev.llmix.spi.ProviderException;
import dev.llmix.spi.ProviderResult;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Helpers shared by the adapter tests: contexts, JSON, recorded requests and failure unwrapping. */
final class AdapterTestSupport {

    static final JsonMapper MAPPER = JsonMapper.builder().build();
    static final Function<String, @Nullable String> NO_ENV = name -> null;
    static final List<Map<String, Object>> HELLO = List.of(Map.of("role", "user", "content", "hello"));

    private AdapterTestSupport() {
    }

    /** Options pointing nowhere in particular, with an empty environment. */
    static AdapterOptions.Builder options() {
        return AdapterOptions.builder().env(NO_ENV);
    }

    static Map<String, @Nullable Object> obj(String json) {
        @SuppressWarnings("unchecked")
        Map<String, @Nullable Object> m = MAPPER.readValue(json, Map.class);
        return m;
    }

    static List<?> list(String json) {
        return MAPPER.readValue(json, List.class);
    }

    static LlmConfig config(String json) {
        return MAPPER.readValue(json, LlmConfig.class);
    }

    static DispatchContext ctx(LlmConfig config, String key, List<?> messages, Map<String, ?> kwargs) {
        @SuppressWarnings("unchecked")
        Map<String, @Nullable Object> kw = (Map<String, @Nullable Object>) kwargs;
        return new DispatchContext(config.provider(), config.model(), key, messages, kw, config);
    }

    /** The server's base URL without a trailing slash, plus {@code path}. */
    static String base(MockWebServer server, String path) {
        String root = server.url("/").toString();
        return root.substring(0, root.length() - 1) + path;
    }

    static MockResponse json(int status, String body) {
        return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json").body(body)
                .build();
    }

    static ProviderResult call(DispatchFunction adapter, DispatchContext ctx) {
        try {
            return adapter.dispatch(ctx).toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("dispatch failed: " + unwrap(e), unwrap(e));
        }
    }

    /** The failure of a dispatch (unwrapped), failing the test when it succeeds. */
    static Throwable failure(DispatchFunction adapter, DispatchContext ctx) {
        try {
            ProviderResult r = adapter.dispatch(ctx).toCompletableFuture().get(10, TimeUnit.SECONDS);
            return fail("expected a failure but got " + r);
        } catch (Exception e) {
            return unwrap(e);
        }
    }

    static ProviderException providerFailure(DispatchFunction adapter, DispatchContext ctx) {
        Throwable t = failure(adapter, ctx);
        assertThat(t).isInstanceOf(ProviderException.class);
        return (ProviderException) t;
    }

    static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    static RecordedRequest take(MockWebServer server) {
        try {
            RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
            assertThat(r).as("request received").isNotNull();
            return r;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static JsonNode body(RecordedRequest r) {
        return MAPPER.readTree(r.getBody().utf8());
    }
}
