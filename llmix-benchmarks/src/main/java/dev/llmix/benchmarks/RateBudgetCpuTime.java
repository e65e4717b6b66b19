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
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * {@code RateBudgetBenchmark.localAcquire} and {@code localAcquireRpmTpm} measured in <em>thread CPU time</em> and
 * allocated bytes per operation, so that a figure taken on a shared, loaded machine still says what the work costs
 * (time slices lost to other processes are not counted). Prints the median of the rounds. Run
 * {@code java -cp llmix-benchmarks/target/benchmarks.jar dev.llmix.benchmarks.RateBudgetCpuTime [rounds]}.
 */
public final class RateBudgetCpuTime {

    private static final int OPS = 2_000_000;
    private static final BudgetCost COST = new BudgetCost(1, 11, 256);
    private static final LlmUsage USAGE = LlmUsage.of(11, 256, 267);

    private RateBudgetCpuTime() {
    }

    /** Warms up, then measures {@code args[0]} (default 15) rounds of 2 million acquisitions per budget. */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        BudgetEnvironment env = new BudgetEnvironment(scheduler, Runnable::run, System::nanoTime,
                BudgetListener.NOOP, LocalRateBudgetFactory.INSTANCE);
        LocalRateBudget rpm = new LocalRateBudget(BudgetScope.provider("openai"),
                BudgetLimits.of(RateLimits.rpm(600_000_000L)), env, BudgetMode.LOCAL);
        LocalRateBudget rpmTpm = new LocalRateBudget(BudgetScope.provider("openai"),
                BudgetLimits.of(new RateLimits(600_000_000L, 2_000_000_000L, 0, 0)), env, BudgetMode.LOCAL);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.ThreadMXBean alloc = (com.sun.management.ThreadMXBean) threads;
        long tid = Thread.currentThread().getId();
        for (int w = 0; w < 5; w++) {
            run(rpm, false);
            run(rpmTpm, true);
        }
        double[][] ns = new double[2][rounds];
        double[][] bytes = new double[2][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int b = 0; b < 2; b++) {
                long cpu0 = threads.getCurrentThreadCpuTime();
                long a0 = alloc.getThreadAllocatedBytes(tid);
                run(b == 0 ? rpm : rpmTpm, b == 1);
                ns[b][r] = (threads.getCurrentThreadCpuTime() - cpu0) / (double) OPS;
                bytes[b][r] = (alloc.getThreadAllocatedBytes(tid) - a0) / (double) OPS;
            }
        }
        for (int b = 0; b < 2; b++) {
            Arrays.sort(ns[b]);
            Arrays.sort(bytes[b]);
            System.out.printf("%s: cpu %.1f ns/op (min %.1f, max %.1f), %.0f B/op; load %.1f%n",
                    b == 0 ? "localAcquire" : "localAcquireRpmTpm", ns[b][rounds / 2], ns[b][0], ns[b][rounds - 1],
                    bytes[b][rounds / 2], ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
        rpm.close();
        rpmTpm.close();
        scheduler.shutdownNow();
    }

    private static long run(LocalRateBudget budget, boolean refundTokens) {
        long sink = 0;
        for (int i = 0; i < OPS; i++) {
            BudgetGrant g = budget.acquire(COST, System.nanoTime() + 1_000_000_000L).toCompletableFuture().join();
            if (refundTokens) {
                g.settleFailure(true);
            } else {
                g.settleSuccess(USAGE);
            }
            sink += g.waitNanos();
        }
        return sink;
    }
}
