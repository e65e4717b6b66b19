package dev.llmix.testsupport;

import com.github.dockerjava.api.DockerClient;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A {@code redis:7} container through Testcontainers. Kill pauses the container and restart unpauses it, which keeps the
 * mapped host port, so clients reconnect to the same address.
 */
final class ContainerRedis implements RealRedis.Backend {

    private static final int REDIS_PORT = 6379;

    private final GenericContainer<?> container;
    private volatile boolean paused;

    ContainerRedis() {
        container = new GenericContainer<>(DockerImageName.parse("redis:7")).withExposedPorts(REDIS_PORT);
        container.start();
        RespClient.awaitPong(host(), port(), 10_000, null);
    }

    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @Override
    public String host() {
        return container.getHost();
    }

    @Override
    public int port() {
        return container.getMappedPort(REDIS_PORT);
    }

    @Override
    public synchronized void kill() {
        if (!paused) {
            docker().pauseContainerCmd(container.getContainerId()).exec();
            paused = true;
        }
    }

    @Override
    public synchronized void restart() {
        kill();
        docker().unpauseContainerCmd(container.getContainerId()).exec();
        paused = false;
    }

    @Override
    public boolean killed() {
        return paused;
    }

    @Override
    public String description() {
        return "redis:7 container on " + host() + ":" + port();
    }

    @Override
    public void close() {
        container.stop();
    }

    private static DockerClient docker() {
        return DockerClientFactory.instance().client();
    }
}
