package dev.llmix.provider.http;

import dev.llmix.providers.ProviderAdapters;
import static dev.llmix.provider.http.AdapterTestSupport.HELLO;
import static dev.llmix.provider.http.AdapterTestSupport.ctx;
import static dev.llmix.provider.http.AdapterTestSupport.failure;
import static dev.llmix.provider.http.AdapterTestSupport.options;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.config.LlmConfig;
import dev.llmix.spi.DispatchFunction;
import dev.llmix.spi.ProviderException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile-input item 3 of docs/reliability.md: each response the JDK HTTP client rejects while parsing the status line
 * or the headers fails the call and leaves no socket behind (counted as open descriptors of this JVM). The JDK client
 * itself keeps such sockets open; LLMix retires its client, which only Java 21+ can shut down, hence the JRE range
 * (run it on Java 17 builds with {@code -Djvm=<path to a Java 21+ java>}).
 */
@EnabledOnOs(OS.LINUX)
@EnabledForJreRange(min = JRE.JAVA_21)
class HostileStatusLineTest {

    private static final int CALLS = 30;
    /** Descriptors other threads of the test JVM may open meanwhile; a leak is one per call. */
    private static final int SLACK = 8;

    private ServerSocket listener;
    private final ExecutorService serverThreads = Executors.newCachedThreadPool();
    private volatile byte[] reply = new byte[0];

    @BeforeEach
    void start() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        serverThreads.execute(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket s = listener.accept();
                    serverThreads.execute(() -> answer(s));
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    @AfterEach
    void stop() throws IOException {
        listener.close();
        serverThreads.shutdownNow();
    }

    /** Reads the request head, writes the malformed reply and closes: the client sees a FIN after the bytes. */
    private void answer(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            int matched = 0;
            int b;
            byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            while (matched < 4 && (b = in.read()) >= 0) {
                matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
            }
            out.write(reply);
            out.flush();
        } catch (IOException ignored) {
            // the client may hang up first; that is fine
        }
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    private static byte[] malformed(String name) {
        String ok = "Content-Type: application/json\r\n";
        String text = switch (name) {
            case "status-not-a-number" -> "HTTP/1.1 abc\r\n" + ok + "\r\n";
            case "http2-status-line" -> "HTTP/2 200\r\n" + ok + "Content-Length: 2\r\n\r\n{}";
            case "nul-in-header" -> "HTTP/1.1 200 OK\r\nX-Bad: a\u0000b\r\n" + ok + "Content-Length: 2\r\n\r\n{}";
            case "content-length-abc" -> "HTTP/1.1 200 OK\r\n" + ok + "Content-Length: abc\r\n\r\n{}";
            case "500-kb-header" -> "HTTP/1.1 200 OK\r\nX-Big: " + "a".repeat(500 * 1024) + "\r\n" + ok
                    + "Content-Length: 2\r\n\r\n{}";
            default -> throw new IllegalArgumentException(name);
        };
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"status-not-a-number", "http2-status-line", "nul-in-header", "content-length-abc",
            "500-kb-header"})
    void aRejectedResponseFailsTheCallAndLeavesNoSocketOpen(String name) throws Exception {
        assertNoSocketLeft(name, ProviderAdapters.forProvider("openai", options().build()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"status-not-a-number", "content-length-abc"})
    void theRoutingDispatchLeavesNoSocketOpenEither(String name) throws Exception {
        assertNoSocketLeft(name, ProviderAdapters.routing(options().build()));
    }

    private void assertNoSocketLeft(String name, DispatchFunction adapter) throws Exception {
        reply = malformed(name);
        LlmConfig config = LlmConfig.builder("openai", "gpt-4o-mini")
                .baseUrl("http://127.0.0.1:" + listener.getLocalPort() + "/v1").build();
        // One call first, so lazily created client threads and selectors are not counted as leaks.
        assertThat(failure(adapter, ctx(config, "sk-status-line-test-0000", HELLO, Map.of())))
                .isInstanceOf(ProviderException.class);
        long before = openDescriptors();

        for (int i = 0; i < CALLS; i++) {
            Throwable t = failure(adapter, ctx(config, "sk-status-line-test-0000", HELLO, Map.of()));
            assertThat(t).as(name).isInstanceOf(ProviderException.class);
            assertThat(((ProviderException) t).isNetworkError()).as(name + ": " + t).isTrue();
        }

        long after = openDescriptors();
        for (int wait = 0; wait < 100 && after - before > SLACK; wait++) {
            Thread.sleep(50); // closing is asynchronous in the client; a leak never settles
            after = openDescriptors();
        }
        assertThat(after - before).as(name + ": descriptors left open by " + CALLS + " calls").isLessThanOrEqualTo(SLACK);
    }
}
