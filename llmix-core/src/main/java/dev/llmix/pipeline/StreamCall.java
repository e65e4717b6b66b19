package dev.llmix.pipeline;

import dev.llmix.internal.Deadlines;
import dev.llmix.spi.CallInput;
import dev.llmix.spi.DispatchContext;
import dev.llmix.spi.LlmUsage;
import dev.llmix.spi.ProviderException;
import dev.llmix.spi.ProviderResult;
import dev.llmix.spi.ProviderStreamEvent;
import dev.llmix.spi.ProviderStreams;
import dev.llmix.spi.StreamingDispatchFunction;
import dev.llmix.spi.ToolCallDelta;
import dev.llmix.LlmixLocalException;
import dev.llmix.budget.BudgetCost;
import dev.llmix.cache.CacheLookup;
import dev.llmix.cache.TwoTierCache;
import dev.llmix.config.LlmConfig;
import dev.llmix.config.TimeoutConfig;
import dev.llmix.internal.JsNumbers;
import dev.llmix.keys.KeyPool;
import dev.llmix.keys.KeyPools;
import dev.llmix.limiter.AdaptiveSemaphore;
import dev.llmix.internal.http.RateLimitHeaders;
import dev.llmix.provider.ProviderKwargs;
import dev.llmix.resilience.CircuitBreaker;
import dev.llmix.resilience.CircuitState;
import dev.llmix.resilience.RetryPolicy;
import dev.llmix.internal.thinking.StreamingThinkingStripper;
import dev.llmix.tools.ToolCall;
import dev.llmix.thinking.ThinkingResult;
import dev.llmix.thinking.ThinkingStripper;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * One subscription of {@link CallPipeline#stream}: the streamed call path (kill switch → cache replay → breaker →
 * attempts [permit → key → kwargs → kill switch → streaming dispatch → thinking strip] → breaker outcome, cache write,
 * {@code done}), with retries only before the first chunk, first-chunk and total timeouts, and cancellation.
 *
 * <p>Execution state is guarded by this object's monitor; chunks are handed to the subscriber outside it, by a
 * work-in-progress drain loop that runs on whichever thread produced a chunk or requested more. Provider events are
 * requested only while the chunk buffer has room, so a slow subscriber stops the socket reads.
 */
final class StreamCall implements Flow.Subscription {

    /** Providers whose reasoning-only answer becomes the content (docs/providers.md). */
    private static final Set<String> REASONING_AS_CONTENT = Set.of("openrouter", "deepseek", "sno-gpu");

    private final CallPipeline pipeline;
    private final PipelineRuntime rt;
    private final CallInput input;
    private final Flow.Subscriber<? super CallChunk> downstream;
    private final int bufferChunks;

    // ---- delivery (drain loop) ----
    private final AtomicLong demand = new AtomicLong();
    private final AtomicInteger wip = new AtomicInteger();
    private final ConcurrentLinkedQueue<CallChunk> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private volatile @Nullable CallChunk doneChunk;
    private volatile @Nullable Throwable protocolError;
    private volatile boolean cancelled;
    private boolean terminated;
    private long delivered;
    private volatile long firstChunkAt = -1;

    // ---- execution (guarded by this) ----
    private boolean started;
    private boolean finished;
    private @Nullable CallProbe probe;
    private LlmConfig cfg;
    private String baseUrl = "";
    private @Nullable String cacheKey;
    private long deadlineNanos;
    private String timeoutText = "";
    private @Nullable CircuitBreaker breaker;
    private boolean halfOpenProbe;
    private Deadlines.@Nullable Bound deadlineTask;
    private @Nullable Future<?> backoffTask;
    private @Nullable CompletableFuture<Void> permitRequest;
    private @Nullable AdaptiveSemaphore permitSemaphore;
    private @Nullable AttemptState current;
    private boolean committed;
    /** What each attempt takes from the rate budgets; zero when the provider has none (docs/rate-limits.md). */
    private BudgetCost budgetCost = BudgetCost.ZERO;
    /** Budgets of the attempt being acquired (before its permit), withdrawn by a cancel. */
    private @Nullable AttemptBudgets pendingBudgets;

    StreamCall(CallPipeline pipeline, PipelineRuntime rt, CallInput input,
            Flow.Subscriber<? super CallChunk> downstream) {
        this.pipeline = pipeline;
        this.rt = rt;
        this.input = input;
        this.downstream = downstream;
        this.bufferChunks = rt.config.streamBufferChunks();
        this.cfg = input.config();
    }

    // =================================================================================================================
    // Subscription

    @Override
    public void request(long n) {
        if (n <= 0) {
            abort(new IllegalArgumentException("Flow.Subscription.request(n) requires n > 0 (rule 3.9), got " + n));
            return;
        }
        demand.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
        boolean start;
        synchronized (this) {
            start = !started;
            started = true;
        }
        if (start) {
            pipeline.streamStarted();
            start();
        }
        drain();
    }

    @Override
    public void cancel() {
        AttemptState a;
        synchronized (this) {
            cancelled = true;
            if (finished || !started) {
                finished = true;
                return;
            }
            finished = true;
            a = current;
            stopTimers();
            CompletableFuture<Void> permit = permitRequest;
            AdaptiveSemaphore s = permitSemaphore;
            if (permit != null && s != null) {
                s.abandon(permit, new CancellationException("stream cancelled"));
            }
            AttemptBudgets waiting = pendingBudgets;
            if (waiting != null) {
                pendingBudgets = null;
                waiting.cancel();
            }
            if (a != null) {
                a.ended = true;
                a.cancelTimer();
                releasePermit(a);
                settleBudgets(a, null);
            }
            if (breaker != null && halfOpenProbe) {
                breaker.cancelProbe();
            }
        }
        if (a != null) {
            a.cancelUpstream();
        }
        queue.clear();
        queued.set(0);
        pipeline.streamEnded();
        CallProbe p = probe;
        if (p != null) {
            p.finishStream(null, null, firstChunkAt, delivered);
        }
    }

    /** {@code request(n <= 0)}: the execution is aborted (as a cancel) and the subscriber gets the error. */
    private void abort(Throwable error) {
        synchronized (this) {
            if (terminated || cancelled) {
                return;
            }
        }
        cancel();
        cancelled = false;
        protocolError = error;
        drain();
    }

    // =================================================================================================================
    // Steps 1–5

    private void start() {
        LlmConfig config = input.config();
        CallProbe p = CallProbe.start(rt.config.callListener(), input, rt.config.nanoClock());
        synchronized (this) {
            probe = p;
        }
        try {
            if (rt.closed.get()) {
                throw new LlmixLocalException(CallPipeline.CLOSED_MESSAGE);
            }
            CallTimeouts.Budget budget = CallTimeouts.budget(config.timeout(), rt.config);
            timeoutText = budget.seconds();
            deadlineNanos = rt.nanoTime() + budget.nanos();
            baseUrl = pipeline.effectiveBaseUrl(config, input.messages());
            if (p != null) {
                p.baseUrl = baseUrl;
            }
            pipeline.checkKillSwitch();
            TwoTierCache cache = pipeline.cache();
            // With rate budgets the key rendering also measures the payload the estimate prices.
            long[] priced = rt.config.rateBudgets().covers(config.provider()) ? new long[1] : null;
            // As for calls, a stream with tools neither reads nor writes the response cache (docs/tools.md).
            boolean usesCache = cache != null && input.tools() == null && !config.cachingStrategy().skipsCache();
            if (priced != null && !usesCache) {
                pipeline.cacheKey(config, input.messages(), baseUrl, priced);
            }
            if (priced != null) {
                budgetCost = pipeline.estimate(config, priced[0]);
            }
            if (usesCache) {
                cacheKey = pipeline.cacheKey(config, input.messages(), baseUrl, priced);
                if (p != null) {
                    p.cacheLookedUp = true;
                }
                CacheLookup hit;
                try {
                    hit = cache.get(cacheKey);
                } catch (RuntimeException e) {
                    hit = null;
                }
                if (hit != null) {
                    double saved = pipeline.creditHit(config);
                    if (p != null) {
                        p.savedUsd = saved;
                    }
                    replay(CallPipeline.hitResponse(config, hit));
                    return;
                }
            }
            CircuitBreaker b = pipeline.breakerFor(config.provider(), baseUrl);
            boolean halfOpen = b.state() == CircuitState.HALF_OPEN;
            b.check();
            synchronized (this) {
                breaker = b;
                halfOpenProbe = halfOpen;
                if (finished) {
                    // Cancelled while admission ran: the admitted probe is given back.
                    if (halfOpen) {
                        b.cancelProbe();
                    }
                    return;
                }
                armDeadline();
            }
            attempt(0);
        } catch (Throwable t) {
            endWithFailure(t, false);
        }
    }

    /** Cache hit: thinking, content, {@code done}; nothing else runs. */
    private void replay(CallResponse hit) {
        synchronized (this) {
            if (finished) {
                return;
            }
            String thinking = hit.thinkingContent();
            if (thinking != null && !thinking.isEmpty()) {
                enqueue(CallChunk.text("", thinking));
            }
            if (!hit.content().isEmpty()) {
                enqueue(CallChunk.text(hit.content(), ""));
            }
            finish(hit, null);
        }
        drain();
    }

    // =================================================================================================================
    // Attempts

    /** Provider and model budgets first (bounded by the deadline), then the permit (docs/rate-limits.md). */
    private void attempt(int n) {
        synchronized (this) {
            if (finished) {
                // Cancelled (or ended) during the back-off: the withdrawn retry takes no budget and no permit.
                return;
            }
        }
        AttemptBudgets budgets = AttemptBudgets.of(rt, cfg, budgetCost, deadlineNanos, timeoutText);
        if (budgets == null) {
            withPermit(n, null);
            return;
        }
        CompletableFuture<Void> granted = budgets.acquireCallBudgets();
        if (granted.isDone() && !granted.isCompletedExceptionally()) {
            withPermit(n, budgets);
            return;
        }
        waitForBudgets(n, budgets, granted);
    }

    /** Continues with the permit once {@code granted} completes; a cancel meanwhile withdraws the budgets. */
    private void waitForBudgets(int n, AttemptBudgets budgets, CompletableFuture<Void> granted) {
        synchronized (this) {
            if (finished) {
                budgets.cancel();
                return;
            }
            pendingBudgets = budgets;
        }
        granted.whenComplete((ignored, failure) -> {
            synchronized (this) {
                if (pendingBudgets == budgets) {
                    pendingBudgets = null;
                }
            }
            if (failure != null) {
                budgets.release();
                failedBeforeDispatch(n, failure);
            } else {
                withPermit(n, budgets);
            }
        });
    }

    private void withPermit(int n, @Nullable AttemptBudgets budgets) {
        AdaptiveSemaphore semaphore;
        CompletableFuture<Void> permit;
        synchronized (this) {
            backoffTask = null;
            if (finished) {
                if (budgets != null) {
                    budgets.release();
                }
                return;
            }
            semaphore = rt.semaphoreFor(cfg.provider());
            permit = semaphore.acquireAsync();
            if (!permit.isDone()) {
                permitRequest = permit;
                permitSemaphore = semaphore;
            }
        }
        if (permit.isDone() && !permit.isCompletedExceptionally()) {
            runAttempt(n, semaphore, budgets);
            return;
        }
        // Resuming on the executor (not on the releasing thread) keeps chains of releases from nesting stacks.
        permit.whenComplete((ignored, failure) -> {
            if (failure != null) {
                synchronized (this) {
                    permitRequest = null;
                }
                if (budgets != null) {
                    budgets.release();
                }
                failedBeforeDispatch(n, failure);
            } else {
                rt.runOnExecutor(() -> runAttempt(n, semaphore, budgets));
            }
        });
    }

    /** One attempt holding a permit: key, kwargs, kill switch, then the (streaming or fallback) dispatch. */
    private void runAttempt(int n, AdaptiveSemaphore semaphore, @Nullable AttemptBudgets budgets) {
        AttemptState a = new AttemptState(n, semaphore);
        a.budgets = budgets;
        Flow.Publisher<ProviderStreamEvent> publisher;
        synchronized (this) {
            permitRequest = null;
            if (finished) {
                semaphore.release();
                if (budgets != null) {
                    budgets.release();
                }
                return;
            }
            a.permitHeld = true;
            current = a;
        }
        try {
            if (rt.nanoTime() - deadlineNanos >= 0) {
                throw new CallTimeoutException("LLM call timed out after " + timeoutText
                        + " s (timeout.totalTime) before it could be dispatched");
            }
            Map<String, @Nullable Object> kwargs = null;
            String waitForKey = null;
            rt.fileLock.acquire();
            try {
                KeyPool p = rt.keyPools.pool(cfg.provider());
                if (p == null) {
                    throw new MissingKeyPoolException(cfg.provider(), KeyPools.envPrefix(cfg.provider()));
                }
                String k;
                if (budgets != null && budgets.hasKeyBudgets()) {
                    k = budgets.selectKey(p);
                    if (k == null) {
                        waitForKey = p.select();
                        k = waitForKey;
                    }
                } else {
                    k = p.select();
                }
                a.pool = p;
                a.key = k;
                if (waitForKey == null) {
                    kwargs = ProviderKwargs.build(cfg, input.messages(), rt.transforms);
                }
            } finally {
                rt.fileLock.release();
            }
            if (waitForKey != null) {
                waitForKeyBudget(a, Objects.requireNonNull(budgets), waitForKey);
                return;
            }
            try {
                rt.killSwitchCheck.run();
            } catch (UncheckedIOException e) {
                throw new LlmixLocalException("Kill switch unreadable: " + e.getMessage(), e);
            }
            OperatorEvents.attemptStarted(rt.config.callListener(), cfg, baseUrl, n,
                    Objects.requireNonNull(a.pool), Objects.requireNonNull(a.key));
            DispatchContext ctx = new DispatchContext(cfg.provider(), cfg.model(), Objects.requireNonNull(a.key),
                    input.messages(), Objects.requireNonNull(kwargs), cfg);
            synchronized (this) {
                a.dispatched = true;
            }
            StreamingDispatchFunction streaming = rt.config.streamingDispatch();
            if (streaming == null && rt.dispatch instanceof StreamingDispatchFunction s) {
                streaming = s;
            }
            if (streaming != null && streaming.supportsStreaming(ctx)) {
                publisher = streaming.dispatchStream(ctx);
                if (publisher == null) {
                    throw new NullPointerException("StreamingDispatchFunction returned null instead of a publisher");
                }
            } else {
                a.fallback = true;
                CompletableFuture<ProviderResult> stage;
                try {
                    stage = Objects.requireNonNull(rt.dispatch.dispatch(ctx),
                            "DispatchFunction returned null instead of a CompletionStage").toCompletableFuture();
                } catch (Throwable t) {
                    stage = CompletableFuture.failedFuture(t);
                }
                a.fallbackStage = stage;
                publisher = ProviderStreams.fromResult(stage);
            }
            synchronized (this) {
                if (a.ended) {
                    return;
                }
                armFirstChunkTimer(a);
            }
        } catch (Throwable t) {
            attemptFailed(a, t);
            return;
        }
        publisher.subscribe(new Upstream(a));
    }

    /**
     * No live key has budget now: give the permit back, wait for the cursor key's budget (holding nothing), then
     * take a permit again and rerun key selection, which keeps that key if it is still alive.
     */
    private void waitForKeyBudget(AttemptState a, AttemptBudgets budgets, String key) {
        synchronized (this) {
            a.ended = true;
            releasePermit(a);
            if (current == a) {
                current = null;
            }
            if (finished) {
                budgets.release();
                return;
            }
            pendingBudgets = budgets;
        }
        budgets.waitForKey(key).whenComplete((ignored, failure) -> {
            synchronized (this) {
                if (pendingBudgets == budgets) {
                    pendingBudgets = null;
                }
            }
            if (failure != null) {
                budgets.release();
                failedBeforeDispatch(a.number, failure);
            } else {
                rt.runOnExecutor(() -> withPermit(a.number, budgets));
            }
        });
    }

    /**
     * Settles the attempt's grants once (docs/rate-limits.md): completed → usage; never dispatched → refunded; an
     * error status before {@code Opened} → the provider answered; anything else after dispatch → estimates kept.
     */
    private void settleBudgets(AttemptState a, @Nullable Throwable failure) {
        AttemptBudgets b = a.budgets;
        if (b == null) {
            return;
        }
        if (!a.dispatched) {
            b.release();
        } else if (failure != null && !a.opened && ErrorClassifier.statusOf(failure) != null) {
            b.settleFailure(failure);
        } else {
            b.settleKept();
        }
    }

    /** The subscriber of one attempt's provider events. */
    private final class Upstream implements Flow.Subscriber<ProviderStreamEvent> {
        private final AttemptState a;

        Upstream(AttemptState a) {
            this.a = a;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            boolean cancelNow;
            synchronized (StreamCall.this) {
                a.upstream = s;
                cancelNow = a.ended;
            }
            if (cancelNow) {
                s.cancel();
            } else {
                refill(a);
            }
        }

        @Override
        public void onNext(ProviderStreamEvent event) {
            boolean chunk;
            synchronized (StreamCall.this) {
                if (a.ended) {
                    return;
                }
                a.outstanding--;
                try {
                    chunk = onEvent(a, event);
                } catch (Throwable t) {
                    attemptFailed(a, t);
                    return;
                }
            }
            if (chunk) {
                drain();
            }
            refill(a);
        }

        @Override
        public void onError(Throwable error) {
            attemptFailed(a, error);
        }

        @Override
        public void onComplete() {
            attemptCompleted(a);
        }
    }

    /**
     * Requests provider events while the chunk buffer has room (one event yields at most one chunk). While events are
     * still outstanding, room is asked for only in batches of half the buffer: a request per event cost a trip through
     * the provider's subscription for every chunk (docs/performance.md, "Streaming").
     */
    private void refill(AttemptState a) {
        Flow.Subscription s;
        long n;
        synchronized (this) {
            s = a.upstream;
            if (s == null || a.ended) {
                return;
            }
            n = (long) bufferChunks - queued.get() - a.outstanding;
            if (n <= 0 || a.outstanding > 0 && n < Math.max(1, bufferChunks / 2)) {
                return;
            }
            a.outstanding += n;
        }
        s.request(n);
    }

    /** Handles one provider event under the monitor; true when a chunk was queued. */
    private boolean onEvent(AttemptState a, ProviderStreamEvent event) {
        if (event instanceof ProviderStreamEvent.Opened o) {
            Map<String, String> headers = o.headers();
            a.opened = true;
            AttemptBudgets budgets = a.budgets;
            if (budgets != null) {
                budgets.observe(headers);
            }
            if (!headers.isEmpty()) {
                RateLimitHeaders.Feedback f = RateLimitHeaders.parse(lowerCaseNames(headers));
                if (f != null) {
                    int before = a.semaphore.window();
                    a.semaphore.onHeaderFeedback(f.remaining(), f.limit());
                    a.headerFeedback = true;
                    OperatorEvents.windowChanged(rt.config.callListener(), cfg.provider(), before,
                            a.semaphore.window(), "headers");
                }
            }
            return false;
        } else if (event instanceof ProviderStreamEvent.TextDelta t) {
            String text = t.text();
            if (text.isEmpty()) {
                return false;
            }
            a.raw.append(text);
            if (keepsThinking()) {
                return emit(a, CallChunk.text(text, ""));
            }
            a.stripper.feed(text);
            return emitText(a, a.stripper.content(), a.stripper.thinking());
        } else if (event instanceof ProviderStreamEvent.ReasoningDelta r) {
            if (r.text().isEmpty()) {
                return false;
            }
            a.reasoning.append(r.text());
            return emit(a, CallChunk.text("", r.text()));
        } else if (event instanceof ProviderStreamEvent.ToolCallFragment f) {
            ToolCallBuilder b = a.tools.computeIfAbsent(f.index(), i -> new ToolCallBuilder());
            if (f.id() != null && !f.id().isEmpty()) {
                b.id = f.id();
            }
            if (f.name() != null && !f.name().isEmpty()) {
                b.name = f.name();
            }
            b.arguments.append(f.argumentsDelta());
            if (f.extraContent() != null) {
                b.extra.putAll(f.extraContent());
            }
            ToolCallDelta d = new ToolCallDelta(f.index(), f.id(), f.name(), f.argumentsDelta());
            return !d.isEmpty() && emit(a, CallChunk.toolCall(d));
        } else if (event instanceof ProviderStreamEvent.Refusal r) {
            a.refusal = a.refusal == null ? r.text() : a.refusal + r.text();
            return false;
        } else if (event instanceof ProviderStreamEvent.Usage u) {
            a.usage = u.usage();
            return false;
        } else if (event instanceof ProviderStreamEvent.Model m) {
            if (!m.model().isEmpty()) {
                a.model = m.model();
            }
            return false;
        } else if (event instanceof ProviderStreamEvent.Finish f) {
            a.finishReason = f.reason();
            return false;
        }
        return false;
    }

    private boolean emitText(AttemptState a, String content, String thinking) {
        if (content.isEmpty() && thinking.isEmpty()) {
            return false;
        }
        return emit(a, CallChunk.text(content, thinking));
    }

    /** Queues a chunk of the current attempt: the attempt is committed from here on (no retry, no fallback). */
    private boolean emit(AttemptState a, CallChunk chunk) {
        committed = true;
        a.cancelTimer();
        enqueue(chunk);
        return true;
    }

    private void enqueue(CallChunk chunk) {
        queued.incrementAndGet();
        queue.offer(chunk);
    }

    private boolean keepsThinking() {
        return cfg.commonOrEmpty().keepsThinkingOutput();
    }

    /** The provider stream ended normally: flush, feedback, breaker success, cache write, {@code done}. */
    private void attemptCompleted(AttemptState a) {
        synchronized (this) {
            if (a.ended) {
                return;
            }
            try {
                if (!keepsThinking()) {
                    a.stripper.finish();
                    emitText(a, a.stripper.content(), a.stripper.thinking());
                }
                String raw = a.raw.toString();
                if (raw.isEmpty() && REASONING_AS_CONTENT.contains(cfg.provider())
                        && !a.reasoning.toString().isBlank()) {
                    raw = a.reasoning.toString();
                    emit(a, CallChunk.text(raw, ""));
                    a.reasoningIsContent = true;
                }
                a.ended = true;
                a.cancelTimer();
                if (!a.headerFeedback) {
                    int before = a.semaphore.window();
                    a.semaphore.onSuccess();
                    OperatorEvents.windowChanged(rt.config.callListener(), cfg.provider(), before,
                            a.semaphore.window(), "success");
                }
                releasePermit(a);
                AttemptBudgets budgets = a.budgets;
                if (budgets != null) {
                    budgets.settleSuccess(a.usage != null ? a.usage : LlmUsage.ZERO, null);
                }
                if (breaker != null) {
                    breaker.onSuccess();
                }
                CallResponse response = assemble(a, raw);
                TwoTierCache cache = pipeline.cache();
                Predicate<String> cacheable = input.cacheable();
                if (cacheKey != null && cache != null && !response.hasToolCalls() && a.refusal == null
                        && (cacheable == null || cacheable.test(raw))) {
                    // The raw text (tags kept, native reasoning left out) is what a call caches under this key.
                    cache.set(cacheKey, raw);
                }
                finish(response, null);
            } catch (Throwable t) {
                a.ended = true;
                releasePermit(a);
                settleBudgets(a, t);
                finishFailure(t, false);
            }
        }
        drain();
    }

    private CallResponse assemble(AttemptState a, String raw) {
        String content = raw;
        String tagThinking = null;
        if (!keepsThinking()) {
            ThinkingResult stripped = ThinkingStripper.strip(raw);
            content = stripped.content();
            tagThinking = stripped.thinkingContent();
        }
        String nativeThinking = a.reasoningIsContent ? "" : a.reasoning.toString();
        String thinking;
        if (!nativeThinking.isEmpty() && tagThinking != null) {
            thinking = nativeThinking + "\n" + tagThinking;
        } else if (!nativeThinking.isEmpty()) {
            thinking = nativeThinking;
        } else {
            thinking = tagThinking;
        }
        List<@Nullable Object> toolCalls = null;
        if (!a.tools.isEmpty()) {
            toolCalls = new ArrayList<>(a.tools.size());
            for (ToolCallBuilder b : a.tools.values()) {
                toolCalls.add(b.build());
            }
        }
        String model = a.model != null ? a.model : cfg.model();
        LlmUsage usage = a.usage != null ? a.usage : LlmUsage.ZERO;
        return new CallResponse(content, model, cfg.provider(), usage, true, null, thinking, null,
                ToolCall.fromResult(toolCalls), a.finishReason, a.refusal).withCost(pipeline.billFresh(cfg, usage));
    }

    /** A failed attempt: feedback, permit release, then a retry before commit or the failed {@code done}. */
    private void attemptFailed(AttemptState a, Throwable error) {
        Throwable failure = ErrorClassifier.unwrap(error);
        boolean retry;
        long delayMs = 0;
        synchronized (this) {
            if (a.ended) {
                return;
            }
            a.ended = true;
            a.cancelTimer();
            try {
                failureFeedback(a, failure);
            } catch (Throwable t) {
                // Feedback trouble must not keep the permit or hide the provider's failure.
            } finally {
                releasePermit(a);
                settleBudgets(a, failure);
            }
            retry = false;
            RetryPolicy policy = rt.config.retryFor(cfg.provider());
            if (!committed && !finished && a.number < policy.maxRetries() && ErrorClassifier.isRetryable(failure)) {
                try {
                    delayMs = Math.max(0, policy.getDelayMs(a.number, ErrorClassifier.retryAfterOf(failure)));
                    retry = deadlineNanos - rt.nanoTime() > TimeUnit.MILLISECONDS.toNanos(delayMs);
                } catch (RuntimeException e) {
                    retry = false;
                }
            }
            if (!finished) {
                OperatorEvents.attemptFailed(rt.config.callListener(), "stream", cfg, baseUrl, a.number, failure,
                        retry ? delayMs : -1);
            }
            if (!retry) {
                finishFailure(failure, a.stalled);
            }
        }
        a.cancelUpstream();
        if (retry) {
            scheduleRetry(a.number + 1, delayMs);
        } else {
            drain();
        }
    }

    private void scheduleRetry(int n, long delayMs) {
        Runnable next = () -> attempt(n);
        if (rt.config.sleeper() != null) {
            try {
                rt.config.sleeper().sleep(delayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                endWithFailure(new CancellationException("Call interrupted during retry back-off"), false);
                return;
            }
            rt.runOnExecutor(next);
        } else if (delayMs == 0) {
            rt.runOnExecutor(next);
        } else {
            synchronized (this) {
                if (finished) {
                    return;
                }
                try {
                    backoffTask = rt.scheduler.schedule(() -> rt.runOnExecutor(next), delayMs,
                            TimeUnit.MILLISECONDS);
                    return;
                } catch (RejectedExecutionException e) {
                    // Scheduler shut down with the pipeline: the next attempt fails fast at the closed limiter.
                }
            }
            rt.runOnExecutor(next);
        }
    }

    /** Limiter and key feedback for an error status, with their operator events (docs/observability.md). */
    private void failureFeedback(AttemptState a, Throwable failure) {
        Integer status = ErrorClassifier.statusOf(failure);
        if (status == null) {
            return;
        }
        int s = status;
        if (s == 429) {
            int before = a.semaphore.window();
            a.semaphore.onRateLimit();
            OperatorEvents.windowChanged(rt.config.callListener(), cfg.provider(), before, a.semaphore.window(),
                    "rate_limit");
        }
        KeyPool p = a.pool;
        String k = a.key;
        if (p != null && k != null) {
            OperatorEvents.keyFeedback(rt, rt.config.callListener(), cfg.provider(), p, k, s, failure);
        }
    }

    private void releasePermit(AttemptState a) {
        if (a.permitHeld) {
            a.permitHeld = false;
            a.semaphore.release();
        }
    }

    // =================================================================================================================
    // Timers

    private void armDeadline() {
        long remaining = Math.max(0, deadlineNanos - rt.nanoTime());
        try {
            deadlineTask = rt.deadlines.after(remaining, this::deadlinePassed);
        } catch (RejectedExecutionException e) {
            // Scheduler shut down with the pipeline: the stream runs without a pipeline-side total timeout.
        }
    }

    private void deadlinePassed() {
        AttemptState a;
        boolean stalled;
        synchronized (this) {
            if (finished) {
                return;
            }
            CompletableFuture<Void> permit = permitRequest;
            AdaptiveSemaphore s = permitSemaphore;
            if (permit != null && s != null && !permit.isDone()) {
                s.abandon(permit, new CallTimeoutException("LLM call timed out after " + timeoutText
                        + " s (timeout.totalTime) waiting for a concurrency permit"));
                return;
            }
            a = current;
            if (a == null || a.ended) {
                return;
            }
            // A subscriber that requested nothing while the buffer was full stalled the stream, not the provider.
            stalled = demand.get() == 0 && queued.get() >= bufferChunks;
            a.stalled = stalled;
        }
        if (stalled) {
            attemptFailed(a, new LlmixLocalException("LLM stream timed out after " + timeoutText
                    + " s (timeout.totalTime) while the subscriber requested no more chunks"));
        } else {
            attemptFailed(a, ProviderException.network(
                    "LLM stream timed out after " + timeoutText + " s (timeout.totalTime)", null));
        }
    }

    private void armFirstChunkTimer(AttemptState a) {
        if (a.fallback || committed) {
            return;
        }
        TimeoutConfig t = cfg.timeout();
        Number first = t == null ? null : t.streamFirstChunkTime();
        long firstNanos = first == null || !Double.isFinite(first.doubleValue()) || first.doubleValue() <= 0
                ? Long.MAX_VALUE : (long) Math.min(Long.MAX_VALUE / 4d, first.doubleValue() * 1e9);
        // Before commit a stream attempt is also bounded by the attempt timeout, so a retry can still run within the
        // deadline; after commit only the deadline applies (docs/streaming.md, "Timeouts").
        long attemptNanos = CallTimeouts.attemptNanos(rt.config, Long.MAX_VALUE);
        long nanos = Math.min(firstNanos, attemptNanos);
        long remaining = deadlineNanos - rt.nanoTime();
        if (nanos == Long.MAX_VALUE || remaining <= nanos) {
            return;
        }
        String message = firstNanos <= attemptNanos
                ? "LLM stream timed out after " + JsNumbers.toString(first.doubleValue())
                        + " s waiting for the first chunk (timeout.streamFirstChunkTime)"
                : CallTimeouts.attemptTimedOut(rt.config).replace("LLM call", "LLM stream")
                        + " waiting for the first chunk";
        try {
            a.timer = rt.deadlines.after(nanos, () -> attemptFailed(a, ProviderException.network(message, null)));
        } catch (RejectedExecutionException e) {
            // Scheduler shut down: no first-chunk timer.
        }
    }

    private void stopTimers() {
        Deadlines.Bound d = deadlineTask;
        if (d != null) {
            d.cancel();
        }
        Future<?> b = backoffTask;
        if (b != null) {
            b.cancel(false);
        }
    }

    // =================================================================================================================
    // Ends

    /**
     * Attempt {@code n} failed while waiting for its rate budget or permit (deadline, closed limiter): reported as a
     * failed attempt, as for calls (docs/observability.md), then final. Nothing is reported after a cancel.
     */
    private void failedBeforeDispatch(int n, Throwable error) {
        Throwable failure = ErrorClassifier.unwrap(error);
        synchronized (this) {
            if (finished) {
                return;
            }
            OperatorEvents.attemptFailed(rt.config.callListener(), "stream", cfg, baseUrl, n, failure, -1);
            finishFailure(failure, false);
        }
        drain();
    }

    /** A failure outside an attempt (admission, permit wait): breaker outcome, failed {@code done}. */
    private void endWithFailure(Throwable error, boolean stalled) {
        synchronized (this) {
            finishFailure(ErrorClassifier.unwrap(error), stalled);
        }
        drain();
    }

    private void finishFailure(Throwable failure, boolean stalled) {
        if (finished) {
            return;
        }
        CircuitBreaker b = breaker;
        if (b != null) {
            recordFailureOutcome(b, failure, stalled);
        }
        // Typed as for calls, so a fallback chain decides a stream's move as it does a call's (docs/streaming.md).
        finish(CallResponse.failure(cfg, ErrorClassifier.messageOf(failure), CallFailures.of(failure,
                cfg.provider())), failure);
    }

    private void recordFailureOutcome(CircuitBreaker b, Throwable failure, boolean stalled) {
        ErrorClassifier.Kind kind = stalled ? ErrorClassifier.Kind.LOCAL : ErrorClassifier.classify(failure);
        switch (kind) {
            case LOCAL, CANCELLED -> {
                if (halfOpenProbe) {
                    b.cancelProbe();
                }
            }
            case CIRCUIT_OPEN -> {
            }
            default -> {
                Integer status = ErrorClassifier.statusOf(failure);
                b.onFailure(status, status == null);
            }
        }
    }

    /** Creates the {@code done} chunk (under the monitor); the drain loop delivers it after the queued chunks. */
    private void finish(CallResponse response, @Nullable Throwable error) {
        if (finished) {
            return;
        }
        finished = true;
        stopTimers();
        doneChunk = CallChunk.done(response);
        pipeline.streamEnded();
        CallProbe p = probe;
        if (p != null) {
            // Chunks still queued are handed over before done: count them, and a first one as ready now.
            int pending = queued.get();
            long first = firstChunkAt >= 0 ? firstChunkAt : pending > 0 ? rt.nanoTime() : -1;
            p.finishStream(response, error, first, delivered + pending);
        }
    }

    // =================================================================================================================
    // Delivery

    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            while (!terminated) {
                Throwable protocol = protocolError;
                if (protocol != null) {
                    terminated = true;
                    queue.clear();
                    downstream.onError(protocol);
                    break;
                }
                if (cancelled) {
                    break;
                }
                if (demand.get() == 0) {
                    break;
                }
                CallChunk next = queue.poll();
                if (next != null) {
                    queued.decrementAndGet();
                    demand.decrementAndGet();
                    if (firstChunkAt < 0) {
                        firstChunkAt = rt.nanoTime();
                    }
                    delivered++;
                    downstream.onNext(next);
                    AttemptState a = current;
                    if (a != null) {
                        refill(a);
                    }
                    continue;
                }
                CallChunk done = doneChunk;
                if (done == null) {
                    break;
                }
                terminated = true;
                demand.decrementAndGet();
                downstream.onNext(done);
                if (!cancelled) {
                    downstream.onComplete();
                }
                break;
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    private static Map<String, String> lowerCaseNames(Map<String, String> headers) {
        Map<String, String> lower = new HashMap<>();
        headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        return lower;
    }

    // =================================================================================================================
    // Per-attempt state

    /** What one attempt holds and accumulates; guarded by the {@link StreamCall} monitor. */
    private static final class AttemptState {
        final int number;
        final AdaptiveSemaphore semaphore;
        final StreamingThinkingStripper stripper = new StreamingThinkingStripper();
        final StringBuilder raw = new StringBuilder();
        final StringBuilder reasoning = new StringBuilder();
        final TreeMap<Integer, ToolCallBuilder> tools = new TreeMap<>();
        boolean permitHeld;
        boolean ended;
        /** The dispatch function was called: from here the provider may have seen the request. */
        boolean dispatched;
        /** The provider stream opened ({@code Opened} seen). */
        boolean opened;
        @Nullable AttemptBudgets budgets;
        boolean fallback;
        boolean headerFeedback;
        boolean reasoningIsContent;
        boolean stalled;
        long outstanding;
        @Nullable KeyPool pool;
        @Nullable String key;
        @Nullable LlmUsage usage;
        @Nullable String model;
        @Nullable String finishReason;
        @Nullable String refusal;
        volatile Flow.@Nullable Subscription upstream;
        Deadlines.@Nullable Bound timer;
        @Nullable CompletableFuture<ProviderResult> fallbackStage;

        AttemptState(int number, AdaptiveSemaphore semaphore) {
            this.number = number;
            this.semaphore = semaphore;
        }

        void cancelTimer() {
            Deadlines.Bound t = timer;
            if (t != null) {
                t.cancel();
                timer = null;
            }
        }

        /** Aborts the exchange (outside the monitor: a provider may signal synchronously from cancel). */
        void cancelUpstream() {
            Flow.Subscription s = upstream;
            if (s != null) {
                s.cancel();
            }
            CompletableFuture<ProviderResult> f = fallbackStage;
            if (f != null && !f.isDone()) {
                f.cancel(true);
            }
        }
    }

    /** Collects one tool call's fragments into the OpenAI-shaped map the non-streamed adapters return. */
    private static final class ToolCallBuilder {
        @Nullable String id;
        @Nullable String name;
        final StringBuilder arguments = new StringBuilder();
        final Map<String, @Nullable Object> extra = new LinkedHashMap<>();

        Map<String, @Nullable Object> build() {
            Map<String, @Nullable Object> function = new LinkedHashMap<>();
            function.put("name", name == null ? "" : name);
            function.put("arguments", arguments.length() == 0 ? "{}" : arguments.toString());
            Map<String, @Nullable Object> call = new LinkedHashMap<>();
            call.put("id", id == null ? "" : id);
            call.put("type", "function");
            call.put("function", function);
            if (!extra.isEmpty()) {
                call.put("extra_content", extra);
            }
            return call;
        }
    }
}
