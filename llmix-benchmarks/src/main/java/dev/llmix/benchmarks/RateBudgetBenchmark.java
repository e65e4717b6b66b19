package dev.llmix.benchmarks;

import dev.llmix.budget.BudgetCost;
import dev.llmix.budget.BudgetEnvironment;
import dev.llmix.budget.BudgetGrant;
import dev.llmix.budget.BudgetLimits;
import dev.llmix.budget.BudgetListener;
import dev.llmix.budget.BudgetMode;
import dev.llmix.budget.BudgetScope;
import dev.llmix.budget.RateLimits;
import dev.llmix.internal.budget.LocalRateBudget;
import dev.llmix.internal.budget.LocalRateBudgetFactory;
import dev.llmix.spi.LlmUsage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * LOCAL rate budget (docs/rate-limits.md), one thread, limits never exhausted: {@code localAcquire} is one
 * {@code acquire} (granted at once) plus its settle on an rpm budget; {@code localAcquireRpmTpm} the same on an
 * rpm + tpm budget whose tokens are refunded (so the next acquisition spends credit).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
public class RateBudgetBenchmark {

    private static final BudgetCost COST = new BudgetCost(1, 11, 256);
    private static final LlmUsage USAGE = LlmUsage.of(11, 256, 267);

    /** Budgets far above what one thread can use within a refresh period. */
    @State(Scope.Benchmark)
    public static class Budgets {
        final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        final BudgetEnvironment env = new BudgetEnvironment(scheduler, Runnable::run, System::nanoTime,
                BudgetListener.NOOP, LocalRateBudgetFactory.INSTANCE);
        final LocalRateBudget rpm = new LocalRateBudget(BudgetScope.provider("openai"),
                BudgetLimits.of(RateLimits.rpm(600_000_000L)), env, BudgetMode.LOCAL);
        final LocalRateBudget rpmTpm = new LocalRateBudget(BudgetScope.provider("openai"),
                BudgetLimits.of(new RateLimits(600_000_000L, 2_000_000_000L, 0, 0)), env, BudgetMode.LOCAL);

        @TearDown
        public void close() {
            rpm.close();
            rpmTpm.close();
            scheduler.shutdownNow();
        }
    }

    @Benchmark
    public BudgetGrant localAcquire(Budgets s) {
        BudgetGrant g = s.rpm.acquire(COST, System.nanoTime() + 1_000_000_000L).toCompletableFuture().join();
        g.settleSuccess(USAGE);
        return g;
    }

    @Benchmark
    public BudgetGrant localAcquireRpmTpm(Budgets s) {
        BudgetGrant g = s.rpmTpm.acquire(COST, System.nanoTime() + 1_000_000_000L).toCompletableFuture().join();
        g.settleFailure(true);
        return g;
    }
}
