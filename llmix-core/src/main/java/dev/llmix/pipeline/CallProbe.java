package dev.llmix.pipeline;

import dev.llmix.spi.LlmUsage;
import dev.llmix.spi.CallEvent;
import dev.llmix.spi.CallInput;
import dev.llmix.spi.CallListener;
import dev.llmix.spi.CallOutcome;
import dev.llmix.resilience.CircuitOpenException;
import dev.llmix.resilience.KillSwitchActiveException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One call's link to the {@link CallListener}: start time and context in, one {@link CallEvent} out. */
final class CallProbe {

    private static final Logger LOG = LoggerFactory.getLogger(CallPipeline.class);

    private final CallListener listener;
    private final CallInput input;
    private final LongSupplier nanoClock;
    private final long startNanos;
    private final @Nullable Object context;
    /** A caller that stops waiting (interrupt) reports early; the execution's later response is then dropped. */
    private final AtomicBoolean finished = new AtomicBoolean();
    /** Set once the effective base URL is known (the probe stays with one call, on one thread at a time). */
    String baseUrl = "";
    /** Set when the response cache was consulted. */
    boolean cacheLookedUp;
    /** For a cache hit, the cost it saved (docs/cost.md). */
    double savedUsd;

    private CallProbe(CallListener listener, CallInput input, LongSupplier nanoClock) {
        this.listener = listener;
        this.input = input;
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
        Object ctx = null;
        try {
            ctx = listener.callStarted(input);
        } catch (Throwable t) {
            listenerFailed(t);
        }
        this.context = ctx;
    }

    /** A probe for this call, or {@code null} without a listener. */
    static @Nullable CallProbe start(@Nullable CallListener listener, CallInput input, LongSupplier nanoClock) {
        return listener == null ? null : new CallProbe(listener, input, nanoClock);
    }

    /** Reports the response, once per call; never throws. */
    void finish(CallResponse response, @Nullable Throwable error) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        try {
            long elapsed = nanoClock.getAsLong() - startNanos;
            CallOutcome outcome = response.success() ? CallOutcome.SUCCESS : outcomeOf(error);
            boolean fresh = response.success() && response.cacheHit() == null;
            listener.callFinished(new CallEvent(input.config(), baseUrl, outcome, response.cacheHit(),
                    cacheLookedUp, response.usage(), elapsed, response.success() ? null : error, false, -1, 0,
                    fresh ? response.model() : null, response.cost(), savedUsd), context);
        } catch (Throwable t) {
            listenerFailed(t);
        }
    }

    /** Reports a stream's end (its {@code done} response, or a cancel when {@code response} is null); once. */
    void finishStream(@Nullable CallResponse response, @Nullable Throwable error, long firstChunkNanos,
            long chunks) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        try {
            long elapsed = nanoClock.getAsLong() - startNanos;
            CallOutcome outcome = response == null ? CallOutcome.CANCELLED
                    : response.success() ? CallOutcome.SUCCESS : outcomeOf(error);
            long ttfc = firstChunkNanos < 0 ? -1 : firstChunkNanos - startNanos;
            listener.callFinished(new CallEvent(input.config(), baseUrl, outcome,
                    response == null ? null : response.cacheHit(), cacheLookedUp,
                    response == null ? LlmUsage.ZERO : response.usage(), elapsed,
                    response == null || response.success() ? null : error, true, ttfc, chunks,
                    response != null && response.success() && response.cacheHit() == null ? response.model() : null,
                    response == null ? null : response.cost(), savedUsd), context);
        } catch (Throwable t) {
            listenerFailed(t);
        }
    }

    static CallOutcome outcomeOf(@Nullable Throwable error) {
        if (error == null) {
            return CallOutcome.FAILURE;
        }
        Throwable t = ErrorClassifier.unwrap(error);
        if (t instanceof KillSwitchActiveException) {
            return CallOutcome.KILL_SWITCH;
        }
        if (t instanceof CircuitOpenException) {
            return CallOutcome.CIRCUIT_OPEN;
        }
        return CallOutcome.FAILURE;
    }

    private static void listenerFailed(Throwable t) {
        // A broken listener must not break calls; debug only, as this may run on every call.
        LOG.debug("LLMix call listener failed: {}", t.toString());
    }
}
