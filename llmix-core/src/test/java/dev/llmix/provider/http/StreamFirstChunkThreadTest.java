package dev.llmix.provider.http;

import static dev.llmix.provider.http.AdapterTestSupport.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.llmix.config.LlmConfig;
import dev.llmix.keys.KeyPool;
import dev.llmix.pipeline.CallChunk;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.pipeline.PipelineConfig;
import dev.llmix.providers.ProviderAdapters;
import dev.llmix.spi.CallInput;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first chunk of a stream reaches the subscriber without a thread being started for it. The JDK client completes
 * a response future through {@code CompletableFuture}'s default executor, which is a new thread per completion on
 * machines with 2 CPUs or fewer; a stream's response future therefore completes only when the stream ends.
 */
class StreamFirstChunkThreadTest {

    private static final int STREAMS = 40;
    private static final byte[] FIRST = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"abcd\"}}]}\n\n"
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] REST = ("data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}"
            + "\n\ndata: [DONE]\n\n").getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path stateDir;

    private HttpServer server;
    private ExecutorService serverThreads;

    @BeforeEach
    void start() throws IOException {
        // The JDK server with a fixed pool: unlike MockWebServer it starts no thread per connection, so every thread
        // started during the streams is the client's.
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        serverThreads = Executors.newFixedThreadPool(2);
        server.setExecutor(serverThreads);
        server.createContext("/v1/chat/completions", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(FIRST);
                out.flush();
                Thread.sleep(20);
                out.write(REST);
            } catch (IOException | InterruptedException clientLeft) {
                // The subscriber cancels after the first chunk.
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        serverThreads.shutdownNow();
    }

    @Test
    void streamsCancelledAfterTheirFirstChunkStartNoThreadPerStream() throws Exception {
        LlmConfig preset = LlmConfig.builder("openai", "gpt-4")
                .baseUrl("http://127.0.0.1:" + server.getAddress().getPort() + "/v1").build();
        try (CallPipeline p = new CallPipeline(PipelineConfig.builder().stateDir(stateDir).env(name -> null).build(),
                ProviderAdapters.routing(options().build()))) {
            p.setKeyPool("openai", new KeyPool(List.of("test-key")));
            CallInput input = CallInput.of(preset, AdapterTestSupport.HELLO);
            for (int i = 0; i < 5; i++) { // the client's own threads start here
                assertThat(firstChunk(p, input)).isEqualTo("abcd");
            }
            long before = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount();
            for (int i = 0; i < STREAMS; i++) {
                assertThat(firstChunk(p, input)).isEqualTo("abcd");
            }
            long started = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount() - before;

            assertThat(started).as("threads started during %d streams", STREAMS).isLessThan(STREAMS / 4);
        }
    }

    private static String firstChunk(CallPipeline p, CallInput input) throws Exception {
        CompletableFuture<String> first = new CompletableFuture<>();
        p.stream(input).subscribe(new Flow.Subscriber<>() {
            private Flow.Subscription subscription;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(CallChunk chunk) {
                if (!chunk.contentDelta().isEmpty()) {
                    first.complete(chunk.contentDelta());
                    subscription.cancel();
                } else if (chunk.done()) {
                    first.completeExceptionally(new AssertionError(String.valueOf(chunk.response())));
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
        return first.get(10, TimeUnit.SECONDS);
    }
}
