package dev.llmix.spring.autoconfigure;

import dev.llmix.client.LlmixClient;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Shuts LLMix down gracefully when the context closes: the client stops accepting calls, the calls still running get
 * up to {@code llmix.pipeline.shutdown-timeout} to finish, then the pipeline is closed. Runs in a phase below the web
 * server's, so HTTP requests are drained first and can still use the client while they finish.
 */
public final class LlmixGracefulShutdown implements SmartLifecycle {

    /** Stops after the web server's graceful shutdown ({@code DEFAULT_PHASE - 1024}) and stop ({@code - 2048}). */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Logger log = LoggerFactory.getLogger(LlmixGracefulShutdown.class);

    private final LlmixClient client;
    private final AutoCloseable pipeline;
    private final Duration timeout;
    private volatile boolean running;

    public LlmixGracefulShutdown(LlmixClient client, AutoCloseable pipeline, Duration timeout) {
        this.client = client;
        this.pipeline = pipeline;
        this.timeout = timeout;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        if (!running) {
            return;
        }
        running = false;
        client.shutdown();
        try {
            if (!client.awaitInFlight(timeout)) {
                log.warn("LLMix shutdown: {} call(s) still in flight after {}; closing the pipeline anyway.",
                        client.inFlight(), timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            pipeline.close();
        } catch (Exception e) {
            log.warn("LLMix shutdown: closing the pipeline failed: {}", e.toString());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
