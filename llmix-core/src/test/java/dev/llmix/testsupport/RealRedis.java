package dev.llmix.testsupport;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Redis server for tests: a {@code redis:7} container when Docker is available, otherwise a {@code redis-server}
 * process on a free loopback port, with the fault hooks ({@link #kill()}, {@link #restart()}) that L2 degradation tests
 * need.
 *
 * <p>Use it either as a JUnit extension, which starts the server before the class, makes sure it is running again before
 * each test (a test that killed it and failed does not break the next one) and stops it after the class:
 * <pre>{@code
 * @RegisterExtension
 * static final RealRedis REDIS = RealRedis.create();
 * }</pre>
 * or by hand, {@code try (RealRedis redis = RealRedis.started()) { ... }}.
 *
 * <p>The choice can be forced with the system property {@value #MODE_PROPERTY} ({@code auto} (default),
 * {@code docker} or {@code process}); {@value #SERVER_PROPERTY} names the {@code redis-server} binary when it is not on
 * the {@code PATH}.
 */
public final class RealRedis implements AutoCloseable, BeforeAllCallback, AfterAllCallback, BeforeEachCallback {

    /** System property choosing the backend: {@code auto}, {@code docker} or {@code process}. */
    public static final String MODE_PROPERTY = "llmix.test.redis";
    /** System property naming the {@code redis-server} executable (default: found on the {@code PATH}). */
    public static final String SERVER_PROPERTY = "llmix.test.redis-server";

    /** What actually runs the server; both run on a fixed host port for their whole life. */
    interface Backend extends AutoCloseable {
        String host();

        int port();

        void kill();

        void restart();

        boolean killed();

        String description();

        @Override
        void close();
    }

    private @Nullable Backend backend;

    private RealRedis() {
    }

    /** A server that is not started yet; {@link #start()} (or registering it as an extension) starts it. */
    public static RealRedis create() {
        return new RealRedis();
    }

    /** A started server, for try-with-resources. */
    public static RealRedis started() {
        return create().start();
    }

    /**
     * Starts the server if it is not running yet.
     *
     * @throws IllegalStateException when neither Docker nor a {@code redis-server} binary is available, naming both
     */
    public synchronized RealRedis start() {
        if (backend == null) {
            backend = chooseBackend();
        }
        return this;
    }

    /** The host clients connect to ({@code 127.0.0.1} for the process backend). */
    public String host() {
        return running().host();
    }

    /** The TCP port clients connect to; it stays the same across {@link #kill()} and {@link #restart()}. */
    public int port() {
        return running().port();
    }

    /** {@code redis://host:port}, suitable for {@code REDIS_URL}. */
    public String url() {
        return "redis://" + host() + ":" + port();
    }

    /**
     * Makes the server unreachable at once: SIGKILL for the process (connections are reset, new ones refused), a pause
     * for the container (connections hang until the client's timeout).
     */
    public void kill() {
        running().kill();
    }

    /**
     * Brings the server back on the same host and port so that clients reconnect by themselves; kills it first when it
     * is running. A restarted process starts empty (no persistence); an unpaused container keeps its data.
     */
    public void restart() {
        running().restart();
        RespClient.awaitPong(host(), port(), 10_000, null);
    }

    /** True between {@link #kill()} and the next {@link #restart()}. */
    public boolean isKilled() {
        return running().killed();
    }

    /** Deletes every key (FLUSHALL). */
    public void flushAll() {
        command("FLUSHALL");
    }

    /**
     * Sends one command over a fresh connection and returns the reply: {@code String} for status and bulk replies,
     * {@code Long} for integers, {@code List} for arrays, {@code null} for a nil reply.
     *
     * @throws IllegalStateException for an error reply or an I/O failure
     */
    public @Nullable Object command(String... args) {
        try {
            return RespClient.command(host(), port(), 2_000, args);
        } catch (IOException e) {
            throw new IllegalStateException("Redis command " + args[0] + " failed on " + describe(), e);
        }
    }

    /** Human-readable description of the backend, for test output. */
    public String describe() {
        Backend b = backend;
        return b == null ? "RealRedis (not started)" : b.description();
    }

    /** Stops the server and removes its files; safe to call twice. */
    @Override
    public synchronized void close() {
        Backend b = backend;
        backend = null;
        if (b != null) {
            b.close();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (running().killed()) {
            restart();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public String toString() {
        return describe();
    }

    private Backend running() {
        Backend b = backend;
        if (b == null) {
            throw new IllegalStateException("RealRedis is not started; call start() or register it with @RegisterExtension");
        }
        return b;
    }

    private static Backend chooseBackend() {
        String mode = System.getProperty(MODE_PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        @Nullable File server = findRedisServer();
        switch (mode) {
            case "docker":
                if (!dockerAvailable()) {
                    throw new IllegalStateException(MODE_PROPERTY + "=docker but no Docker environment is available");
                }
                return new ContainerRedis();
            case "process":
                if (server == null) {
                    throw new IllegalStateException(MODE_PROPERTY + "=process but no redis-server executable was found "
                            + "on the PATH (or in -D" + SERVER_PROPERTY + ")");
                }
                return ProcessRedis.start(server);
            case "auto":
                // A local binary is the quicker, more faithful choice for fault tests only when Docker is absent; the
                // container is preferred when it can run so every machine tests the same redis:7.
                if (dockerAvailable()) {
                    return new ContainerRedis();
                }
                if (server != null) {
                    return ProcessRedis.start(server);
                }
                throw new IllegalStateException("These tests need a real Redis, and neither option is available: "
                        + "(1) Docker for Testcontainers (redis:7 image) — no Docker environment was found; "
                        + "(2) a redis-server executable — none on the PATH (install it, e.g. `apt-get install "
                        + "redis-server`, or pass -D" + SERVER_PROPERTY + "=/path/to/redis-server).");
            default:
                throw new IllegalStateException("Unknown " + MODE_PROPERTY + "=" + mode + "; expected auto, docker or process");
        }
    }

    private static boolean dockerAvailable() {
        try {
            Class.forName("org.testcontainers.DockerClientFactory", false, RealRedis.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return false;
        }
        return ContainerRedis.dockerAvailable();
    }

    private static @Nullable File findRedisServer() {
        String explicit = System.getProperty(SERVER_PROPERTY);
        if (explicit != null && !explicit.isBlank()) {
            File f = new File(explicit.trim());
            return f.canExecute() ? f : null;
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : List.of(path.split(File.pathSeparator))) {
            if (dir.isEmpty()) {
                continue;
            }
            File f = new File(dir, "redis-server");
            if (f.isFile() && f.canExecute()) {
                return f;
            }
        }
        return null;
    }
}
