package dev.llmix.pipeline;

import static dev.llmix.pipeline.ScriptedStreamDispatch.opened;
import static dev.llmix.pipeline.ScriptedStreamDispatch.script;
import static dev.llmix.pipeline.ScriptedStreamDispatch.text;
import static dev.llmix.testsupport.ScriptedDispatch.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.budget.BudgetDimension;
import dev.llmix.budget.RateBudgetSnapshot;
import dev.llmix.budget.RateBudgets;
import dev.llmix.budget.RateLimits;
import dev.llmix.config.TimeoutConfig;
import dev.llmix.spi.CallInput;
import dev.llmix.testsupport.RecordingChunkSubscriber;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * What happens to a stream between two attempts (docs/streaming.md, "Cancellation" and "What happens, step by step"):
 * a cancel stops the scheduled retry, and a kill switch engaged during the back-off stops the next dispatch. Numbers
 * refer to the acceptance checks of the streaming contract.
 */
class StreamBackoffTest extends PipelineTestSupport {

    /** A 503 before any chunk, then a success: the retry is what the back-off leads to. */
    private static ScriptedStreamDispatch unavailableThenOk() {
        return ScriptedStreamDispatch.sequence(script(status(503)), script(opened(), text("ok")));
    }

    private static CallInput withDeadline(double seconds) {
        return input(config().timeout(new TimeoutConfig(seconds, null)).build());
    }

    // 28: cancel during a back-off → no new attempt
    @Test
    void aCancelDuringABackoffStartsNoNewAttempt() throws Exception {
        ScriptedStreamDispatch d = unavailableThenOk();
        // A 2 s back-off, scheduled on the pipeline's timer (no sleeper): long enough to cancel within it even on a
        // loaded machine.
        CallPipeline p = pipeline(options().maxRetries(1).retryBaseMs(2_000).retryMaxDelayMs(2_000), d);
        RecordingChunkSubscriber s = new RecordingChunkSubscriber();
        p.stream(withDeadline(30)).subscribe(s);
        // The first attempt failed and gave its permit back: the stream is in its back-off.
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while ((d.count() < 1 || p.snapshot().semaphores().get("openai").inFlight() != 0)
                && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        assertThat(d.count()).isEqualTo(1);
        s.cancel();
        // Well past the end of the back-off: the retry was withdrawn with the cancel.
        Thread.sleep(3_000);
        assertThat(d.count()).isEqualTo(1);
        assertThat(s.chunks()).isEmpty();
        assertThat(p.snapshot().semaphores().get("openai").inFlight()).isZero();
        assertThat(p.snapshot().semaphores().get("openai").waiters()).isZero();
        assertThat(p.streamsInFlight()).isZero();
        assertThat(p.snapshot().circuitBreakers().get("openai:").consecutiveFailures()).isZero();
    }

    // 28: the same with an injected sleeper, cancelled while it sleeps
    @Test
    void aCancelWhileTheSleeperWaitsStartsNoNewAttempt() throws Exception {
        ScriptedStreamDispatch d = unavailableThenOk();
        RecordingChunkSubscriber s = new RecordingChunkSubscriber();
        CountDownLatch retried = new CountDownLatch(1);
        CallPipeline p = pipeline(options().maxRetries(1).sleeper(ms -> s.cancel())
                .executor(command -> {
                    // The attempt after the back-off runs here: count it once it has run.
                    Thread t = new Thread(() -> {
                        command.run();
                        retried.countDown();
                    });
                    t.start();
                }), d);
        p.stream(withDeadline(30)).subscribe(s);
        assertThat(retried.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(d.count()).isEqualTo(1);
        assertThat(s.chunks()).isEmpty();
        assertThat(p.snapshot().semaphores().get("openai").inFlight()).isZero();
        assertThat(p.streamsInFlight()).isZero();
    }

    // 28 with rate budgets: the withdrawn retry takes nothing from them (docs/rate-limits.md)
    @Test
    void aCancelDuringABackoffTakesNoRateBudgetForTheWithdrawnRetry() throws Exception {
        // A frozen clock: the budgets never refill, so what remains moves only by grants and refunds.
        AtomicLong now = new AtomicLong(1_000_000_000L);
        ScriptedStreamDispatch d = unavailableThenOk();
        RecordingChunkSubscriber s = new RecordingChunkSubscriber();
        CountDownLatch retried = new CountDownLatch(1);
        CallPipeline p = pipeline(options().maxRetries(1).nanoClock(now::get)
                .rateBudgets(RateBudgets.builder().provider("openai", new RateLimits(600, 10_000, 0, 0)).build())
                .sleeper(ms -> s.cancel())
                .executor(command -> new Thread(() -> {
                    command.run();
                    retried.countDown();
                }).start()), d);
        p.stream(withDeadline(30)).subscribe(s);
        assertThat(retried.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(d.count()).isEqualTo(1);
        RateBudgetSnapshot budget = p.rateBudgets().snapshots().get(0);
        // The first attempt was answered with a 503: its request counts, its tokens are refunded.
        assertThat(budget.dimension(BudgetDimension.RPM).remaining()).isEqualTo(10 - 1);
        assertThat(budget.dimension(BudgetDimension.TPM).remaining()).isEqualTo(10_000);
    }

    // 32: kill switch engaged during a back-off → no new dispatch
    @Test
    void aKillSwitchEngagedDuringABackoffStopsTheNextDispatch() throws Exception {
        ScriptedStreamDispatch d = unavailableThenOk();
        CallPipeline p = pipeline(options().maxRetries(1).sleeper(ms -> {
            try {
                Files.writeString(stateDir.resolve("killswitch"), "maintenance");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }), d);
        RecordingChunkSubscriber s = new RecordingChunkSubscriber();
        p.stream(withDeadline(30)).subscribe(s);
        CallResponse done = s.awaitDone();
        assertThat(done.success()).isFalse();
        assertThat(done.error()).startsWith("Kill switch active: ");
        assertThat(s.chunks()).hasSize(1);
        assertThat(d.count()).isEqualTo(1);
        assertThat(p.snapshot().semaphores().get("openai").inFlight()).isZero();
        assertThat(p.streamsInFlight()).isZero();
    }
}
