package dev.llmix.pipeline;

import static dev.llmix.pipeline.ScriptedStreamDispatch.opened;
import static dev.llmix.pipeline.ScriptedStreamDispatch.script;
import static dev.llmix.pipeline.ScriptedStreamDispatch.text;
import static dev.llmix.testsupport.ScriptedDispatch.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.budget.RateBudgets;
import dev.llmix.budget.RateLimits;
import dev.llmix.config.TimeoutConfig;
import dev.llmix.keys.KeyPool;
import dev.llmix.spi.ProviderException;
import dev.llmix.testsupport.RecordingChunkSubscriber;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Streams emit the operator events calls emit (docs/observability.md, "Operator events"): attempt started and failed,
 * key rotated, key marked dead and limiter window changes, in the same order, keys by fingerprint only.
 */
class StreamOperatorEventsTest extends PipelineTestSupport {

    private static final String KEY_A = "sk-first-key-aaaaaaaaaaaa";
    private static final String KEY_B = "sk-second-key-bbbbbbbbbbb";

    private static RecordingChunkSubscriber run(CallPipeline p) {
        RecordingChunkSubscriber s = new RecordingChunkSubscriber();
        p.stream(input()).subscribe(s);
        return s;
    }

    @Test
    void aStreamWith429BeforeTheFirstChunkRotatesTheKeyThenSucceedsWithTheEventsOfACall() throws Exception {
        OperatorEventsTest.Recorder rec = new OperatorEventsTest.Recorder();
        ScriptedStreamDispatch d = ScriptedStreamDispatch.sequence(script(status(429)), script(opened(), text("ok")));
        CallPipeline p = pipeline(options().maxRetries(2).semaphoreInitial(8).semaphoreMin(2).callListener(rec), d);
        p.setKeyPool("openai", new KeyPool(List.of(KEY_A, KEY_B)));
        assertThat(run(p).awaitDone().content()).isEqualTo("ok");
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
        assertThat(d.contexts).extracting(ctx -> ctx.apiKey()).containsExactly(KEY_A, KEY_B);
        assertThat(String.join("\n", rec.lines)).doesNotContain(KEY_A).doesNotContain(KEY_B);
    }

    @Test
    void aMidStreamRateLimitErrorBeforeTheFirstChunkIsReportedLikeAStatus() throws Exception {
        OperatorEventsTest.Recorder rec = new OperatorEventsTest.Recorder();
        ScriptedStreamDispatch d = ScriptedStreamDispatch.sequence(
                script(opened(), new ProviderException("rate limited mid-stream", 429, null)),
                script(opened(), text("ok")));
        CallPipeline p = pipeline(options().maxRetries(1).semaphoreInitial(8).semaphoreMin(2).callListener(rec), d);
        p.setKeyPool("openai", new KeyPool(List.of(KEY_A, KEY_B)));
        assertThat(run(p).awaitDone().success()).isTrue();
        String a = KeyPool.fingerprint(KEY_A);
        assertThat(rec.lines).startsWith("started 0 " + a, "window 8->4 rate_limit",
                "rotated " + a + "->" + KeyPool.fingerprint(KEY_B), "failed 0 429 rate_limited retry=true");
    }

    @Test
    void anUnauthorizedStreamMarksItsKeyDeadAndAFinalFailureSaysNoRetry() throws Exception {
        OperatorEventsTest.Recorder rec = new OperatorEventsTest.Recorder();
        CallPipeline p = pipeline(options().maxRetries(0).callListener(rec),
                ScriptedStreamDispatch.always(status(401)));
        p.setKeyPool("openai", new KeyPool(List.of(KEY_A, KEY_B)));
        assertThat(run(p).awaitDone().success()).isFalse();
        String a = KeyPool.fingerprint(KEY_A);
        assertThat(rec.lines).containsExactly(
                "started 0 " + a,
                "dead " + a + " 401 alive=1",
                "failed 0 401 authentication retry=false",
                "finished failure");
    }

    @Test
    void aBudgetWaitPastTheDeadlineIsAFinalFailedAttemptWithoutAStart() throws Exception {
        OperatorEventsTest.Recorder rec = new OperatorEventsTest.Recorder();
        ScriptedStreamDispatch d = ScriptedStreamDispatch.always(opened(), text("ok"));
        CallPipeline p = pipeline(options().callListener(rec)
                .rateBudgets(RateBudgets.builder().provider("openai", RateLimits.rpm(1)).build()), d);
        assertThat(run(p).awaitDone().success()).isTrue();
        rec.lines.clear();
        RecordingChunkSubscriber late = new RecordingChunkSubscriber();
        p.stream(input(config().timeout(new TimeoutConfig(0.1, null)).build())).subscribe(late);
        CallResponse done = late.awaitDone();
        assertThat(done.error()).contains("waiting for rate budget (p:openai rpm)");
        assertThat(rec.lines).hasSize(2);
        assertThat(rec.lines.get(0)).startsWith("failed 0 null ").endsWith(" retry=false");
        assertThat(rec.lines.get(1)).isEqualTo("finished failure");
        assertThat(d.count()).isEqualTo(1);
    }

    @Test
    void rateLimitHeadersAtOpenedAreALimiterWindowChange() throws Exception {
        OperatorEventsTest.Recorder rec = new OperatorEventsTest.Recorder();
        ScriptedStreamDispatch d = ScriptedStreamDispatch.always(new dev.llmix.spi.ProviderStreamEvent.Opened(
                Map.of("x-ratelimit-remaining-requests", "0", "x-ratelimit-limit-requests", "100")), text("ok"));
        CallPipeline p = pipeline(options().semaphoreInitial(8).semaphoreMin(2).callListener(rec), d);
        assertThat(run(p).awaitDone().success()).isTrue();
        assertThat(rec.lines).hasSize(3);
        assertThat(rec.lines.get(1)).startsWith("window 8->").endsWith(" headers");
        assertThat(rec.lines.get(2)).isEqualTo("finished success");
    }
}
