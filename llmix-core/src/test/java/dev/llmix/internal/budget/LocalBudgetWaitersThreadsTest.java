package dev.llmix.internal.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.budget.BudgetCost;
import dev.llmix.budget.BudgetEnvironment;
import dev.llmix.budget.BudgetGrant;
import dev.llmix.budget.BudgetLimits;
import dev.llmix.budget.BudgetListener;
import dev.llmix.budget.BudgetScope;
import dev.llmix.budget.RateBudget;
import dev.llmix.budget.RateLimits;
import dev.llmix.internal.DaemonThreads;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.Test;

/** Waiting for a LOCAL budget holds no thread (docs/rate-limits.md): 5 000 waiting calls, a couple of threads. */
class LocalBudgetWaitersThreadsTest {

    @Test
    void fiveThousandCallsWaitingOnALocalRpmBudgetChangeTheThreadCountByAtMostTwo() {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("t-sched"));
        ExecutorService executor = Executors.newFixedThreadPool(2, DaemonThreads.named("t-exec"));
        BudgetEnvironment env = new BudgetEnvironment(scheduler, executor, System::nanoTime, BudgetListener.NOOP,
                LocalRateBudgetFactory.INSTANCE);
        RateBudget budget = LocalRateBudgetFactory.INSTANCE.create(BudgetScope.provider("openai"),
                BudgetLimits.of(RateLimits.rpm(60)), env);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try {
            // Warm the pools up: their threads exist before the measurement starts.
            scheduler.prestartAllCoreThreads();
            for (int i = 0; i < 2; i++) {
                executor.execute(() -> { });
            }
            int before = threads.getThreadCount();
            threads.resetPeakThreadCount();

            long deadline = System.nanoTime() + Duration.ofHours(3).toNanos();
            List<CompletableFuture<BudgetGrant>> waiting = new ArrayList<>();
            for (int i = 0; i < 5_000; i++) {
                waiting.add(budget.acquire(BudgetCost.of(1, 1), deadline).toCompletableFuture());
            }

            long pending = waiting.stream().filter(f -> !f.isDone()).count();
            assertThat(pending).as("calls still waiting (rpm 60: one a second)").isGreaterThanOrEqualTo(4_990);
            assertThat(threads.getPeakThreadCount() - before).as("threads added while 5 000 calls wait")
                    .isLessThanOrEqualTo(2);
        } finally {
            budget.close();
            scheduler.shutdownNow();
            executor.shutdownNow();
        }
    }
}
