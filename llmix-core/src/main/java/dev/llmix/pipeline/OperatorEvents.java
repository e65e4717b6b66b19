package dev.llmix.pipeline;

import dev.llmix.config.LlmConfig;
import dev.llmix.keys.KeyPool;
import dev.llmix.spi.AttemptFailedEvent;
import dev.llmix.spi.AttemptStartedEvent;
import dev.llmix.spi.CallListener;
import dev.llmix.spi.KeyDeadEvent;
import dev.llmix.spi.KeyRotatedEvent;
import dev.llmix.spi.LimiterWindowEvent;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator events and log lines of one attempt (docs/observability.md, "Operator events"), shared by calls and
 * streams so both report the same facts in the same words. Keys appear by fingerprint only.
 */
final class OperatorEvents {

    private static final Logger LOG = LoggerFactory.getLogger(CallPipeline.class);

    private OperatorEvents() {
    }

    /** An attempt holds its permit and key and is about to dispatch. */
    static void attemptStarted(@Nullable CallListener listener, LlmConfig cfg, String baseUrl, int attempt,
            KeyPool pool, String key) {
        if (listener == null) {
            return;
        }
        AttemptStartedEvent event = new AttemptStartedEvent(cfg.provider(), cfg.model(), baseUrl, attempt,
                pool.fingerprintOf(key));
        ListenerEvents.emit(listener, l -> l.attemptStarted(event));
    }

    /** The AIMD window moved from {@code before} to {@code after}: INFO on a cut, DEBUG on growth, and the event. */
    static void windowChanged(@Nullable CallListener listener, String provider, int before, int after,
            String cause) {
        if (after == before) {
            return;
        }
        if (after < before) {
            LOG.info("LLMix limiter for {}: window {} -> {} ({})", provider, before, after, cause);
        } else {
            LOG.debug("LLMix limiter for {}: window {} -> {} ({})", provider, before, after, cause);
        }
        if (listener != null) {
            LimiterWindowEvent event = new LimiterWindowEvent(provider, before, after, cause);
            ListenerEvents.emit(listener, l -> l.limiterWindowChanged(event));
        }
    }

    /**
     * Key feedback for an error status: a 429 cools the key down for its {@code Retry-After} and rotates the pool, a
     * 401/403 marks {@code key} dead (under the cross-process lock), then the matching event and log line.
     */
    static void keyFeedback(PipelineRuntime rt, @Nullable CallListener listener, String provider, KeyPool pool,
            String key, int status, Throwable failure) {
        if (status != 429 && status != 401 && status != 403) {
            return;
        }
        String next = null;
        int aliveBefore = 0;
        int aliveAfter = 0;
        rt.fileLock.acquire();
        try {
            if (status == 429) {
                KeyCoolDowns.onRateLimited(pool, key, failure, rt.config.retryFor(provider));
                pool.rotate();
                next = pool.currentFingerprint();
            } else {
                aliveBefore = pool.aliveCount();
                pool.markDead(key);
                aliveAfter = pool.aliveCount();
            }
        } finally {
            rt.fileLock.release();
        }
        if (status == 429 && next != null) {
            KeyRotatedEvent event = new KeyRotatedEvent(provider, pool.fingerprintOf(key), next, status);
            LOG.info("LLMix key pool for {}: key {} rate-limited (429), rotated to {}", provider,
                    event.fromFingerprint(), next);
            ListenerEvents.emit(listener, l -> l.keyRotated(event));
        } else if (status != 429 && aliveAfter < aliveBefore) {
            KeyDeadEvent event = new KeyDeadEvent(provider, pool.fingerprintOf(key), status, aliveAfter);
            LOG.warn("LLMix key pool for {}: key {} rejected ({}) and marked dead; {} live key(s) left", provider,
                    event.fingerprint(), status, aliveAfter);
            ListenerEvents.emit(listener, l -> l.keyMarkedDead(event));
        }
    }

    /**
     * An attempt failed: an INFO line with the reason, the HTTP status and the back-off ({@code delayMs < 0}: no
     * retry), and the event. {@code what} is {@code call} or {@code stream}.
     */
    static void attemptFailed(@Nullable CallListener listener, String what, LlmConfig cfg, String baseUrl,
            int attempt, Throwable error, long delayMs) {
        if (listener == null && !LOG.isInfoEnabled()) {
            return;
        }
        String provider = cfg.provider();
        String reason = CallFailures.of(error, provider).type().name().toLowerCase(Locale.ROOT);
        Integer status = ErrorClassifier.statusOf(error);
        if (delayMs >= 0) {
            LOG.info("LLMix {} to {} / {}: attempt {} failed ({}{}), retrying in {} ms", what, provider, cfg.model(),
                    attempt, reason, status == null ? "" : ", HTTP " + status, delayMs);
        } else {
            LOG.info("LLMix {} to {} / {}: attempt {} failed ({}{}), no retry", what, provider, cfg.model(),
                    attempt, reason, status == null ? "" : ", HTTP " + status);
        }
        if (listener == null) {
            return;
        }
        AttemptFailedEvent event = new AttemptFailedEvent(provider, cfg.model(), baseUrl, attempt, status, reason,
                delayMs < 0 ? null : Duration.ofMillis(delayMs));
        ListenerEvents.emit(listener, l -> l.attemptFailed(event));
    }
}
