package dev.llmix.pipeline;

import static dev.llmix.testsupport.ScriptedDispatch.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.keys.KeyPool;
import dev.llmix.spi.AttemptFailedEvent;
import dev.llmix.spi.AttemptStartedEvent;
import dev.llmix.spi.BreakerStateEvent;
import dev.llmix.spi.CallEvent;
import dev.llmix.spi.CallListener;
import dev.llmix.spi.KeyDeadEvent;
import dev.llmix.spi.KeyRotatedEvent;
import dev.llmix.spi.LimiterWindowEvent;
import dev.llmix.testsupport.ScriptedDispatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The operator events of the listener SPI, in order, for scripted provider behaviour (docs/observability.md). */
class OperatorEventsTest extends PipelineTestSupport {

    private static final String KEY_A = "sk-first-key-aaaaaaaaaaaa";
    private static final String KEY_B = "sk-second-key-bbbbbbbbbbb";

    /** Records every event as one line. */
    static final class Recorder implements CallListener {
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void callFinished(CallEvent event, @Nullable Object context) {
            lines.add("finished " + event.outcome().tagValue());
        }

        @Override
        public void attemptStarted(AttemptStartedEvent e) {
            lines.add("started " + e.attempt() + " " + e.keyFingerprint());
        }

        @Override
        public void attemptFailed(AttemptFailedEvent e) {
            lines.add("failed " + e.attempt() + " " + e.status() + " " + e.reason() + " retry=" + e.willRetry());
        }

        @Override
        public void keyRotated(KeyRotatedEvent e) {
            lines.add("rotated " + e.fromFingerprint() + "->" + e.toFingerprint());
        }

        @Override
        public void keyMarkedDead(KeyDeadEvent e) {
            lines.add("dead " + e.fingerprint() + " " + e.status() + " alive=" + e.aliveKeys());
        }

        @Override
        public void breakerStateChanged(BreakerStateEvent e) {
            lines.add("breaker " + e.from() + "->" + e.to());
        }

        @Override
        public void limiterWindowChanged(LimiterWindowEvent e) {
            lines.add("window " + e.from() + "->" + e.to() + " " + e.cause());
        }
    }

    @Test
    void rateLimitRotatesTheKeyThenTheRetrySucceeds() {
        Recorder rec = new Recorder();
        CallPipeline p = pipeline(options().maxRetries(2).semaphoreInitial(8).semaphoreMin(2).callListener(rec),
                ScriptedDispatch.sequence(status(429), "ok"));
        p.setKeyPool("openai", new KeyPool(List.of(KEY_A, KEY_B)));
        assertThat(p.call(input()).success()).isTrue();
        String a = KeyPool.fingerprint(KEY_A);
        String b = KeyPool.fingerprint(KEY_B);
        assertThat(rec.lines).containsExactly(
                "started 0 " + a,
                "window 8->4 rate_limit",
                "rotated " + a + "->" + b,
                "failed 0 429 rate_limited retry=true",
                "started 1 " + b,
                "window 4->5 success",
                "finished success");
        assertThat(String.join("\n", rec.lines)).doesNotContain(KEY_A).doesNotContain(KEY_B);
    }

    @Test
    void serviceUnavailableStormOpensThenHalfOpensThenClosesTheBreaker() {
        Recorder rec = new Recorder();
        AtomicLong nanos = new AtomicLong();
        List<Object> script = new ArrayList<>(List.of(status(503), status(503), status(503), "ok"));
        CallPipeline p = pipeline(options().circuitBreakerThreshold(3).circuitBreakerCooldown(Duration.ofMillis(10))
                .permittedHalfOpenCalls(1).nanoClock(nanos::get).callListener(rec),
                ScriptedDispatch.sequence(script.toArray()));
        for (int i = 0; i < 3; i++) {
            p.call(input());
        }
        p.call(input()); // refused while OPEN
        nanos.addAndGet(Duration.ofMillis(20).toNanos());
        assertThat(p.call(input()).success()).isTrue();
        String k = KeyPool.fingerprint("test-key");
        assertThat(rec.lines).containsExactly(
                "started 0 " + k, "failed 0 503 provider_error retry=false", "finished failure",
                "started 0 " + k, "failed 0 503 provider_error retry=false", "finished failure",
                "started 0 " + k, "failed 0 503 provider_error retry=false", "breaker CLOSED->OPEN",
                "finished failure",
                "finished circuit_open",
                "breaker OPEN->HALF_OPEN",
                "started 0 " + k, "breaker HALF_OPEN->CLOSED", "finished success");
    }

    @Test
    void unauthorizedKeyIsMarkedDeadByFingerprint() {
        Recorder rec = new Recorder();
        CallPipeline p = pipeline(options().maxRetries(1).callListener(rec),
                ScriptedDispatch.sequence(status(401), "ok"));
        p.setKeyPool("openai", new KeyPool(List.of(KEY_A, KEY_B)));
        p.call(input());
        assertThat(rec.lines).contains("dead " + KeyPool.fingerprint(KEY_A) + " 401 alive=1");
        assertThat(p.getKeyPool("openai").revive(KeyPool.fingerprint(KEY_A))).isTrue();
        assertThat(p.getKeyPool("openai").aliveCount()).isEqualTo(2);
    }

    @Test
    void fingerprintIsTheSha256Prefix() {
        assertThat(KeyPool.fingerprint("sk-test")).isEqualTo("f3abf2a6cc4f0098");
    }
}
