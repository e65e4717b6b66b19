package dev.llmix.client;

import dev.llmix.config.ConfigNotFoundException;
import dev.llmix.config.LlmConfig;
import dev.llmix.spi.CallInput;
import dev.llmix.pipeline.CallFailure;
import dev.llmix.pipeline.CallFailureType;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.spi.InvalidMessagesException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The application-facing LLMix API: calls a preset (looked up by module and name through a {@link PresetResolver}) or
 * an explicit {@link LlmConfig} with chat messages, optionally with {@link CallOptions} overrides, through a
 * {@link CallPipeline}. Like the pipeline, a call never throws for an ordinary failure: it returns a
 * {@link CallResponse} with {@code success = false} and a typed {@link CallResponse#failure()}. An unknown preset is not
 * an ordinary failure: it throws {@link PresetNotFoundException} (an invalid one throws the resolver's config
 * exception), or fails the returned future.
 *
 * <p>Messages may be {@link Message}s or any JSON-like values (maps, lists, strings, numbers, booleans); messages are
 * turned into plain maps before the call so the cache key sees {@code {"role":…,"content":…}}.
 *
 * <p>The client counts its in-flight calls for graceful shutdown: after {@link #shutdown()} new calls return a failure
 * response ({@value #SHUT_DOWN_ERROR}) and {@link #awaitInFlight(Duration)} waits for the calls already running. It does
 * not close the pipeline; whoever created the pipeline does that afterwards. Thread-safe.
 */
public final class LlmixClient {

    /** The error of calls made after {@link #shutdown()}. */
    public static final String SHUT_DOWN_ERROR = "LlmixClient is shut down";

    private final PipelineCalls pipeline;
    private final PresetResolver presets;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object drained = new Object();
    private volatile boolean accepting = true;

    /** The two pipeline operations the client needs; a seam for tests. */
    interface PipelineCalls {
        CallResponse call(CallInput input);

        CompletableFuture<CallResponse> callAsync(CallInput input);
    }

    /** A client that resolves presets with {@code presets} and calls them through {@code pipeline}. */
    public LlmixClient(CallPipeline pipeline, PresetResolver presets) {
        this(adapt(Objects.requireNonNull(pipeline, "pipeline")), presets);
    }

    LlmixClient(PipelineCalls pipeline, PresetResolver presets) {
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.presets = Objects.requireNonNull(presets, "presets");
    }

    /**
     * The preset {@code <module>/<preset>} as the resolver returns it, without overrides.
     *
     * @throws PresetNotFoundException when the resolver does not know the preset
     */
    public LlmConfig preset(String module, String preset) {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(preset, "preset");
        LlmConfig config;
        try {
            config = presets.resolve(module, preset);
        } catch (PresetNotFoundException e) {
            throw e;
        } catch (ConfigNotFoundException e) {
            throw new PresetNotFoundException(module, preset, e);
        }
        return Objects.requireNonNull(config, () -> "PresetResolver returned null for " + module + "/" + preset);
    }

    /**
     * Calls preset {@code <module>/<preset>} with {@code messages}.
     *
     * @throws PresetNotFoundException when the resolver does not know the preset
     */
    public CallResponse call(String module, String preset, List<?> messages) {
        return call(module, preset, messages, CallOptions.none());
    }

    /** Calls preset {@code <module>/<preset>} with {@code messages} and runtime overrides. */
    public CallResponse call(String module, String preset, List<?> messages, CallOptions options) {
        return call(preset(module, preset), messages, options);
    }

    /** Calls an explicit config with {@code messages}. */
    public CallResponse call(LlmConfig config, List<?> messages) {
        return call(config, messages, CallOptions.none());
    }

    /** Calls an explicit config with {@code messages} and runtime overrides. */
    public CallResponse call(LlmConfig config, List<?> messages, CallOptions options) {
        CallInput input;
        try {
            input = input(config, messages, options);
        } catch (InvalidMessagesException e) {
            // Bad messages are an ordinary failed call, as the pipeline reports every other message problem.
            return CallResponse.failure(options.applyTo(config), e.getMessage());
        }
        if (!enter()) {
            return CallResponse.failure(input.config(), SHUT_DOWN_ERROR, shutDown(input));
        }
        try {
            return pipeline.call(input);
        } finally {
            exit();
        }
    }

    /** Asynchronous {@link #call(String, String, List)}. */
    public CompletableFuture<CallResponse> callAsync(String module, String preset, List<?> messages) {
        return callAsync(module, preset, messages, CallOptions.none());
    }

    /**
     * Asynchronous {@link #call(String, String, List, CallOptions)}; a preset lookup failure fails the returned
     * future.
     */
    public CompletableFuture<CallResponse> callAsync(String module, String preset, List<?> messages,
            CallOptions options) {
        LlmConfig config;
        try {
            config = preset(module, preset);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return callAsync(config, messages, options);
    }

    /** Asynchronous {@link #call(LlmConfig, List)}. */
    public CompletableFuture<CallResponse> callAsync(LlmConfig config, List<?> messages) {
        return callAsync(config, messages, CallOptions.none());
    }

    /** Asynchronous {@link #call(LlmConfig, List, CallOptions)}. */
    public CompletableFuture<CallResponse> callAsync(LlmConfig config, List<?> messages, CallOptions options) {
        CallInput input;
        try {
            input = input(config, messages, options);
        } catch (InvalidMessagesException e) {
            return CompletableFuture.completedFuture(CallResponse.failure(options.applyTo(config), e.getMessage()));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (!enter()) {
            return CompletableFuture.completedFuture(
                    CallResponse.failure(input.config(), SHUT_DOWN_ERROR, shutDown(input)));
        }
        CompletableFuture<CallResponse> future;
        try {
            future = pipeline.callAsync(input);
        } catch (RuntimeException e) {
            exit();
            return CompletableFuture.failedFuture(e);
        }
        future.whenComplete((r, e) -> exit());
        return future;
    }

    /** Calls currently running through this client. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Whether {@link #shutdown()} was called. */
    public boolean isShutdown() {
        return !accepting;
    }

    /** Stops accepting calls; calls already running continue. Idempotent. */
    public void shutdown() {
        accepting = false;
    }

    /**
     * Waits until no call is in flight or {@code timeout} has passed; meant to be used after {@link #shutdown()}.
     *
     * @return {@code true} when no call is in flight any more
     */
    public boolean awaitInFlight(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (drained) {
            while (inFlight.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(drained, left);
            }
        }
        return true;
    }

    // Counting before reading the flag closes the race with shutdown(): a call that saw "accepting" is already
    // counted when awaitInFlight reads the counter.
    private boolean enter() {
        inFlight.incrementAndGet();
        if (accepting) {
            return true;
        }
        exit();
        return false;
    }

    private void exit() {
        if (inFlight.decrementAndGet() == 0) {
            synchronized (drained) {
                drained.notifyAll();
            }
        }
    }

    private static CallFailure shutDown(CallInput input) {
        return CallFailure.of(CallFailureType.SHUT_DOWN, null, false, input.config().provider());
    }

    private static PipelineCalls adapt(CallPipeline pipeline) {
        return new PipelineCalls() {
            @Override
            public CallResponse call(CallInput input) {
                return pipeline.call(input);
            }

            @Override
            public CompletableFuture<CallResponse> callAsync(CallInput input) {
                return pipeline.callAsync(input);
            }
        };
    }

    private static CallInput input(LlmConfig config, List<?> messages, CallOptions options) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(messages, "messages");
        Objects.requireNonNull(options, "options");
        List<Object> plain = new ArrayList<>(messages.size());
        for (Object m : messages) {
            plain.add(m instanceof Message msg ? msg.toMap() : m);
        }
        return new CallInput(options.applyTo(config), plain, options.singleflightKey());
    }

    @Override
    public String toString() {
        return "LlmixClient[inFlight=" + inFlight.get() + ", shutdown=" + !accepting + "]";
    }
}
