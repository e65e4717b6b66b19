package dev.llmix.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away {@code redis-server} on a free loopback port, without persistence, for the L2 benchmarks. Written here
 * rather than borrowed from the core test-jar so the benchmark jar carries no test-scoped code or JUnit.
 */
final class LocalRedisServer implements AutoCloseable {

    private static final long START_TIMEOUT_MS = 10_000;

    private final Process process;
    private final Path workDir;
    private final int port;

    private LocalRedisServer(Process process, Path workDir, int port) {
        this.process = process;
        this.workDir = workDir;
        this.port = port;
    }

    /**
     * Starts {@code redis-server} (from the {@code PATH}, or the {@code llmix.redis.server} system property) and
     * waits until it answers PING.
     *
     * @throws IllegalStateException when it cannot be started or does not answer within 10 s
     */
    static LocalRedisServer start() throws IOException, InterruptedException {
        String binary = System.getProperty("llmix.redis.server", "redis-server");
        int port = freePort();
        Path workDir = Files.createTempDirectory("llmix-bench-redis");
        Process process;
        try {
            process = new ProcessBuilder(List.of(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", workDir.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("redis.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start " + binary + " (install redis-server or set "
                    + "-Dllmix.redis.server=/path/to/redis-server): " + e.getMessage(), e);
        }
        LocalRedisServer server = new LocalRedisServer(process, workDir, port);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
        while (!server.answersPing()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                String log = Files.readString(workDir.resolve("redis.log"));
                server.close();
                throw new IllegalStateException("redis-server did not start on port " + port + ":\n" + log);
            }
            Thread.sleep(20);
        }
        return server;
    }

    int port() {
        return port;
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        Files.deleteIfExists(workDir.resolve("redis.log"));
        Files.deleteIfExists(workDir);
    }

    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(7);
            return "+PONG\r\n".equals(new String(reply, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
