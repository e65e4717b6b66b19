package dev.llmix.client;

import dev.llmix.config.ConfigNotFoundException;
import dev.llmix.config.LlmConfig;
import dev.llmix.spi.CallInput;
import dev.llmix.pipeline.CallFailure;
import dev.llmix.pipeline.CallFailureType;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.spi.CallListener;
import dev.llmix.spi.InvalidMessagesException;
import dev.llmix.structured.StructuredOutputException;
import dev.llmix.structured.StructuredOutputOptions;
import dev.llmix.structured.StructuredResult;
import dev.llmix.internal.tools.ToolMessages;
import dev.llmix.pipeline.CallChunk;
import dev.llmix.spi.CallInput;
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
import java.util.function.Function;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

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
 * <p>A preset called by module and name may have a fallback chain ({@link FallbackChains}): its calls move along it
 * when the provider fails in a way another provider may not, and so do its streams before their first chunk
 * (docs/providers.md, docs/streaming.md).
 *
 * <p>{@link #callWithTools} runs a tool loop (model → handlers → model) and {@link #callForObject} returns an answer
 * bound to a record or bean through a generated JSON Schema (docs/tools.md).
 *
 * <p>The client counts its in-flight calls for graceful shutdown: after {@link #shutdown()} new calls return a failure
 * response ({@value #SHUT_DOWN_ERROR}) and {@link #awaitInFlight(Duration)} waits for the calls already running. It does
 * not close the pipeline; whoever created the pipeline does that afterwards. Thread-safe.
 */
public final class LlmixClient {

    /** The error of calls made after {@link #shutdown()}. */
    public static final String SHUT_DOWN_ERROR = "LlmixClient is shut down";

    private final PipelineCalls pipeline;
    /** The call without a fallback chain; kept in a field so a plain call allocates no function. */
    private final Function<CallInput, CompletableFuture<CallResponse>> plainCall;
    private final PresetResolver presets;
    private final FallbackChains fallbacks;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object drained = new Object();
    private volatile boolean accepting = true;

    /** The pipeline operations the client needs; a seam for tests. */
    interface PipelineCalls {
        CallResponse call(CallInput input);

        CompletableFuture<CallResponse> callAsync(CallInput input);

        Flow.Publisher<CallChunk> stream(CallInput input);

        /** The pipeline's clock, which measures a fallback chain's shared deadline. */
        default long nanoTime() {
            return System.nanoTime();
        }

        /** The whole-call budget of a preset without {@code timeout.totalTime}. */
        default long defaultCallTimeoutNanos() {
            return Duration.ofSeconds(120).toNanos();
        }

        /** The pipeline's call listener, told about each move along a fallback chain; may be {@code null}. */
        default @Nullable CallListener listener() {
            return null;
        }
    }

    /** A client that resolves presets with {@code presets} and calls them through {@code pipeline}. */
    public LlmixClient(CallPipeline pipeline, PresetResolver presets) {
        this(pipeline, presets, FallbackChains.none());
    }

    /**
     * A client whose calls of a preset by module and name move along that preset's fallback chain when its provider
     * fails in a way another provider may not (docs/providers.md, "Fallback chains").
     */
    public LlmixClient(CallPipeline pipeline, PresetResolver presets, FallbackChains fallbacks) {
        this(adapt(Objects.requireNonNull(pipeline, "pipeline")), presets, fallbacks);
    }

    LlmixClient(PipelineCalls pipeline, PresetResolver presets) {
        this(pipeline, presets, FallbackChains.none());
    }

    LlmixClient(PipelineCalls pipeline, PresetResolver presets, FallbackChains fallbacks) {
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.plainCall = this.pipeline::callAsync;
        this.presets = Objects.requireNonNull(presets, "presets");
        this.fallbacks = Objects.requireNonNull(fallbacks, "fallbacks");
    }

    /** The fallback chains of this client's calls by preset name. */
    public FallbackChains fallbacks() {
        return fallbacks;
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

    /**
     * Calls preset {@code <module>/<preset>} with {@code messages} and runtime overrides; a preset with a fallback
     * chain moves along it when its provider fails (docs/providers.md).
     */
    public CallResponse call(String module, String preset, List<?> messages, CallOptions options) {
        LlmConfig config = preset(module, preset);
        List<FallbackAlternative> chain = fallbacks.isEmpty() ? null : fallbacks.find(module, preset);
        if (chain == null) {
            return call(config, messages, options);
        }
        CallInput input;
        try {
            input = input(config, messages, options);
        } catch (InvalidMessagesException e) {
            return CallResponse.failure(options.applyTo(config), e.getMessage());
        }
        if (!enter()) {
            return CallResponse.failure(input.config(), SHUT_DOWN_ERROR, shutDown(input));
        }
        try {
            long start = pipeline.nanoTime();
            CallResponse first = pipeline.call(input);
            // The common case, the preset's own provider answered, allocates nothing for the chain.
            return first.success() ? first
                    : new FallbackCall(this, pipeline, module, preset, chain, input, options, start).after(first);
        } finally {
            exit();
        }
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
        List<FallbackAlternative> chain = fallbacks.isEmpty() ? null : fallbacks.find(module, preset);
        if (chain == null) {
            return callAsync(config, messages, options);
        }
        return submit(config, messages, options, input -> {
            long start = pipeline.nanoTime();
            return pipeline.callAsync(input).thenCompose(first -> first.success()
                    ? CompletableFuture.completedFuture(first)
                    : new FallbackCall(this, pipeline, module, preset, chain, input, options, start)
                            .afterAsync(first));
        });
    }

    /** Asynchronous {@link #call(LlmConfig, List)}. */
    public CompletableFuture<CallResponse> callAsync(LlmConfig config, List<?> messages) {
        return callAsync(config, messages, CallOptions.none());
    }

    /** Asynchronous {@link #call(LlmConfig, List, CallOptions)}. */
    public CompletableFuture<CallResponse> callAsync(LlmConfig config, List<?> messages, CallOptions options) {
        return submit(config, messages, options, plainCall);
    }

    /**
     * Builds the call's input, then runs {@code run} on it while the client counts it as in flight (so a graceful
     * shutdown waits for it): invalid messages and a closed client answer with a failed response, never by throwing.
     */
    private CompletableFuture<CallResponse> submit(LlmConfig config, List<?> messages, CallOptions options,
            Function<CallInput, CompletableFuture<CallResponse>> run) {
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
            future = run.apply(input);
        } catch (RuntimeException e) {
            exit();
            return CompletableFuture.failedFuture(e);
        }
        future.whenComplete((r, e) -> exit());
        return future;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Tool loop

    /** Runs the tool loop on preset {@code <module>/<preset>} with default options. */
    public ToolLoopResult callWithTools(String module, String preset, List<?> messages, ToolHandlers handlers) {
        return callWithTools(preset(module, preset), messages, handlers, CallOptions.none(),
                ToolLoopOptions.defaults());
    }

    /** Runs the tool loop on preset {@code <module>/<preset>}. */
    public ToolLoopResult callWithTools(String module, String preset, List<?> messages, ToolHandlers handlers,
            CallOptions options, ToolLoopOptions loopOptions) {
        return callWithTools(preset(module, preset), messages, handlers, options, loopOptions);
    }

    /** Runs the tool loop on an explicit config with default options. */
    public ToolLoopResult callWithTools(LlmConfig config, List<?> messages, ToolHandlers handlers) {
        return callWithTools(config, messages, handlers, CallOptions.none(), ToolLoopOptions.defaults());
    }

    /**
     * Runs the tool loop: model → handlers → model, each model turn a full pipeline call with the handlers' tools (no
     * response cache), at most {@code loopOptions.maxSteps()} calls. Ordinary failures end the loop with
     * {@link ToolLoopResult.StopReason#CALL_FAILED}; they are not thrown.
     *
     * @throws IllegalArgumentException when {@code options} carries tools ("pass tools through ToolHandlers") or the
     *                                  history is inconsistent
     */
    public ToolLoopResult callWithTools(LlmConfig config, List<?> messages, ToolHandlers handlers,
            CallOptions options, ToolLoopOptions loopOptions) {
        Objects.requireNonNull(handlers, "handlers");
        Objects.requireNonNull(loopOptions, "loopOptions");
        Objects.requireNonNull(options, "options");
        if (options.toolSet() != null) {
            throw new IllegalArgumentException("pass tools through ToolHandlers");
        }
        CallInput plain = input(config, messages, options);
        CallInput first = plain.withTools(new dev.llmix.tools.ToolSet(handlers.tools(), loopOptions.toolChoice(),
                loopOptions.parallelToolCalls()));
        List<Object> transcript = new ArrayList<>(first.messages());
        if (!enter()) {
            CallResponse failed = CallResponse.failure(first.config(), SHUT_DOWN_ERROR);
            return new ToolLoopResult(failed, ToolLoopResult.StopReason.CALL_FAILED, 0, transcript, List.of(),
                    List.of(), failed.usage());
        }
        try {
            return new ToolLoop(pipeline::call, () -> accepting, handlers, loopOptions).run(first, transcript);
        } finally {
            exit();
        }
    }

    /** {@link #callWithTools(LlmConfig, List, ToolHandlers, CallOptions, ToolLoopOptions)} on its own thread. */
    public CompletableFuture<ToolLoopResult> callWithToolsAsync(LlmConfig config, List<?> messages,
            ToolHandlers handlers, CallOptions options, ToolLoopOptions loopOptions) {
        return CompletableFuture.supplyAsync(() -> callWithTools(config, messages, handlers, options, loopOptions),
                LlmixClient::loopThread);
    }

    private static void loopThread(Runnable r) {
        // The loop blocks on model calls and handlers; a daemon thread per loop keeps it off shared pools.
        Thread t = new Thread(r, "llmix-tool-loop");
        t.setDaemon(true);
        t.start();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Structured output

    /** Calls preset {@code <module>/<preset>} and binds the answer to {@code type}. */
    public <T> T callForObject(String module, String preset, List<?> messages, Class<T> type) {
        return callForObject(preset(module, preset), messages, type, CallOptions.none(),
                StructuredOutputOptions.defaults());
    }

    /** Calls preset {@code <module>/<preset>} with overrides and binds the answer to {@code type}. */
    public <T> T callForObject(String module, String preset, List<?> messages, Class<T> type, CallOptions options,
            StructuredOutputOptions structuredOptions) {
        return callForObject(preset(module, preset), messages, type, options, structuredOptions);
    }

    /** Calls an explicit config and binds the answer to {@code type}. */
    public <T> T callForObject(LlmConfig config, List<?> messages, Class<T> type) {
        return callForObject(config, messages, type, CallOptions.none(), StructuredOutputOptions.defaults());
    }

    /**
     * Calls an explicit config with a {@code json_schema} response format generated from {@code type} (a record or
     * bean) and binds the answer strictly.
     *
     * @throws StructuredOutputException for every failure, a failed call included
     * @throws IllegalArgumentException  when {@code options} carries tools or a response format, or {@code type} is not
     *                                   a record or bean
     */
    public <T> T callForObject(LlmConfig config, List<?> messages, Class<T> type, CallOptions options,
            StructuredOutputOptions structuredOptions) {
        StructuredResult<T> result = callForObjectResult(config, messages, type, options, structuredOptions);
        if (result.error() != null) {
            throw result.error();
        }
        return java.util.Objects.requireNonNull(result.value());
    }

    /** As {@link #callForObject(LlmConfig, List, Class, CallOptions, StructuredOutputOptions)}, without throwing. */
    public <T> StructuredResult<T> callForObjectResult(LlmConfig config, List<?> messages, Class<T> type,
            CallOptions options, StructuredOutputOptions structuredOptions) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(structuredOptions, "structuredOptions");
        CallInput plain = input(config, messages, options);
        List<Object> msgs = new ArrayList<>(plain.messages());
        if (!enter()) {
            CallResponse failed = CallResponse.failure(plain.config(), SHUT_DOWN_ERROR);
            return new StructuredResult<>(null, failed, new StructuredOutputException(type,
                    StructuredOutputException.Reason.CALL_FAILED, SHUT_DOWN_ERROR, "", failed, 1, null));
        }
        try {
            return StructuredCalls.run(pipeline::call, config, msgs, options, type, structuredOptions);
        } finally {
            exit();
        }
    }

    /** {@link #callForObject(LlmConfig, List, Class, CallOptions, StructuredOutputOptions)} on its own thread. */
    public <T> CompletableFuture<T> callForObjectAsync(LlmConfig config, List<?> messages, Class<T> type,
            CallOptions options, StructuredOutputOptions structuredOptions) {
        return CompletableFuture.supplyAsync(() -> callForObject(config, messages, type, options, structuredOptions),
                LlmixClient::loopThread);
    }

    /** Streams preset {@code <module>/<preset>} with {@code messages}; see {@link #stream(LlmConfig, List, CallOptions)}. */
    public Flow.Publisher<CallChunk> stream(String module, String preset, List<?> messages) {
        return stream(module, preset, messages, CallOptions.none());
    }

    /**
     * Streams preset {@code <module>/<preset>} with runtime overrides; an unknown preset throws here. A preset with a
     * fallback chain moves along it as a call does, but only before its first chunk (docs/streaming.md).
     */
    public Flow.Publisher<CallChunk> stream(String module, String preset, List<?> messages, CallOptions options) {
        LlmConfig config = preset(module, preset);
        List<FallbackAlternative> chain = fallbacks.isEmpty() ? null : fallbacks.find(module, preset);
        if (chain == null) {
            return stream(config, messages, options);
        }
        CallInput input = input(config, messages, options);
        return counted(input, new FallbackStream(this, pipeline, module, preset, chain, input, options));
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
        return counted(input, subscriber -> pipeline.stream(input).subscribe(subscriber));
    }

    /**
     * {@code source} with each subscription counted in {@link #inFlight()} until its {@code done} chunk or its cancel;
     * after {@link #shutdown()} a subscription gets one failed {@code done} chunk instead.
     */
    private Flow.Publisher<CallChunk> counted(CallInput input, Flow.Publisher<CallChunk> source) {
        return subscriber -> {
            Objects.requireNonNull(subscriber, "subscriber");
            if (!enter()) {
                CallStreams.of(CallChunk.done(CallResponse.failure(input.config(), SHUT_DOWN_ERROR, shutDown(input))))
                        .subscribe(subscriber);
                return;
            }
            CountingSubscriber counting = new CountingSubscriber(subscriber);
            try {
                source.subscribe(counting);
            } catch (RuntimeException e) {
                counting.leave();
                throw e;
            }
        };
    }

    /** Blocking form of {@link #stream(String, String, List)}; close the stream to cancel. */
    public Stream<CallChunk> streamBlocking(String module, String preset, List<?> messages) {
        return streamBlocking(module, preset, messages, CallOptions.none());
    }

    /** Blocking form of {@link #stream(String, String, List, CallOptions)}; close the stream to cancel. */
    public Stream<CallChunk> streamBlocking(String module, String preset, List<?> messages, CallOptions options) {
        LlmConfig config = preset(module, preset);
        return CallStreams.blocking(stream(module, preset, messages, options), options.applyTo(config));
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

            @Override
            public Flow.Publisher<CallChunk> stream(CallInput input) {
                return pipeline.stream(input);
            }

            @Override
            public long nanoTime() {
                return pipeline.config().nanoClock().getAsLong();
            }

            @Override
            public long defaultCallTimeoutNanos() {
                return pipeline.config().defaultCallTimeout().toNanos();
            }

            @Override
            public @Nullable CallListener listener() {
                return pipeline.config().callListener();
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
        if (ToolMessages.hasToolContent(plain)) {
            // No provider accepts an unanswered call or a stray result: fail before anything is sent.
            ToolMessages.validate(plain);
        }
        return new CallInput(options.applyTo(config), plain, options.singleflightKey(), options.toolSet(), null);
    }

    @Override
    public String toString() {
        return "LlmixClient[inFlight=" + inFlight.get() + ", shutdown=" + !accepting + "]";
    }
}
