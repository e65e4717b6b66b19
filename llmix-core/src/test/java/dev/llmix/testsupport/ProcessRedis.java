package dev.llmix.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** A {@code redis-server} child process on a loopback port that stays fixed across kill and restart. */
final class ProcessRedis implements RealRedis.Backend {

    private static final String HOST = "127.0.0.1";
    private static final int START_ATTEMPTS = 5;

    private final File executable;
    private final Path workDir;
    private final int port;
    private final Thread shutdownHook;
    private @Nullable Process process;

    private ProcessRedis(File executable, Path workDir, int port) {
        this.executable = executable;
        this.workDir = workDir;
        this.port = port;
        // Never leave an orphaned server behind when a test JVM exits without closing us.
        this.shutdownHook = new Thread(this::destroyProcess, "real-redis-shutdown");
    }

    static ProcessRedis start(File executable) {
        Path dir;
        try {
            dir = Files.createTempDirectory("llmix-real-redis");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        IllegalStateException last = null;
        // The free port is found by binding and releasing it, so another process can grab it in between: retry.
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            ProcessRedis redis = new ProcessRedis(executable, dir, freePort());
            try {
                redis.launch();
                Runtime.getRuntime().addShutdownHook(redis.shutdownHook);
                return redis;
            } catch (IllegalStateException e) {
                redis.destroyProcess();
                last = e;
            }
        }
        deleteRecursively(dir);
        throw new IllegalStateException("Could not start " + executable + ": " + last.getMessage(), last);
    }

    @Override
    public String host() {
        return HOST;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public synchronized void kill() {
        destroyProcess();
    }

    @Override
    public synchronized void restart() {
        destroyProcess();
        // redis-server sets SO_REUSEADDR, so the same port can be bound again right away.
        launch();
    }

    @Override
    public synchronized boolean killed() {
        Process p = process;
        return p == null || !p.isAlive();
    }

    @Override
    public String description() {
        return "redis-server process (" + executable + ") on " + HOST + ":" + port;
    }

    @Override
    public synchronized void close() {
        destroyProcess();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // JVM already shutting down; the hook runs anyway
        }
        deleteRecursively(workDir);
    }

    private void launch() {
        Path log = workDir.resolve("redis-" + port + ".log");
        ProcessBuilder pb = new ProcessBuilder(List.of(executable.getPath(),
                "--bind", HOST, "--port", Integer.toString(port),
                "--save", "", "--appendonly", "no",
                "--daemonize", "no", "--protected-mode", "yes",
                "--dir", workDir.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run " + executable + ": " + e.getMessage(), e);
        }
        try {
            RespClient.awaitPong(HOST, port, 10_000, process);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + "; server log: " + tail(log), e);
        }
    }

    private synchronized void destroyProcess() {
        Process p = process;
        if (p == null) {
            return;
        }
        p.destroyForcibly(); // SIGKILL on Unix: no graceful shutdown, exactly like a crash
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("redis-server (pid " + p.pid() + ") did not die after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp directory left behind is harmless
        }
    }
}
