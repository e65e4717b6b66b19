package dev.llmix.internal.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmix.budget.BudgetCost;
import dev.llmix.budget.BudgetDimension;
import dev.llmix.budget.BudgetEnvironment;
import dev.llmix.budget.BudgetGrant;
import dev.llmix.budget.BudgetLimits;
import dev.llmix.budget.BudgetListener;
import dev.llmix.budget.BudgetMode;
import dev.llmix.budget.BudgetScope;
import dev.llmix.budget.BudgetTimeoutException;
import dev.llmix.budget.RateBudget;
import dev.llmix.budget.RateBudgetClosedException;
import dev.llmix.budget.RateLimitObservation;
import dev.llmix.budget.RateLimits;
import dev.llmix.spi.LlmUsage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The LOCAL budget's arithmetic, settling and learning on an injected nano clock (docs/rate-limits.md). */
class LocalRateBudgetTest {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong now = new AtomicLong(5 * SECOND);
    private final ManualScheduler scheduler = new ManualScheduler();
    private final List<String> events = new ArrayList<>();
    private final BudgetListener listener = new BudgetListener() {
        @Override
        public void onGrant(RateBudget budget, BudgetDimension dimension, long waitNanos) {
            events.add("grant " + budget.id() + " " + dimension.id() + " " + waitNanos);
        }

        @Override
        public void onReject(RateBudget budget, BudgetDimension dimension, String reason) {
            events.add("reject " + budget.id() + " " + dimension.id() + " " + reason);
        }
    };
    private final BudgetEnvironment env = new BudgetEnvironment(scheduler, Runnable::run, now::get, listener,
            LocalRateBudgetFactory.INSTANCE);

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private LocalRateBudget budget(RateLimits limits) {
        return new LocalRateBudget(BudgetScope.provider("openai"), BudgetLimits.of(limits), env, BudgetMode.LOCAL);
    }

    private long remaining(RateBudget b, BudgetDimension d) {
        return b.snapshot().dimension(d).remaining();
    }

    private static BudgetCost tokens(long total) {
        return new BudgetCost(1, total / 2, total - total / 2);
    }

    @Test
    void capacityAndPeriodFollowTheLimitAndBurst() {
        LocalRateBudget rpm60 = budget(RateLimits.rpm(60));
        assertThat(rpm60.snapshot().dimension(BudgetDimension.RPM).capacity()).isEqualTo(1);
        assertThat(rpm60.periodNanos(BudgetDimension.RPM)).isEqualTo(SECOND);
        LocalRateBudget rpm1000 = budget(RateLimits.rpm(1000));
        assertThat(rpm1000.snapshot().dimension(BudgetDimension.RPM).capacity()).isEqualTo(17);
        assertThat(rpm1000.periodNanos(BudgetDimension.RPM)).isEqualTo(1_020_000_000L);
        LocalRateBudget rpm30 = budget(RateLimits.rpm(30));
        assertThat(rpm30.snapshot().dimension(BudgetDimension.RPM).capacity()).isEqualTo(1);
        assertThat(rpm30.periodNanos(BudgetDimension.RPM)).isEqualTo(2 * SECOND);
        LocalRateBudget tpm = budget(new RateLimits(0, 90_000, 0, 0));
        assertThat(tpm.snapshot().dimension(BudgetDimension.TPM).capacity()).isEqualTo(90_000);
        assertThat(tpm.periodNanos(BudgetDimension.TPM)).isEqualTo(60 * SECOND);
        assertThat(tpm.has(BudgetDimension.RPM)).isFalse();
    }

    @Test
    void threeAcquisitionsAtOnceAreGrantedOneSecondApartWithoutBlockingTheCaller() {
        LocalRateBudget b = budget(RateLimits.rpm(60));
        long deadline = now.get() + 10 * SECOND;
        CompletableFuture<BudgetGrant> first = b.acquire(BudgetCost.of(0, 0), deadline).toCompletableFuture();
        CompletableFuture<BudgetGrant> second = b.acquire(BudgetCost.of(0, 0), deadline).toCompletableFuture();
        CompletableFuture<BudgetGrant> third = b.acquire(BudgetCost.of(0, 0), deadline).toCompletableFuture();

        assertThat(first).isCompleted();
        assertThat(second).isNotDone();
        assertThat(third).isNotDone();
        assertThat(scheduler.delays()).containsExactly(SECOND, 2 * SECOND);
        assertThat(b.snapshot().dimension(BudgetDimension.RPM).waiting()).isEqualTo(2);
        scheduler.runAll();
        assertThat(second.join().waitNanos()).isEqualTo(SECOND);
        assertThat(third.join().waitNanos()).isEqualTo(2 * SECOND);
        assertThat(events).containsExactly("grant p:openai rpm 0", "grant p:openai rpm " + SECOND,
                "grant p:openai rpm " + 2 * SECOND);
    }

    @Test
    void anAcquisitionThatCannotBeGrantedBeforeTheDeadlineFailsAtOnce() {
        LocalRateBudget b = budget(RateLimits.rpm(60));
        long deadline = now.get() + 1_500_000_000L;
        b.acquire(BudgetCost.of(0, 0), deadline);
        b.acquire(BudgetCost.of(0, 0), deadline);
        CompletableFuture<BudgetGrant> third = b.acquire(BudgetCost.of(0, 0), deadline).toCompletableFuture();

        assertThat(third).isCompletedExceptionally();
        assertThatThrownBy(third::join).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(BudgetTimeoutException.class)
                .hasMessageContaining("waiting for rate budget (p:openai rpm)");
        assertThat(events).contains("reject p:openai rpm deadline");
    }

    @Test
    void theDeadlineOfAWaitingGrantDoesNotCarryOverToTheNextAcquisition() {
        // Only a waiting grant gives the limiter a timeout, and it is reset to zero afterwards (docs/performance.md,
        // rate budgets): a later acquisition with a nearer deadline must still be refused rather than queued.
        LocalRateBudget b = budget(RateLimits.rpm(60));
        b.acquire(BudgetCost.of(0, 0), now.get() + 10 * SECOND);
        CompletableFuture<BudgetGrant> waiting = b.acquire(BudgetCost.of(0, 0), now.get() + 10 * SECOND)
                .toCompletableFuture();
        CompletableFuture<BudgetGrant> near = b.acquire(BudgetCost.of(0, 0), now.get() + 1_500_000_000L)
                .toCompletableFuture();

        assertThat(waiting).isNotDone();
        assertThat(near).isCompletedExceptionally();
        assertThat(scheduler.delays()).containsExactly(SECOND);
        assertThat(events).containsExactly("grant p:openai rpm 0", "reject p:openai rpm deadline");
    }

    @Test
    void refundsBecomeCreditUsableOnlyInTheirCycle() {
        LocalRateBudget b = budget(new RateLimits(0, 600, 0, 0));
        BudgetGrant g = b.acquire(tokens(500), now.get() + SECOND).toCompletableFuture().join();
        g.settleSuccess(LlmUsage.of(50, 50, 100));

        CompletableFuture<BudgetGrant> next = b.acquire(tokens(450), now.get() + SECOND).toCompletableFuture();
        assertThat(next).isCompleted();
        assertThat(remaining(b, BudgetDimension.TPM)).isEqualTo(50);

        LocalRateBudget other = budget(new RateLimits(0, 600, 0, 0));
        other.acquire(tokens(500), now.get() + SECOND).toCompletableFuture().join()
                .settleSuccess(LlmUsage.of(50, 50, 100));
        assertThat(remaining(other, BudgetDimension.TPM)).isEqualTo(100 + 400);
        now.addAndGet(60 * SECOND);
        // The limiter refilled to its capacity; the credit of the previous cycle is gone.
        assertThat(remaining(other, BudgetDimension.TPM)).isEqualTo(600);
    }

    @Test
    void aGrantedDimensionBecomesCreditWhenALaterOneCannotBeGranted() {
        LocalRateBudget b = budget(new RateLimits(60, 600, 0, 0));
        CompletableFuture<BudgetGrant> big = b.acquire(tokens(700), now.get() + 5 * SECOND).toCompletableFuture();

        assertThatThrownBy(big::join).cause().isInstanceOf(BudgetTimeoutException.class)
                .hasMessageContaining("waiting for rate budget (p:openai tpm)");
        // The request permit taken before tpm failed is credit of this cycle: a small call still fits now.
        Optional<BudgetGrant> small = b.tryAcquire(tokens(10));
        assertThat(small).isPresent();
        assertThat(b.tryAcquire(tokens(10))).isEmpty();
    }

    @Test
    void successCorrectsTokensToTheUsage() {
        LocalRateBudget b = budget(new RateLimits(600, 1000, 0, 0));
        BudgetGrant g = b.tryAcquire(new BudgetCost(1, 11, 256)).orElseThrow();
        assertThat(remaining(b, BudgetDimension.TPM)).isEqualTo(1000 - 267);
        g.settleSuccess(LlmUsage.of(100, 50, 150));
        assertThat(remaining(b, BudgetDimension.TPM)).isEqualTo(1000 - 150);
        assertThat(remaining(b, BudgetDimension.RPM)).isEqualTo(9);
    }

    @Test
    void aLargerUsageGoesIntoDebtWithoutWaitingAndLaterAcquisitionsWait() {
        LocalRateBudget b = budget(new RateLimits(0, 300, 0, 0));
        BudgetGrant g = b.tryAcquire(new BudgetCost(1, 11, 256)).orElseThrow();
        g.settleSuccess(LlmUsage.of(300, 100, 400));
        assertThat(remaining(b, BudgetDimension.TPM)).isEqualTo(300 - 400);
        CompletableFuture<BudgetGrant> later = b.acquire(new BudgetCost(1, 11, 256), now.get() + 600 * SECOND)
                .toCompletableFuture();
        assertThat(later).isNotDone();
        assertThat(scheduler.delays()).hasSize(1).allSatisfy(d -> assertThat(d).isPositive());
    }

    @Test
    void zeroUsageLeavesTheEstimate() {
        LocalRateBudget b = budget(new RateLimits(0, 1000, 0, 0));
        b.tryAcquire(new BudgetCost(1, 11, 256)).orElseThrow().settleSuccess(LlmUsage.ZERO);
        assertThat(remaining(b, BudgetDimension.TPM)).isEqualTo(1000 - 267);
    }

    @Test
    void aProviderStatusKeepsTheRequestAndRefundsTokens() {
        LocalRateBudget b = budget(new RateLimits(600, 1000, 0, 0));
        b.tryAcquire(new BudgetCost(1, 11, 256)).orElseThrow().settleFailure(true);
        assertThat(remaining(b, BudgetDimension.RPM)).isEqualTo(9);
        assertThat(remaining(b, BudgetDimension.TPM)).isEqualTo(1000);
    }

    @Test
    void noStatusKeepsBoth() {
        LocalRateBudget b = budget(new RateLimits(600, 1000, 0, 0));
        b.tryAcquire(new BudgetCost(1, 11, 256)).orElseThrow().settleFailure(false);
        assertThat(remaining(b, BudgetDimension.RPM)).isEqualTo(9);
        assertThat(remaining(b, BudgetDimension.TPM)).isEqualTo(1000 - 267);
    }

    @Test
    void notDispatchedRefundsBothAndASecondSettleChangesNothing() {
        LocalRateBudget b = budget(new RateLimits(600, 1000, 0, 0));
        BudgetGrant g = b.tryAcquire(new BudgetCost(1, 11, 256)).orElseThrow();
        g.release();
        assertThat(remaining(b, BudgetDimension.RPM)).isEqualTo(10);
        assertThat(remaining(b, BudgetDimension.TPM)).isEqualTo(1000);
        g.settleSuccess(LlmUsage.of(900, 0, 900));
        g.settleFailure(false);
        g.release();
        assertThat(remaining(b, BudgetDimension.RPM)).isEqualTo(10);
        assertThat(remaining(b, BudgetDimension.TPM)).isEqualTo(1000);
    }

    @Test
    void aCancelledWaitGivesItsPermitsBackForTheCycleTheyWereReservedIn() {
        LocalRateBudget b = budget(RateLimits.rpm(60));
        b.tryAcquire(BudgetCost.of(0, 0)).orElseThrow();
        CompletableFuture<BudgetGrant> waiting = b.acquire(BudgetCost.of(0, 0), now.get() + 10 * SECOND)
                .toCompletableFuture();
        waiting.cancel(false);
        assertThat(b.snapshot().dimension(BudgetDimension.RPM).waiting()).isZero();
        now.addAndGet(SECOND);
        assertThat(remaining(b, BudgetDimension.RPM)).isEqualTo(1);
    }

    @Test
    void closeFailsWaitingAndLaterAcquisitions() {
        LocalRateBudget b = budget(RateLimits.rpm(60));
        b.tryAcquire(BudgetCost.of(0, 0)).orElseThrow();
        CompletableFuture<BudgetGrant> waiting = b.acquire(BudgetCost.of(0, 0), now.get() + 10 * SECOND)
                .toCompletableFuture();
        b.close();
        assertThatThrownBy(waiting::join).cause().isInstanceOf(RateBudgetClosedException.class);
        assertThatThrownBy(() -> b.acquire(BudgetCost.of(0, 0), now.get() + SECOND).toCompletableFuture().join())
                .cause().isInstanceOf(RateBudgetClosedException.class);
        assertThat(events).contains("reject p:openai rpm closed");
    }

    @Test
    void theSmallestReportWithinTheWindowIsLearnedAndNeverRaisesAboveTheConfiguration() {
        LocalRateBudget b = budget(RateLimits.rpm(600));
        b.observe(new RateLimitObservation(500, 0, 0, 0));
        assertThat(b.snapshot().dimension(BudgetDimension.RPM).effective()).isEqualTo(500);
        assertThat(b.snapshot().dimension(BudgetDimension.RPM).learned()).isEqualTo(500);
        b.observe(new RateLimitObservation(10_000, 0, 0, 0));
        assertThat(b.snapshot().dimension(BudgetDimension.RPM).effective()).isEqualTo(500);
        now.addAndGet(Duration.ofMinutes(10).toNanos());
        assertThat(b.snapshot().dimension(BudgetDimension.RPM).effective()).isEqualTo(600);
        assertThat(b.snapshot().dimension(BudgetDimension.RPM).learned()).isNull();
        b.observe(new RateLimitObservation(700, 0, 0, 0));
        assertThat(b.snapshot().dimension(BudgetDimension.RPM).effective()).isEqualTo(600);
    }

    @Test
    void anEqualReportRenewsTheLearnedLimit() {
        LocalRateBudget b = budget(RateLimits.rpm(600));
        b.observe(new RateLimitObservation(500, 0, 0, 0));
        now.addAndGet(Duration.ofMinutes(6).toNanos());
        b.observe(new RateLimitObservation(500, 0, 0, 0));
        now.addAndGet(Duration.ofMinutes(6).toNanos());
        assertThat(b.snapshot().dimension(BudgetDimension.RPM).effective()).isEqualTo(500);
    }

    @Test
    void aLearnedLimitSetsTheLimitForPeriod() {
        LocalRateBudget b = budget(RateLimits.rpm(6000));
        assertThat(b.snapshot().dimension(BudgetDimension.RPM).capacity()).isEqualTo(100);
        b.observe(new RateLimitObservation(3000, 0, 0, 0));
        // floor(effective × period / 1 min) = floor(3000 × 1 s / 60 s)
        assertThat(b.snapshot().dimension(BudgetDimension.RPM).capacity()).isEqualTo(50);
    }

    @Test
    void learningOffKeepsTheConfiguration() {
        LocalRateBudget b = new LocalRateBudget(BudgetScope.provider("openai"),
                new BudgetLimits(RateLimits.rpm(600), BudgetLimits.DEFAULT_REQUEST_BURST,
                        BudgetLimits.DEFAULT_TOKEN_BURST, false, BudgetLimits.DEFAULT_LEARN_WINDOW),
                env, BudgetMode.LOCAL);
        b.observe(new RateLimitObservation(500, 0, 0, 0));
        assertThat(b.snapshot().dimension(BudgetDimension.RPM).effective()).isEqualTo(600);
    }
}
