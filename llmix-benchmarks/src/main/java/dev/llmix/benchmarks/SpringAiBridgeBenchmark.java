package dev.llmix.benchmarks;

import com.sun.net.httpserver.HttpServer;
import dev.llmix.client.LlmixClient;
import dev.llmix.config.CachingStrategy;
import dev.llmix.config.CommonParams;
import dev.llmix.config.LlmConfig;
import dev.llmix.keys.KeyPool;
import dev.llmix.spi.CallInput;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.pipeline.PipelineConfig;
import dev.llmix.provider.http.OpenAiCompatibleAdapter;
import dev.llmix.springai.LlmixChatModel;
import dev.llmix.springai.LlmixChatOptions;
import dev.llmix.springai.LlmixMetadata;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Spring AI bridge against one loopback fake OpenAI server (HTTP/1.1, keep-alive, a fixed ~400-byte answer), same
 * 1 KB request everywhere: (a) the raw JDK {@code HttpClient} floor, (b) LLMix's OpenAI adapter through
 * {@code CallPipeline}, (c) Spring AI's own {@code OpenAiChatModel}, (d) {@code ChatClient} over {@code LlmixChatModel},
 * (e) the same with an L1 hit. {@code TargetReport} judges T1–T4 (docs/performance.md).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class SpringAiBridgeBenchmark {

    static final String TEXT = "Yes. Under the booking policy a date change made more than 48 hours before departure "
            + "is free for flexible fares, so moving it costs nothing.";
    static final String ANSWER = "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1,"
            + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
            + "\"content\":\"" + TEXT + "\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":240,"
            + "\"completion_tokens\":60,\"total_tokens\":300}}";
    private static final String KEY = "sk-bench-0000000000000000";

    private HttpServer server;
    private final AtomicLong requests = new AtomicLong();
    private HttpClient http;
    private HttpRequest rawRequest;
    private Path stateDir;
    private CallPipeline pipeline;
    private CallPipeline cachedPipeline;
    private CallInput input;
    private OpenAiChatModel springAi;
    private Prompt prompt;
    private ChatClient overLlmix;
    private ChatClient overLlmixCached;
    private String system;
    private String user;

    @Setup(Level.Trial)
    public void open() throws IOException {
        // The fake is the JDK's own HttpServer, not MockWebServer: Spring AI's OpenAI module brings OkHttp 4.12 while
        // MockWebServer 5 needs OkHttp 5, and one classpath cannot hold both. The JDK server needs neither, adds no
        // client library to any of the measured paths, and serves every path the same bytes.
        // Headers and body go out in separate writes; without TCP_NODELAY, Nagle plus delayed ACKs add ~40 ms.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        byte[] answer = ANSWER.getBytes(StandardCharsets.UTF_8);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
                requests.incrementAndGet();
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, answer.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "bench-fake-openai");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";

        List<Map<String, Object>> messages = BenchRequests.messages(BenchRequests.SMALL_BYTES);
        system = (String) messages.get(0).get("content");
        user = (String) messages.get(1).get("content");

        // (a) the floor: the same body, pre-serialised.
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String body = JsonMapper.builder().build().writeValueAsString(Map.of("model", BenchRequests.MODEL,
                "messages", messages, "temperature", 0.7, "max_tokens", 1024));
        rawRequest = HttpRequest.newBuilder(URI.create(base + "/chat/completions"))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();

        // (b) LLMix's adapter through the pipeline, caching disabled; (e) the same preset with memory caching.
        stateDir = Files.createTempDirectory("llmix-bench-springai");
        LlmConfig fresh = preset(base, CachingStrategy.DISABLED);
        LlmConfig cached = preset(base, CachingStrategy.MEMORY);
        pipeline = new CallPipeline(PipelineConfig.builder().stateDir(stateDir).build(), new OpenAiCompatibleAdapter());
        pipeline.setKeyPool(BenchRequests.PROVIDER, new KeyPool(List.of(KEY)));
        cachedPipeline = new CallPipeline(PipelineConfig.builder().stateDir(stateDir)
                .responseCache(BenchPipelines.memoryCache()).build(), new OpenAiCompatibleAdapter());
        cachedPipeline.setKeyPool(BenchRequests.PROVIDER, new KeyPool(List.of(KEY)));
        input = new CallInput(fresh, List.copyOf(messages), null);

        // (c) Spring AI's own model, no SDK retries.
        springAi = OpenAiChatModel.builder().options(OpenAiChatOptions.builder().baseUrl(base).apiKey(KEY)
                .model(BenchRequests.MODEL).temperature(0.7).maxTokens(1024).maxRetries(0).build()).build();
        prompt = new Prompt(List.<Message>of(new SystemMessage(system), new UserMessage(user)));

        // (d) and (e): ChatClient over LlmixChatModel.
        overLlmix = ChatClient.create(model(pipeline, fresh));
        overLlmixCached = ChatClient.create(model(cachedPipeline, cached));

        check();
    }

    private static LlmConfig preset(String base, CachingStrategy caching) {
        return LlmConfig.builder(BenchRequests.PROVIDER, BenchRequests.MODEL).baseUrl(base)
                .common(CommonParams.builder().temperature(0.7).maxOutputTokens(1024).build())
                .caching(caching).build();
    }

    private static LlmixChatModel model(CallPipeline pipeline, LlmConfig preset) {
        return LlmixChatModel.builder(new LlmixClient(pipeline, (m, p) -> preset))
                .defaultOptions(LlmixChatOptions.builder().module("bench").preset("chat").build()).build();
    }

    /** Each path adds the fake requests it claims and returns the fixture text; (e) is an L1 hit. */
    private void check() {
        long before = requests.get();
        Checks.equal(rawHttpClient().length() > 0 ? 1 : 0, 1, "raw answer");
        Checks.equal(requests.get() - before, 1, "(a) requests per op");
        before = requests.get();
        Checks.success(llmixAdapterPipeline());
        Checks.equal(requests.get() - before, 1, "(b) requests per op");
        before = requests.get();
        ChatResponse c = springAiOpenAiChatModel();
        Checks.equal(TEXT.equals(c.getResult().getOutput().getText()) ? 1 : 0, 1, "(c) text");
        Checks.equal(requests.get() - before, 1, "(c) requests per op");
        before = requests.get();
        ChatResponse d = chatClientOverLlmix();
        Checks.equal(TEXT.equals(d.getResult().getOutput().getText()) ? 1 : 0, 1, "(d) text");
        Checks.equal(d.getMetadata().containsKey(LlmixMetadata.CACHE_HIT) ? 1 : 0, 0, "(d) cache hit");
        Checks.equal(requests.get() - before, 1, "(d) requests per op");
        chatClientOverLlmixCacheHit();
        before = requests.get();
        ChatResponse e = chatClientOverLlmixCacheHit();
        Checks.equal(requests.get() - before, 0, "(e) requests per op");
        Checks.equal("l1".equals(e.getMetadata().get(LlmixMetadata.CACHE_HIT)) ? 1 : 0, 1, "(e) l1 hit");
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        pipeline.close();
        cachedPipeline.close();
        server.stop(0);
        Files.deleteIfExists(stateDir.resolve("killswitch"));
        Files.deleteIfExists(stateDir);
    }

    /** (a) The floor: JDK HttpClient, HTTP/1.1, pre-serialised body, body read as a string. */
    @Benchmark
    public String rawHttpClient() {
        try {
            return http.send(rawRequest, HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** (b) {@code CallPipeline.call} with LLMix's OpenAI-compatible adapter, caching disabled. */
    @Benchmark
    public CallResponse llmixAdapterPipeline() {
        return pipeline.call(input);
    }

    /** (c) Spring AI's {@code OpenAiChatModel.call(Prompt)}, max retries 0. */
    @Benchmark
    public ChatResponse springAiOpenAiChatModel() {
        return springAi.call(prompt);
    }

    /** (d) {@code ChatClient} over {@code LlmixChatModel} over (b)'s pipeline, caching disabled. */
    @Benchmark
    public ChatResponse chatClientOverLlmix() {
        return overLlmix.prompt().system(system).user(user).call().chatResponse();
    }

    /** (e) (d) with {@code caching: memory}: an L1 hit. */
    @Benchmark
    public ChatResponse chatClientOverLlmixCacheHit() {
        return overLlmixCached.prompt().system(system).user(user).call().chatResponse();
    }
}
