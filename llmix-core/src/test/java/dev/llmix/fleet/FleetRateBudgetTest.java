package dev.llmix.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.budget.BudgetCost;
import dev.llmix.budget.BudgetDimension;
import dev.llmix.budget.BudgetGrant;
import dev.llmix.budget.BudgetScope;
import dev.llmix.budget.BudgetMode;
import dev.llmix.budget.BudgetTimeoutException;
import dev.llmix.budget.RateBudget;
import dev.llmix.budget.RateBudgetFactory;
import dev.llmix.budget.RateLimits;
import dev.llmix.internal.budget.LocalRateBudgetFactory;
import dev.llmix.spi.LlmUsage;
import dev.llmix.testsupport.RealRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * FLEET budgets with two or three coordinators in one JVM on one real Redis (docs/fleet-budgets.md): the shared key,
 * round trips per call counted by Redis itself, the aggregate rate, deadlines, and the idle return.
 */
class FleetRateBudgetTest {

    @RegisterExtension
    static final RealRedis REDIS = RealRedis.create();

    private static final BudgetScope OPENAI = BudgetScope.provider("openai");
    /** These tests never degrade: a LOCAL fallback would be a bug. */
    private static final RateBudgetFactory NO_LOCAL = (scope, limits, env) -> {
        throw new AssertionError("no DEGRADED fallback expected");
    };
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @BeforeEach
    void emptyRedis() {
        REDIS.flushAll();
    }

    private static long deadline(Duration d) {
        return System.nanoTime() + d.toNanos();
    }

    @Test
    void budgetKeyExistsAfterFirstUseExpiresOnceFullAndHoldsNoKeyOrUrl() throws Exception {
        try (FleetBudgetHarness a = new FleetBudgetHarness(REDIS, "a");
                FleetBudgetHarness b = new FleetBudgetHarness(REDIS, "b")) {
            FleetRateBudget ba = a.budget(OPENAI, RateLimits.rpm(120), FleetBudgetSettings.DEFAULTS, NO_LOCAL);
            FleetRateBudget bb = b.budget(OPENAI, RateLimits.rpm(120), FleetBudgetSettings.DEFAULTS, NO_LOCAL);

            ba.acquire(BudgetCost.of(10, 10), deadline(Duration.ofSeconds(5))).toCompletableFuture().get();
            bb.acquire(BudgetCost.of(10, 10), deadline(Duration.ofSeconds(5))).toCompletableFuture().get();

            assertThat(REDIS.command("KEYS", "*")).asString().isEqualTo("[llmix:fleet:budget:{p:openai}:rpm]");
            long pttl = Long.parseLong(String.valueOf(REDIS.command("PTTL", "llmix:fleet:budget:{p:openai}:rpm")));
            // capacity 2 refilled at 2/s: full again within 1 s, so the key lives at most 1 s + 60 s.
            assertThat(pttl).isPositive().isLessThanOrEqualTo(61_000);
            String state = String.valueOf(REDIS.command("GET", "llmix:fleet:budget:{p:openai}:rpm"));
            assertThat(state).doesNotContain("sk-").doesNotContain("http");
        }
    }

    @Test
    void twentyCallsPerSecondOnTwoCoordinatorsForTwentySecondsCostAtMostEightHundredBudgetCommands()
            throws Exception {
        try (FleetBudgetHarness a = new FleetBudgetHarness(REDIS, "a");
                FleetBudgetHarness b = new FleetBudgetHarness(REDIS, "b")) {
            RateLimits limits = RateLimits.of(6000, 1_000_000);
            FleetRateBudget ba = a.budget(OPENAI, limits, FleetBudgetSettings.DEFAULTS, NO_LOCAL);
            FleetRateBudget bb = b.budget(OPENAI, limits, FleetBudgetSettings.DEFAULTS, NO_LOCAL);
            REDIS.command("CONFIG", "RESETSTAT");

            int calls = paced(List.of(ba, bb), 20, Duration.ofSeconds(20));

            Map<String, Long> stats = FleetBudgetHarness.commandStats(REDIS);
            long commands = FleetBudgetHarness.roundTrips(stats);
            System.out.printf("FLEET 2 x 20 calls/s x 20 s: %d calls, %d round trips (%s), top-ups rpm %d+%d,"
                    + " tpm %d+%d%n", calls, commands, stats, ba.topUps(BudgetDimension.RPM),
                    bb.topUps(BudgetDimension.RPM), ba.topUps(BudgetDimension.TPM), bb.topUps(BudgetDimension.TPM));
            assertThat(calls).isEqualTo(800);
            assertThat(commands).as("Redis round trips on budget keys for %d calls", calls).isLessThanOrEqualTo(800);
        }
    }

    @Test
    void atEightCallsPerSecondAnInstanceMakesAtMostOneRedisRoundTripPerCallOnAverage() throws Exception {
        try (FleetBudgetHarness a = new FleetBudgetHarness(REDIS, "a")) {
            FleetRateBudget budget = a.budget(OPENAI, RateLimits.of(600, 90_000), FleetBudgetSettings.DEFAULTS,
                    NO_LOCAL);
            // The grant-rate average (half-life 5 s) first has to learn the pace.
            paced(List.of(budget), 8, Duration.ofSeconds(10));
            REDIS.command("CONFIG", "RESETSTAT");

            int calls = paced(List.of(budget), 8, Duration.ofSeconds(20));

            Map<String, Long> stats = FleetBudgetHarness.commandStats(REDIS);
            long roundTrips = FleetBudgetHarness.roundTrips(stats);
            System.out.printf("FLEET 8 calls/s x 20 s (rpm + tpm): %d calls, %d round trips (%s)%n", calls,
                    roundTrips, stats);
            assertThat(roundTrips).as("Redis round trips for %d calls", calls).isLessThanOrEqualTo(calls);
        }
    }

    @Test
    void aSlowCallerMakesAtMostOneTopUpPerCallAndDimension() throws Exception {
        try (FleetBudgetHarness a = new FleetBudgetHarness(REDIS, "a")) {
            FleetRateBudget budget = a.budget(OPENAI, RateLimits.of(6000, 1_000_000), FleetBudgetSettings.DEFAULTS,
                    NO_LOCAL);

            int calls = paced(List.of(budget), 0.5, Duration.ofSeconds(8));

            assertThat(calls).isEqualTo(4);
            assertThat(budget.topUps(BudgetDimension.RPM)).isLessThanOrEqualTo(calls);
            assertThat(budget.topUps(BudgetDimension.TPM)).isLessThanOrEqualTo(calls);
        }
    }

    @Test
    void anIdleAllowanceGoesBackToTheSharedBucketWithinIdleReturnPlusOneSecond() throws Exception {
        try (FleetBudgetHarness a = new FleetBudgetHarness(REDIS, "a")) {
            FleetRateBudget budget = a.budget(OPENAI, RateLimits.rpm(6000), FleetBudgetSettings.DEFAULTS, NO_LOCAL);
            paced(List.of(budget), 20, Duration.ofSeconds(3));
            // Refund of a call never dispatched: the allowance grows without Redis.
            budget.acquire(BudgetCost.of(1, 1), deadline(Duration.ofSeconds(5))).toCompletableFuture().get()
                    .release();
            assertThat(budget.allowance(BudgetDimension.RPM)).as("allowance right after the burst").isPositive();

            Thread.sleep(FleetBudgetSettings.DEFAULTS.idleReturn().toMillis() + 1000);

            assertThat(budget.allowance(BudgetDimension.RPM)).as("allowance after the idle return").isZero();
        }
    }

    @Test
    void anAcquisitionThatCannotBeSuppliedBeforeItsDeadlineFailsAtOnce() throws Exception {
        try (FleetBudgetHarness a = new FleetBudgetHarness(REDIS, "a")) {
            FleetRateBudget budget = a.budget(OPENAI, RateLimits.rpm(60), FleetBudgetSettings.DEFAULTS, NO_LOCAL);
            // Reserve the shared bucket 10 s ahead (capacity 1 + 10 refills at 1/s), as a busy fleet would.
            SharedBucket shared = a.buckets.bucket(OPENAI, BudgetDimension.RPM, 1, 60, 1);
            assertThat(shared.reserve(11, TimeUnit.SECONDS.toNanos(30)).orTimeout(5, TimeUnit.SECONDS)
                    .handle((ok, e) -> "reserved").get()).isEqualTo("reserved");

            long start = System.nanoTime();
            long deadline = start + 2 * SECOND;
            CompletableFuture<BudgetGrant> grant = budget.acquire(BudgetCost.of(1, 1), deadline)
                    .toCompletableFuture();
            Throwable failure = null;
            try {
                grant.get(10, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                failure = e.getCause();
            }
            long failedAfter = System.nanoTime() - start;

            assertThat(failure).isInstanceOf(BudgetTimeoutException.class)
                    .hasMessageContaining("waiting for rate budget (p:openai rpm)");
            assertThat(failedAfter).as("failed well before its 2 s deadline").isLessThan(deadline - start - SECOND);
        }
    }

    @Test
    void twoCoordinatorsAtOneHundredTwentyRpmShareTheBucketFairlyAndNeverOvershoot() throws Exception {
        try (FleetBudgetHarness a = new FleetBudgetHarness(REDIS, "a");
                FleetBudgetHarness b = new FleetBudgetHarness(REDIS, "b")) {
            FleetRateBudget ba = a.budget(OPENAI, RateLimits.rpm(120), FleetBudgetSettings.DEFAULTS, NO_LOCAL);
            FleetRateBudget bb = b.budget(OPENAI, RateLimits.rpm(120), FleetBudgetSettings.DEFAULTS, NO_LOCAL);
            List<Long> grantTimes = Collections.synchronizedList(new ArrayList<>());
            List<CompletableFuture<?>> all = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                for (FleetRateBudget budget : List.of(ba, bb)) {
                    all.add(budget.acquire(BudgetCost.of(1, 1), start + 30 * SECOND).toCompletableFuture()
                            .thenAccept(g -> grantTimes.add(System.nanoTime() - start)));
                }
            }
            CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).get(40, TimeUnit.SECONDS);

            List<Long> sorted = new ArrayList<>(grantTimes);
            Collections.sort(sorted);
            assertThat(sorted).hasSize(40);
            for (int k = 1; k <= sorted.size(); k++) {
                double t = sorted.get(k - 1) / (double) SECOND;
                // capacity 2 at once, then 2 a second: the k-th grant cannot come before (k - 3) / 2 s.
                assertThat((double) k).as("grant %d at %.3f s", k, t).isLessThanOrEqualTo(3 + 2 * t + 0.05);
            }
            assertThat(sorted.get(39)).as("all 40 granted within 20 s").isLessThanOrEqualTo(20 * SECOND);
        }
    }

    @Test
    void whenRedisIsKilledTheWaitersGoToALocalFallbackWithTheLimitDividedByTheMembers() throws Exception {
        try (FleetBudgetHarness a = new FleetBudgetHarness(REDIS, "a")) {
            a.divisor.set(4);
            FleetRateBudget budget = a.budget(OPENAI, RateLimits.rpm(600), FleetBudgetSettings.DEFAULTS,
                    LocalRateBudgetFactory.INSTANCE);
            budget.acquire(BudgetCost.of(1, 1), deadline(Duration.ofSeconds(5))).toCompletableFuture().get();
            // Spend the allowance so that the next acquisition needs a top-up.
            while (budget.tryAcquire(BudgetCost.of(1, 1)).isPresent()) {
                // keep taking
            }
            REDIS.kill();
            try {
                BudgetGrant grant = budget.acquire(BudgetCost.of(1, 1), deadline(Duration.ofSeconds(10)))
                        .toCompletableFuture().get(10, TimeUnit.SECONDS);

                assertThat(grant).isNotNull();
                assertThat(budget.mode()).isEqualTo(BudgetMode.DEGRADED);
                assertThat(a.failures).as("Redis failures reported to the runtime").isNotEmpty();
                RateBudget fallback = budget.currentFallback();
                assertThat(fallback).isNotNull();
                assertThat(fallback.mode()).isEqualTo(BudgetMode.LOCAL);
                assertThat(fallback.snapshot().dimension(BudgetDimension.RPM).configured())
                        .as("600 rpm over 4 members").isEqualTo(150);
            } finally {
                REDIS.restart();
            }
        }
    }

    @Test
    void theDegradedDivisorFollowsTheConfiguredInstancesAndIsOneWhenNeverConnected() throws Exception {
        try (FleetBudgetHarness a = new FleetBudgetHarness(REDIS, "a")) {
            FleetRateBudget budget = a.budget(OPENAI, RateLimits.rpm(600), FleetBudgetSettings.DEFAULTS,
                    LocalRateBudgetFactory.INSTANCE);
            a.healthy.set(false);

            a.divisor.set(2);
            budget.acquire(BudgetCost.of(1, 1), deadline(Duration.ofSeconds(5))).toCompletableFuture().get();
            assertThat(budget.currentFallback().snapshot().dimension(BudgetDimension.RPM).configured())
                    .isEqualTo(300);

            a.divisor.set(1);
            budget.acquire(BudgetCost.of(1, 1), deadline(Duration.ofSeconds(5))).toCompletableFuture().get();
            assertThat(budget.currentFallback().snapshot().dimension(BudgetDimension.RPM).configured())
                    .isEqualTo(600);
        }
    }

    /**
     * Acquires and settles at {@code perSecond} on each budget for {@code duration}, each call settled as a success
     * with its estimate as usage; returns the number of calls.
     */
    private static int paced(List<FleetRateBudget> budgets, double perSecond, Duration duration) throws Exception {
        long interval = (long) (SECOND / perSecond);
        long start = System.nanoTime();
        int n = (int) Math.round(duration.toNanos() / (double) interval);
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            for (FleetRateBudget budget : budgets) {
                all.add(budget.acquire(BudgetCost.of(100, 200), System.nanoTime() + 10 * SECOND)
                        .toCompletableFuture()
                        .thenAccept(g -> g.settleSuccess(LlmUsage.of(100, 200, 300))));
            }
        }
        CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
        return n * budgets.size();
    }
}
