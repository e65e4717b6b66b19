package dev.llmix.spring.metrics;

import dev.llmix.budget.BudgetDimension;
import dev.llmix.budget.BudgetListener;
import dev.llmix.budget.RateBudget;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Rate-budget meters (docs/rate-limits.md): {@code llmix.budget.wait}, one timer sample per grant (0 when immediate),
 * and the {@code llmix.budget.rejected} counter with {@code reason} {@code deadline} or {@code closed}; tags
 * {@code budget} (scope id: fingerprints, never keys), {@code scope}, {@code dimension}, {@code mode}.
 */
public final class LlmixBudgetMetrics implements BudgetListener {

    private final MeterRegistry registry;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public LlmixBudgetMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void onGrant(RateBudget budget, BudgetDimension dimension, long waitNanos) {
        String mode = budget.mode().name().toLowerCase(Locale.ROOT);
        String k = budget.id() + '\u0000' + dimension.id() + '\u0000' + mode;
        timers.computeIfAbsent(k, x -> Timer.builder("llmix.budget.wait")
                .description("Time an attempt waited for rate budget before its grant")
                .tag("budget", budget.id())
                .tag("scope", budget.scope().kind().tag())
                .tag("dimension", dimension.id())
                .tag("mode", mode)
                .register(registry)).record(waitNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void onReject(RateBudget budget, BudgetDimension dimension, String reason) {
        String mode = budget.mode().name().toLowerCase(Locale.ROOT);
        String k = budget.id() + '\u0000' + dimension.id() + '\u0000' + mode + '\u0000' + reason;
        counters.computeIfAbsent(k, x -> Counter.builder("llmix.budget.rejected")
                .description("Acquisitions a rate budget refused (deadline: not grantable in time; closed)")
                .tag("budget", budget.id())
                .tag("scope", budget.scope().kind().tag())
                .tag("dimension", dimension.id())
                .tag("mode", mode)
                .tag("reason", reason)
                .register(registry)).increment();
    }
}
