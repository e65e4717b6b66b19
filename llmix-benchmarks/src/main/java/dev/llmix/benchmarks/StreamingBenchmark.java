package dev.llmix.benchmarks;

import com.sun.net.httpserver.HttpServer;
import dev.llmix.config.LlmConfig;
import dev.llmix.keys.KeyPool;
import dev.llmix.pipeline.CallChunk;
import dev.llmix.spi.CallInput;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.pipeline.PipelineConfig;
import dev.llmix.provider.http.AdapterOptions;
import dev.llmix.providers.ProviderAdapters;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Streaming overhead (docs/performance.md): a loopback server sends a pre-rendered OpenAI-compatible SSE body of
 * {@value #N} four-character chunks, a usage chunk and {@code [DONE]}; {@link #rawJdkClient} reads it with a plain JDK
 * {@link HttpClient} (line subscriber, one Jackson tree parse per payload), {@link #pipelineStream} through
 * {@link CallPipeline#stream} and the OpenAI-compatible adapter. The first-chunk pair uses an endpoint that sends the
 * first chunk at once and the rest later. Each path is checked in {@code @Setup}.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class StreamingBenchmark {

    /** Content chunks per stream. */
    static final int N = 1000;

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final String EXPECTED = "abcd".repeat(N);

    private HttpServer server;
    private ExecutorService serverThreads;
    private HttpClient client;
    private URI full;
    private URI slow;
    private CallPipeline pipeline;
    private Path stateDir;
    private CallInput fullInput;
    private CallInput slowInput;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        StringBuilder body = new StringBuilder();
        body.append("data: {\"model\":\"gpt-4\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}\n\n");
        for (int i = 0; i < N; i++) {
            body.append("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"abcd\"}}]}\n\n");
        }
        body.append("data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
        body.append("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":1000,"
                + "\"total_tokens\":1009}}\n\n");
        body.append("data: [DONE]\n\n");
        byte[] whole = body.toString().getBytes(StandardCharsets.UTF_8);
        byte[] first = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"abcd\"}}]}\n\n"
                .getBytes(StandardCharsets.UTF_8);

        // Headers and body go out in separate writes; without TCP_NODELAY, Nagle plus the client's delayed ACK stall
        // a reused connection for ~40 ms, which measured the kernel, not the stream.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        serverThreads = Executors.newFixedThreadPool(4);
        server.setExecutor(serverThreads);
        server.createContext("/full/chat/completions", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, whole.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(whole);
            }
        });
        server.createContext("/slow/chat/completions", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(first);
                out.flush();
                Thread.sleep(5);
                out.write(whole);
            } catch (IOException | InterruptedException clientLeft) {
                // The first-chunk benchmarks cancel after the first chunk.
            }
        });
        server.start();
        String root = "http://127.0.0.1:" + server.getAddress().getPort();
        full = URI.create(root + "/full/chat/completions");
        slow = URI.create(root + "/slow/chat/completions");
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        stateDir = Files.createTempDirectory("llmix-bench-stream");
        pipeline = new CallPipeline(PipelineConfig.builder().stateDir(stateDir).build(),
                ProviderAdapters.routing(AdapterOptions.builder().httpClient(client).build()));
        pipeline.setKeyPool("openai", new KeyPool(List.of("sk-bench-0000000000000000")));
        List<Map<String, String>> messages = List.of(Map.of("role", "user", "content", "stream please"));
        fullInput = CallInput.of(LlmConfig.builder("openai", "gpt-4").baseUrl(root + "/full").build(), messages);
        slowInput = CallInput.of(LlmConfig.builder("openai", "gpt-4").baseUrl(root + "/slow").build(), messages);

        // Each path must do what it claims: all chunks, the expected text, the usage.
        Checks.equal(rawJdkClient(), EXPECTED.length(), "raw client characters");
        CallResponse done = streamToEnd();
        Checks.success(done);
        if (!EXPECTED.equals(done.content()) || done.usage().outputTokens() != N) {
            throw new IllegalStateException("pipeline stream assembled the wrong answer: " + done);
        }
        Checks.equal(firstChunkRaw(), 4, "raw first chunk");
        Checks.equal(firstChunkPipeline(), 4, "pipeline first chunk");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        pipeline.close();
        server.stop(0);
        serverThreads.shutdownNow();
        Files.deleteIfExists(stateDir);
    }

    /** Baseline: JDK client, line splitting, one Jackson tree parse per data payload. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int rawJdkClient() throws Exception {
        StringBuilder text = new StringBuilder();
        CompletableFuture<Integer> done = new CompletableFuture<>();
        client.sendAsync(request(full), HttpResponse.BodyHandlers.fromLineSubscriber(new RawLines(text, done, false)))
                .exceptionally(e -> {
                    done.completeExceptionally(e);
                    return null;
                });
        return done.get(30, TimeUnit.SECONDS);
    }

    /** The same stream through {@link CallPipeline#stream}, caching disabled, requesting everything. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int pipelineStream() throws Exception {
        return streamToEnd().content().length();
    }

    /** Start to first content, raw client. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int firstChunkRaw() throws Exception {
        StringBuilder text = new StringBuilder();
        CompletableFuture<Integer> first = new CompletableFuture<>();
        client.sendAsync(request(slow), HttpResponse.BodyHandlers.fromLineSubscriber(new RawLines(text, first, true)))
                .exceptionally(e -> {
                    first.completeExceptionally(e);
                    return null;
                });
        return first.get(30, TimeUnit.SECONDS);
    }

    /** Start to first content chunk, pipeline; cancels after it. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int firstChunkPipeline() throws Exception {
        CompletableFuture<Integer> first = new CompletableFuture<>();
        pipeline.stream(slowInput).subscribe(new Flow.Subscriber<>() {
            private Flow.Subscription s;

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                s = subscription;
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(CallChunk chunk) {
                if (!chunk.contentDelta().isEmpty()) {
                    first.complete(chunk.contentDelta().length());
                    s.cancel();
                } else if (chunk.done()) {
                    first.completeExceptionally(new IllegalStateException(String.valueOf(chunk.response())));
                }
            }

            @Override
            public void onError(Throwable t) {
                first.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
            }
        });
        return first.get(30, TimeUnit.SECONDS);
    }

    private CallResponse streamToEnd() throws InterruptedException {
        CallResponse[] done = new CallResponse[1];
        CountDownLatch ended = new CountDownLatch(1);
        pipeline.stream(fullInput).subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(CallChunk chunk) {
                if (chunk.done()) {
                    done[0] = chunk.response();
                }
            }

            @Override
            public void onError(Throwable t) {
                ended.countDown();
            }

            @Override
            public void onComplete() {
                ended.countDown();
            }
        });
        if (!ended.await(30, TimeUnit.SECONDS) || done[0] == null) {
            throw new IllegalStateException("stream did not end");
        }
        return done[0];
    }

    private static HttpRequest request(URI uri) {
        return HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .header("Authorization", "Bearer sk-bench-0000000000000000")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4\",\"stream\":true}"))
                .build();
    }

    /** The baseline's line subscriber: {@code data:} payloads parsed as trees, content appended. */
    private static final class RawLines implements Flow.Subscriber<String> {
        private final StringBuilder text;
        private final CompletableFuture<Integer> done;
        private final boolean firstOnly;
        private Flow.Subscription subscription;

        RawLines(StringBuilder text, CompletableFuture<Integer> done, boolean firstOnly) {
            this.text = text;
            this.done = done;
            this.firstOnly = firstOnly;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (!line.startsWith("data: ") || line.equals("data: [DONE]")) {
                return;
            }
            JsonNode node = MAPPER.readTree(line.substring(6));
            JsonNode content = node.path("choices").path(0).path("delta").get("content");
            if (content != null && content.isString()) {
                text.append(content.asString());
                if (firstOnly) {
                    done.complete(text.length());
                    subscription.cancel();
                }
            }
        }

        @Override
        public void onError(Throwable t) {
            done.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            done.complete(text.length());
        }
    }
}
