package dev.llmix.client;

import dev.llmix.config.LlmConfig;
import dev.llmix.pipeline.CallChunk;
import dev.llmix.pipeline.CallInput;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.pipeline.CallStreams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The application-facing LLMix API: calls a preset (looked up by module and name through a {@link PresetResolver}) or
 * an explicit {@link LlmConfig} with chat messages, optionally with {@link CallOptions} overrides, through a
 * {@link CallPipeline}. Like the pipeline, a call never throws for an ordinary failure: it returns a
 * {@link CallResponse} with {@code success = false}. An unknown or invalid preset is not an ordinary failure; it throws
 * the resolver's config exception (or fails the returned future).
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

        default Flow.Publisher<CallChunk> stream(CallInput input) {
            throw new UnsupportedOperationException("streaming is not supported by this pipeline");
        }
    }

    /** A client that resolves presets with {@code presets} and calls them through {@code pipeline}. */
    public LlmixClient(CallPipeline pipeline, PresetResolver presets) {
        this(adapt(Objects.requireNonNull(pipeline, "pipeline")), presets);
    }

    LlmixClient(PipelineCalls pipeline, PresetResolver presets) {
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.presets = Objects.requireNonNull(presets, "presets");
    }

    /** The preset {@code <module>/<preset>} as the resolver returns it, without overrides. */
    public LlmConfig preset(String module, String preset) {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(preset, "preset");
        return Objects.requireNonNull(presets.resolve(module, preset),
                () -> "PresetResolver returned null for " + module + "/" + preset);
    }

    /** Calls preset {@code <module>/<preset>} with {@code messages}. */
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
        CallInput input = input(config, messages, options);
        if (!enter()) {
            return CallResponse.failure(input.config(), SHUT_DOWN_ERROR);
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
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (!enter()) {
            return CompletableFuture.completedFuture(CallResponse.failure(input.config(), SHUT_DOWN_ERROR));
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

    /** Streams preset {@code <module>/<preset>} with {@code messages}; see {@link #stream(LlmConfig, List, CallOptions)}. */
    public Flow.Publisher<CallChunk> stream(String module, String preset, List<?> messages) {
        return stream(module, preset, messages, CallOptions.none());
    }

    /** Streams preset {@code <module>/<preset>} with runtime overrides; an unknown preset throws here. */
    public Flow.Publisher<CallChunk> stream(String module, String preset, List<?> messages, CallOptions options) {
        return stream(preset(module, preset), messages, options);
    }

    /** Streams an explicit config with {@code messages}. */
    public Flow.Publisher<CallChunk> stream(LlmConfig config, List<?> messages) {
        return stream(config, messages, CallOptions.none());
    }

    /**
     * Streams an explicit config with runtime overrides (see {@link CallPipeline#stream}). The input is built and
     * checked now, so invalid input throws here; each subscription counts in {@link #inFlight()} until its
     * {@code done} chunk or its cancel. After {@link #shutdown()} a subscription gets one failed {@code done} chunk
     * ({@value #SHUT_DOWN_ERROR}).
     */
    public Flow.Publisher<CallChunk> stream(LlmConfig config, List<?> messages, CallOptions options) {
        CallInput input = input(config, messages, options);
        return subscriber -> {
            Objects.requireNonNull(subscriber, "subscriber");
            if (!enter()) {
                CallStreams.of(CallChunk.done(CallResponse.failure(input.config(), SHUT_DOWN_ERROR)))
                        .subscribe(subscriber);
                return;
            }
            Flow.Publisher<CallChunk> publisher;
            try {
                publisher = pipeline.stream(input);
            } catch (RuntimeException e) {
                exit();
                throw e;
            }
            publisher.subscribe(new CountingSubscriber(subscriber));
        };
    }

    /** Blocking form of {@link #stream(String, String, List)}; close the stream to cancel. */
    public Stream<CallChunk> streamBlocking(String module, String preset, List<?> messages) {
        return streamBlocking(module, preset, messages, CallOptions.none());
    }

    /** Blocking form of {@link #stream(String, String, List, CallOptions)}; close the stream to cancel. */
    public Stream<CallChunk> streamBlocking(String module, String preset, List<?> messages, CallOptions options) {
        return streamBlocking(preset(module, preset), messages, options);
    }

    /** Blocking form of {@link #stream(LlmConfig, List)}; close the stream to cancel. */
    public Stream<CallChunk> streamBlocking(LlmConfig config, List<?> messages) {
        return streamBlocking(config, messages, CallOptions.none());
    }

    /** Blocking form of {@link #stream(LlmConfig, List, CallOptions)} ({@link CallStreams#blocking}). */
    public Stream<CallChunk> streamBlocking(LlmConfig config, List<?> messages, CallOptions options) {
        Flow.Publisher<CallChunk> publisher = stream(config, messages, options);
        return CallStreams.blocking(publisher, options.applyTo(config));
    }

    /** Leaves the in-flight count once, at {@code done}, error or cancel. */
    private final class CountingSubscriber implements Flow.Subscriber<CallChunk>, Flow.Subscription {
        private final Flow.Subscriber<? super CallChunk> downstream;
        private final AtomicBoolean counted = new AtomicBoolean(true);
        private volatile Flow.@Nullable Subscription upstream;

        CountingSubscriber(Flow.Subscriber<? super CallChunk> downstream) {
            this.downstream = downstream;
        }

        private void leave() {
            if (counted.compareAndSet(true, false)) {
                exit();
            }
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            upstream = s;
            downstream.onSubscribe(this);
        }

        @Override
        public void onNext(CallChunk chunk) {
            if (chunk.done()) {
                leave();
            }
            downstream.onNext(chunk);
        }

        @Override
        public void onError(Throwable error) {
            leave();
            downstream.onError(error);
        }

        @Override
        public void onComplete() {
            leave();
            downstream.onComplete();
        }

        @Override
        public void request(long n) {
            Flow.Subscription s = upstream;
            if (s != null) {
                s.request(n);
            }
        }

        @Override
        public void cancel() {
            Flow.Subscription s = upstream;
            if (s != null) {
                s.cancel();
            }
            leave();
        }
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

            @Override
            public Flow.Publisher<CallChunk> stream(CallInput input) {
                return pipeline.stream(input);
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
