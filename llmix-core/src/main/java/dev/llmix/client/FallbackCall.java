package dev.llmix.client;

import dev.llmix.config.LlmConfig;
import dev.llmix.config.TimeoutConfig;
import dev.llmix.pipeline.CallAttempt;
import dev.llmix.pipeline.CallFailure;
import dev.llmix.pipeline.CallFailureType;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.spi.CallInput;
import dev.llmix.spi.CallListener;
import dev.llmix.spi.FallbackEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call of a preset with a fallback chain, at the whole-call level: each try is an ordinary pipeline call (its own
 * cache key, breaker, retries and key pool), and the chain moves on only after a failure another provider may not
 * share: breaker open, retries exhausted on retryable errors, key pool exhausted, or a local timeout before dispatch.
 * All tries share the first one's deadline (docs/providers.md, "Fallback chains"). A stream uses the same rules and
 * bookkeeping through {@link FallbackStream}, before its first chunk only.
 */
final class FallbackCall {

    private static final Logger LOG = LoggerFactory.getLogger(FallbackCall.class);

    private final LlmixClient client;
    private final LlmixClient.PipelineCalls pipeline;
    private final String module;
    private final String preset;
    private final List<FallbackAlternative> chain;
    private final CallInput first;
    private final CallOptions options;
    private final long deadline;
    private final List<CallAttempt> tried = new ArrayList<>(4);

    /**
     * The rest of a chain whose first try started at {@code startNanos} (by the pipeline's clock); created only after
     * that try failed, so a call its own provider answers allocates nothing here.
     */
    FallbackCall(LlmixClient client, LlmixClient.PipelineCalls pipeline, String module, String preset,
            List<FallbackAlternative> chain, CallInput first, CallOptions options, long startNanos) {
        this.client = client;
        this.pipeline = pipeline;
        this.module = module;
        this.preset = preset;
        this.chain = chain;
        this.first = first;
        this.options = options;
        this.deadline = startNanos + budgetNanos(first.config(), pipeline.defaultCallTimeoutNanos());
    }

    /** The chain after the first try's failed response {@code r}, on the caller's thread. */
    CallResponse after(CallResponse r) {
        CallInput current = first;
        for (int i = 0; ; i++) {
            CallInput next = moveOn(current, r, i);
            if (next == null) {
                return answer(r);
            }
            current = next;
            r = pipeline.call(next);
        }
    }

    /**
     * Records try {@code i} (0 = the preset's own provider), which sent {@code current} and ended with {@code r}, and
     * returns the input of the next alternative when the chain moves on, or {@code null} when {@code r} is the answer:
     * a success, a failure another provider would share, the end of the chain or of the shared deadline. Also used
     * by a stream before its first chunk ({@link FallbackStream}).
     */
    @Nullable CallInput moveOn(CallInput current, CallResponse r, int i) {
        tried.add(CallAttempt.of(r));
        return !r.success() && i < chain.size() && movesOn(r) ? next(current, r, i) : null;
    }

    /** Records a try that ended the chain whatever its outcome (a stream's failure after its first chunk). */
    void record(CallResponse r) {
        tried.add(CallAttempt.of(r));
    }

    /** The answer of the chain: {@code r} with every try recorded so far. */
    CallResponse answer(CallResponse r) {
        return r.withAttempts(tried);
    }

    /** The chain after the first try's failed response {@code r}, each try started when the previous one ended. */
    CompletableFuture<CallResponse> afterAsync(CallResponse r) {
        return continueAsync(first, r, 0);
    }

    private CompletableFuture<CallResponse> continueAsync(CallInput current, CallResponse r, int i) {
        CallInput next;
        try {
            next = moveOn(current, r, i);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (next == null) {
            return CompletableFuture.completedFuture(answer(r));
        }
        return pipeline.callAsync(next).thenCompose(nr -> continueAsync(next, nr, i + 1));
    }

    /**
     * Whether another provider may succeed where this try failed: the typed failure is retryable (breaker open,
     * retryable statuses after the retries, timeouts, network trouble, exhausted key pool) and is not the kill switch
     * or a shutdown. Client errors (400, 404, 422), authentication and configuration failures never move on.
     */
    static boolean movesOn(CallResponse r) {
        CallFailure f = r.callFailure();
        return f != null && f.retryable() && f.type() != CallFailureType.KILL_SWITCH
                && f.type() != CallFailureType.SHUT_DOWN;
    }

    /** The input of alternative {@code i}, or {@code null} when the shared deadline has passed. */
    private @Nullable CallInput next(CallInput current, CallResponse failed, int i) {
        long left = deadline - pipeline.nanoTime();
        if (left <= 0) {
            return null;
        }
        FallbackAlternative alt = chain.get(i);
        LlmConfig cfg = alternativeConfig(alt, left);
        String key = first.singleflightKey();
        // An explicit singleflight key must not join the failed provider's flight.
        String flightKey = key == null || key.isBlank() ? null : key + "|fallback:" + (i + 1);
        CallInput next = new CallInput(cfg, first.messages(), flightKey, first.tools(), first.cacheable());
        CallFailure f = failed.callFailure();
        String reason = f == null ? "failure" : f.type().name().toLowerCase(Locale.ROOT);
        LOG.debug("LLMix {}/{}: {}/{} failed ({}), trying fallback {} {}/{}", module, preset,
                current.config().provider(), current.config().model(), reason, i + 1, cfg.provider(), cfg.model());
        CallListener listener = pipeline.listener();
        if (listener != null) {
            try {
                listener.fallback(new FallbackEvent(module, preset, current.config().provider(),
                        current.config().model(), cfg.provider(), cfg.model(), reason, i + 1));
            } catch (Throwable t) {
                LOG.debug("LLMix call listener failed on a fallback event: {}", t.toString());
            }
        }
        return next;
    }

    private LlmConfig alternativeConfig(FallbackAlternative alt, long leftNanos) {
        LlmConfig base = first.config();
        if (alt.preset() != null && !alt.preset().isBlank()) {
            String p = alt.preset();
            int slash = p.indexOf('/');
            LlmConfig other = slash < 0 ? client.preset(module, p) : client.preset(p.substring(0, slash),
                    p.substring(slash + 1));
            base = options.applyTo(other);
        }
        LlmConfig.Builder b = base.toBuilder();
        if (alt.provider() != null && !alt.provider().isBlank() && !alt.provider().equals(base.provider())) {
            // A base URL belongs to the provider it was set for: the key of the new provider must never go there.
            b.provider(alt.provider()).baseUrl(null);
        }
        if (alt.model() != null && !alt.model().isBlank()) {
            b.model(alt.model());
        }
        TimeoutConfig t = base.timeout();
        // Millisecond precision keeps the "timed out after … s" message readable.
        double seconds = Math.max(1, leftNanos / 1_000_000L) / 1000d;
        b.timeout(new TimeoutConfig(seconds,
                t == null ? null : t.streamFirstChunkTime()));
        return b.build();
    }

    /** The call's whole budget: the preset's {@code timeout.totalTime}, else the pipeline's default call timeout. */
    static long budgetNanos(LlmConfig cfg, long defaultNanos) {
        Number total = cfg.timeout() == null ? null : cfg.timeout().totalTime();
        if (total != null && Double.isFinite(total.doubleValue()) && total.doubleValue() > 0) {
            return (long) Math.min(Long.MAX_VALUE / 4d, total.doubleValue() * 1e9);
        }
        return defaultNanos;
    }
}
