package dev.llmix.provider.http;

import dev.llmix.providers.ProviderAdapters;
import static dev.llmix.provider.http.AdapterTestSupport.HELLO;
import static dev.llmix.provider.http.AdapterTestSupport.base;
import static dev.llmix.provider.http.AdapterTestSupport.ctx;
import static dev.llmix.provider.http.AdapterTestSupport.failure;
import static dev.llmix.provider.http.AdapterTestSupport.json;
import static dev.llmix.provider.http.AdapterTestSupport.options;
import static dev.llmix.provider.http.AdapterTestSupport.providerFailure;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.llmix.config.LlmConfig;
import dev.llmix.config.TimeoutConfig;
import dev.llmix.spi.DispatchContext;
import dev.llmix.spi.DispatchFunction;
import dev.llmix.spi.ProviderException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * provider-adapters.md §2.5–§2.7 and acceptance checks 2–5 and 13, for every adapter: HTTP errors with and without
 * {@code Retry-After}, error summaries, malformed JSON, timeouts with cancellation, dropped and refused connections,
 * the response size limit, and no API key in any message, {@code toString()} or log line.
 */
class AdapterFailureModesTest extends LoopbackServerTest {

    /** A distinctive fake key that the server echoes back. */
    static final String FAKE_KEY = "sk-llmix-FAKE-9f8e7d6c5b4a3210";

    /** One adapter and how to point a config at the test server. */
    enum Flavor {
        OPENAI("openai", "gpt-4o-mini"),
        ANTHROPIC("anthropic", "claude-haiku-4-5"),
        GEMINI("google", "gemini-2.5-flash"),
        SNO_GPU("sno-gpu", "qwen3.6-27b-extract");

        final String provider;
        final String model;

        Flavor(String provider, String model) {
            this.provider = provider;
            this.model = model;
        }

        DispatchFunction adapter(AdapterOptions.Builder options) {
            return ProviderAdapters.forProvider(provider, options.build());
        }

        LlmConfig config(String baseUrl, @Nullable Number totalTime) {
            return LlmConfig.builder(provider, model).baseUrl(baseUrl)
                    .timeout(totalTime == null ? null : new TimeoutConfig(totalTime, null)).build();
        }
    }

    private DispatchContext ctxFor(Flavor f, @Nullable Number totalTime) {
        return ctx(f.config(base(server, ""), totalTime), FAKE_KEY, HELLO, Map.of());
    }

    static Stream<Arguments> statuses() {
        List<Arguments> out = new ArrayList<>();
        for (Flavor f : Flavor.values()) {
            for (int status : new int[] {400, 401, 403, 404, 429, 500, 503}) {
                out.add(Arguments.of(f, status, null));
                out.add(Arguments.of(f, status, "1"));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} Retry-After={2}")
    @MethodSource("statuses")
    void nonSuccessStatusBecomesProviderExceptionWithStatusAndHeaders(Flavor f, int status,
            @Nullable String retryAfter) {
        MockResponse.Builder response = json(status, "{\"error\":{\"message\":\"failure " + status + "\"}}")
                .newBuilder().addHeader("X-Request-Id", "req-1");
        if (retryAfter != null) {
            response.addHeader("Retry-After", retryAfter);
        }
        server.enqueue(response.build());

        ProviderException e = providerFailure(f.adapter(options()), ctxFor(f, null));

        assertThat(e.statusCode()).isEqualTo(status);
        assertThat(e.isNetworkError()).isFalse();
        assertThat(e).hasMessage("failure " + status);
        assertThat(e.headers()).containsEntry("x-request-id", "req-1");
        assertThat(e.retryAfter()).isEqualTo(retryAfter);
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void errorBodiesAreSummarisedFromMessageFieldsOrText(Flavor f) {
        server.enqueue(json(400, "{\"message\":\"bad\"}"));
        server.enqueue(new MockResponse.Builder().code(500).body("  oops \n").build());
        server.enqueue(new MockResponse.Builder().code(503).build());
        server.enqueue(new MockResponse.Builder().code(502).body("x".repeat(5000)).build());
        DispatchFunction adapter = f.adapter(options());

        assertThat(providerFailure(adapter, ctxFor(f, null))).hasMessage("bad");
        assertThat(providerFailure(adapter, ctxFor(f, null))).hasMessage("oops");
        assertThat(providerFailure(adapter, ctxFor(f, null))).hasMessage("provider request failed with status 503");
        assertThat(providerFailure(adapter, ctxFor(f, null)).getMessage()).hasSize(AdapterSupport.MAX_ERROR_TEXT + 1);
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void malformedJsonIsAnInvalidResponseWithoutStatusButWithHeaders(Flavor f) {
        server.enqueue(new MockResponse.Builder().code(200).addHeader("x-ratelimit-remaining-requests", "3")
                .body("{\"choices\": [").build());

        ProviderException e = providerFailure(f.adapter(options()), ctxFor(f, null));

        assertThat(e.getMessage()).startsWith("invalid provider response: ");
        assertThat(e.statusCode()).isNull();
        assertThat(e.headers()).containsEntry("x-ratelimit-remaining-requests", "3");
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void slowHeadersHitThePresetTimeoutAsANetworkError(Flavor f) {
        server.enqueue(json(200, "{}").newBuilder().headersDelay(3, TimeUnit.SECONDS).build());

        long start = System.nanoTime();
        ProviderException e = providerFailure(f.adapter(options()), ctxFor(f, 0.3));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(e).hasMessage("provider request failed: request timed out after 300 ms");
        assertThat(e.statusCode()).isNull();
        assertThat(elapsedMs).isBetween(250L, 2500L);
    }

    @Test
    void slowBodyIsCoveredByTheTimeoutToo() {
        server.enqueue(json(200, "{\"choices\":[]}").newBuilder().bodyDelay(3, TimeUnit.SECONDS).build());

        ProviderException e = providerFailure(Flavor.OPENAI.adapter(options()), ctxFor(Flavor.OPENAI, 0.3));

        assertThat(e).hasMessage("provider request failed: request timed out after 300 ms");
        assertThat(e.isNetworkError()).isTrue();
    }

    @Test
    void timeoutCancelsTheExchangeSoTheServerSeesTheConnectionClosed() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Long> closedAt = CompletableFuture.supplyAsync(() -> awaitClientClose(silent));
            String baseUrl = "http://127.0.0.1:" + silent.getLocalPort();
            DispatchContext c = ctx(Flavor.OPENAI.config(baseUrl, 1), FAKE_KEY, HELLO, Map.of());

            long start = System.nanoTime();
            ProviderException e = providerFailure(Flavor.OPENAI.adapter(options()), c);
            long failedMs = (System.nanoTime() - start) / 1_000_000;

            assertThat(e).hasMessage("provider request failed: request timed out after 1 s");
            assertThat(e.statusCode()).isNull();
            assertThat(failedMs).isBetween(900L, 3000L);
            long closedMs = (closedAt.get(5, TimeUnit.SECONDS) - start) / 1_000_000;
            assertThat(closedMs).as("server saw EOF").isLessThan(4000L);
        }
    }

    /** Accepts one connection, never answers, and returns the time the client closed it. */
    private static long awaitClientClose(ServerSocket silent) {
        try (Socket s = silent.accept()) {
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            while (in.read(buf) >= 0) {
                // Drain the request; block until the client gives up.
            }
            return System.nanoTime();
        } catch (Exception e) {
            return System.nanoTime();
        }
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void droppedConnectionIsANetworkError(Flavor f) {
        server.enqueue(new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());

        ProviderException e = providerFailure(f.adapter(options()), ctxFor(f, 5));

        assertThat(e.isNetworkError()).isTrue();
        assertThat(e.getMessage()).matches("(provider request failed|failed reading provider response): .+");
    }

    @Test
    void connectionDroppedMidBodyIsAReadFailure() {
        server.enqueue(new MockResponse.Builder().code(200)
                .body("{\"choices\":[\"" + "x".repeat(100_000) + "\"]}")
                .onResponseBody(new SocketEffect.CloseSocket()).build());

        ProviderException e = providerFailure(Flavor.OPENAI.adapter(options()), ctxFor(Flavor.OPENAI, 5));

        assertThat(e.isNetworkError()).isTrue();
        assertThat(e.getMessage()).startsWith("failed reading provider response: ");
    }

    @Test
    void refusedConnectionIsANetworkError() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        DispatchContext c = ctx(Flavor.OPENAI.config("http://127.0.0.1:" + port, 5), FAKE_KEY, HELLO, Map.of());

        ProviderException e = providerFailure(Flavor.OPENAI.adapter(options()), c);

        assertThat(e.getMessage()).startsWith("provider request failed:");
        assertThat(e.statusCode()).isNull();
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void bodyOverTheSizeLimitFailsClearly(Flavor f) {
        server.enqueue(json(200, "{\"pad\":\"" + "x".repeat(10_000) + "\"}"));

        ProviderException e = providerFailure(f.adapter(options().maxResponseBytes(1024)), ctxFor(f, null));

        assertThat(e).hasMessage("failed reading provider response: TooLargeException: "
                + "response body exceeds the limit of 1024 bytes");
        assertThat(e.isNetworkError()).isTrue();
    }

    @Test
    void chunkedBodyOverTheSizeLimitIsStoppedWhileStreaming() {
        server.enqueue(new MockResponse.Builder().code(200)
                .chunkedBody("{\"pad\":\"" + "x".repeat(200_000) + "\"}", 4096).build());

        ProviderException e = providerFailure(Flavor.OPENAI.adapter(options().maxResponseBytes(8192)),
                ctxFor(Flavor.OPENAI, null));

        assertThat(e.getMessage()).endsWith("response body exceeds the limit of 8192 bytes");
    }

    @Test
    void largeErrorBodyStillYieldsTheStatus() {
        server.enqueue(new MockResponse.Builder().code(500).body("E".repeat(300_000)).build());

        ProviderException e = providerFailure(Flavor.OPENAI.adapter(options().maxResponseBytes(1024)),
                ctxFor(Flavor.OPENAI, null));

        assertThat(e.statusCode()).isEqualTo(500);
        assertThat(e.getMessage()).startsWith("EEEE").hasSize(1024);
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void apiKeyEchoedByTheServerNeverAppearsInMessagesToStringOrLogs(Flavor f) {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        try {
            server.enqueue(json(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + FAKE_KEY + "\"}}"));
            server.enqueue(new MockResponse.Builder().code(403).body("key " + FAKE_KEY + " is not allowed").build());
            server.enqueue(json(200, "{\"echo\": " + FAKE_KEY + "}"));
            AdapterOptions.Builder opts = options();
            if (f == Flavor.SNO_GPU) {
                opts.internalToken(FAKE_KEY);
            }
            DispatchFunction adapter = f.adapter(opts);
            DispatchContext c = ctxFor(f, null);

            List<Throwable> failures = List.of(failure(adapter, c), failure(adapter, c), failure(adapter, c));

            assertThat(failures.get(0)).hasMessageContaining("Incorrect API key provided: sk-…3210");
            for (Throwable t : failures) {
                StringWriter trace = new StringWriter();
                t.printStackTrace(new PrintWriter(trace));
                assertThat(trace.toString()).doesNotContain(FAKE_KEY);
                assertThat(t.toString()).doesNotContain(FAKE_KEY);
            }
            assertThat(c.toString()).doesNotContain(FAKE_KEY);
            assertThat(opts.build().toString()).doesNotContain(FAKE_KEY);
            assertThat(adapter.toString()).doesNotContain(FAKE_KEY);
            assertThat(logs.list).allSatisfy(ev -> assertThat(ev.getFormattedMessage()).doesNotContain(FAKE_KEY));
        } finally {
            root.detachAppender(logs);
        }
    }

    @Test
    void theRequestIsSentExactlyOnceEvenOnRetryableErrors() {
        server.enqueue(json(503, "{\"error\":{\"message\":\"busy\"}}"));

        providerFailure(Flavor.OPENAI.adapter(options()), ctxFor(Flavor.OPENAI, null));

        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void defaultTimeoutsFollowTheSpec() {
        LlmConfig noTimeout = LlmConfig.builder("openai", "m").build();
        assertThat(AdapterSupport.requestTimeout(noTimeout, AdapterOptions.DEFAULT_REQUEST_TIMEOUT))
                .isEqualTo(Duration.ofSeconds(120));
        LlmConfig zero = noTimeout.toBuilder().timeout(new TimeoutConfig(0, null)).build();
        assertThat(AdapterSupport.requestTimeout(zero, AdapterOptions.SNO_GPU_DEFAULT_REQUEST_TIMEOUT))
                .isEqualTo(Duration.ofSeconds(960));
        LlmConfig thirty = noTimeout.toBuilder().timeout(new TimeoutConfig(30, 5)).build();
        assertThat(AdapterSupport.requestTimeout(thirty, AdapterOptions.DEFAULT_REQUEST_TIMEOUT))
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(AdapterOptions.defaults().connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
