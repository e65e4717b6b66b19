package dev.llmix.provider.http;

import static dev.llmix.testsupport.SseResponses.data;
import static dev.llmix.testsupport.SseResponses.sse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.config.LlmConfig;
import dev.llmix.keys.KeyPool;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.pipeline.PipelineConfig;
import dev.llmix.pipeline.SemaphoreSnapshot;
import dev.llmix.providers.ProviderAdapters;
import dev.llmix.spi.CallInput;
import dev.llmix.spi.DispatchFunction;
import dev.llmix.spi.ProviderStreamEvent;
import dev.llmix.spi.StreamingDispatchFunction;
import dev.llmix.testsupport.RecordingChunkSubscriber;
import dev.llmix.testsupport.SseResponses;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ServerSocketFactory;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A slow subscriber against a provider that writes as fast as it can (docs/streaming.md, "Back-pressure and memory"):
 * the pipeline holds at most {@code streamBufferChunks} undelivered chunks, the server's writes block on TCP flow
 * control, and the heap does not grow with the provider's output. Check 30 of the streaming contract.
 *
 * <p>Loopback socket buffers grow on their own (on Linux up to {@code tcp_rmem}/{@code tcp_wmem} maxima of several
 * MiB), enough to swallow the whole 3.9 MB body without a blocked write. The test pins them, as a link to a remote
 * provider would be: the server's accepted socket sends through 32 KiB, and the JDK client's socket receives into
 * 64 KiB ({@code jdk.httpclient.receiveBufferSize}, read per connection, set only for this test).
 */
class SlowSubscriberTest {

    /** Server sockets whose accepted connections have a fixed 32 KiB send buffer. */
    private static final class SmallSendBuffers extends ServerSocketFactory {
        private static ServerSocket socket() throws IOException {
            return new ServerSocket() {
                @Override
                public Socket accept() throws IOException {
                    Socket s = super.accept();
                    s.setSendBufferSize(32 * 1024);
                    return s;
                }
            };
        }

        @Override
        public ServerSocket createServerSocket() throws IOException {
            return socket();
        }

        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            ServerSocket s = socket();
            s.bind(new InetSocketAddress(port));
            return s;
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog) throws IOException {
            ServerSocket s = socket();
            s.bind(new InetSocketAddress(port), backlog);
            return s;
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
            ServerSocket s = socket();
            s.bind(new InetSocketAddress(address, port), backlog);
            return s;
        }
    }

    private static final int CHUNKS = 20_000;
    private static final String RECEIVE_BUFFER = "jdk.httpclient.receiveBufferSize";
    private static final int BUFFER = PipelineConfig.builder().build().streamBufferChunks();

    @TempDir
    Path stateDir;

    private final MockWebServer server = new MockWebServer();

    @BeforeEach
    void start() throws IOException {
        server.setServerSocketFactory(new SmallSendBuffers());
        server.start();
        System.setProperty(RECEIVE_BUFFER, String.valueOf(64 * 1024));
    }

    @AfterEach
    void stop() {
        System.clearProperty(RECEIVE_BUFFER);
        server.close();
    }

    private static long usedHeapAfterGc(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(20);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    // 30: 20,000 chunks of 100 bytes at full speed, one taken every 5 ms for 1 s, then cancel
    @Test
    void aSlowSubscriberKeepsTheBufferBoundedBlocksTheServerAndDoesNotGrowTheHeap() throws Exception {
        String event = data("{\"model\":\"gpt-4\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\""
                + "y".repeat(100) + "\"},\"finish_reason\":null}]}");
        long total = (long) CHUNKS * event.getBytes(StandardCharsets.UTF_8).length;
        SseResponses.Script script = new SseResponses.Script(List.of(new SseResponses.Repeat(event, CHUNKS),
                data("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}"), data("[DONE]")));
        server.enqueue(sse(script));

        // Text events that reached the pipeline minus chunks the subscriber took: what the pipeline holds.
        AtomicLong textEvents = new AtomicLong();
        AtomicLong maxHeld = new AtomicLong();
        // Requests nothing on its own: one chunk is asked for every 5 ms below.
        RecordingChunkSubscriber s = new RecordingChunkSubscriber(0);
        DispatchFunction routing = ProviderAdapters.routing(AdapterTestSupport.options().build());
        StreamingDispatchFunction http = (StreamingDispatchFunction) routing;
        StreamingDispatchFunction counting = ctx -> subscriber -> http.dispatchStream(ctx).subscribe(
                new Flow.Subscriber<ProviderStreamEvent>() {
                    @Override
                    public void onSubscribe(Flow.Subscription s) {
                        subscriber.onSubscribe(s);
                    }

                    @Override
                    public void onNext(ProviderStreamEvent e) {
                        if (e instanceof ProviderStreamEvent.TextDelta) {
                            // The pipeline asks for events only after onNext returned, so taken chunks are counted.
                            long held = textEvents.incrementAndGet() - s.chunks().size();
                            maxHeld.accumulateAndGet(held, Math::max);
                        }
                        subscriber.onNext(e);
                    }

                    @Override
                    public void onError(Throwable t) {
                        subscriber.onError(t);
                    }

                    @Override
                    public void onComplete() {
                        subscriber.onComplete();
                    }
                });
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        try (CallPipeline p = new CallPipeline(PipelineConfig.builder().maxRetries(0).retryBaseMs(1)
                .retryMaxDelayMs(1).retryJitterMs(0).jitterRandom(() -> 0).stateDir(stateDir).env(name -> null)
                .streamingDispatch(counting).build(), routing)) {
            p.setKeyPool("openai", new KeyPool(List.of("test-key")));
            LlmConfig config = LlmConfig.builder("openai", "gpt-4").baseUrl(AdapterTestSupport.base(server, "/v1"))
                    .build();
            long before = usedHeapAfterGc(memory);
            p.stream(CallInput.of(config, AdapterTestSupport.HELLO)).subscribe(s);
            for (int i = 0; i < 200; i++) {
                s.request(1);
                Thread.sleep(5);
            }
            long after = usedHeapAfterGc(memory);
            long written = script.bytesWritten();
            System.out.printf("SlowSubscriberTest: %d of %d bytes written, %d chunks taken, at most %d held, "
                    + "heap growth %d KiB%n", written, total, s.chunks().size(), maxHeld.get(), (after - before) / 1024);

            assertThat(s.deltas()).hasSizeLessThanOrEqualTo(200);
            assertThat(maxHeld.get()).as("chunks held by the pipeline").isLessThanOrEqualTo(BUFFER);
            // TCP flow control holds the writer: far from all of the body left the server.
            assertThat(script.finished()).isFalse();
            assertThat(written).isLessThan(total);
            assertThat(after - before).as("heap growth in bytes").isLessThan(16L * 1024 * 1024);

            s.cancel();
            long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!script.clientGone() && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            assertThat(script.clientGone()).as("the connection was closed by the cancel").isTrue();
            SemaphoreSnapshot limiter = p.snapshot().semaphores().get("openai");
            assertThat(limiter.inFlight()).isZero();
            assertThat(limiter.waiters()).isZero();
            assertThat(p.streamsInFlight()).isZero();
        }
    }
}
