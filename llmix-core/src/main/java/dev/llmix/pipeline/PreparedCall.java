package dev.llmix.pipeline;

import dev.llmix.budget.BudgetCost;
import dev.llmix.config.LlmConfig;
import dev.llmix.tools.ToolSet;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * One call as prepared on the caller's thread (steps 0–4), when it is not answered at once (closed pipeline, cache
 * hit): what the execution needs: config, messages, effective base URL, cache and singleflight keys, and the deadline.
 */
final class PreparedCall {

    final LlmConfig config;
    final List<?> messages;
    final String baseUrl;
    final @Nullable String cacheKey;
    final String flightKey;
    final long deadlineNanos;
    final String timeoutText;
    /** The listener link of this caller, or {@code null} without a listener. */
    final @Nullable CallProbe probe;
    /**
     * The provider kwargs, built once per call (when the base URL was resolved, or by the first attempt) and reused
     * by every retry; attempts of one call run one after another, so a plain field suffices.
     */
    @Nullable Map<String, @Nullable Object> kwargs;
    /** The tools of the call (kwargs {@code tools}, {@code tool_choice}, {@code parallel_tool_calls}), or null. */
    final @Nullable ToolSet tools;
    /** What each attempt takes from the rate budgets (docs/rate-limits.md); zero when the provider has none. */
    BudgetCost budgetCost = BudgetCost.ZERO;
    /**
     * The thread blocked in {@code CallPipeline.call} on this call while it waits, else null: the first attempt may
     * then run its exchange on that thread (docs/performance.md, "Spring AI bridge").
     */
    volatile @Nullable Thread waitingCaller;
    /** Whether a fresh raw answer may be cached, or null for always. */
    final @Nullable Predicate<String> cacheable;

    PreparedCall(LlmConfig config, List<?> messages, String baseUrl, @Nullable String cacheKey, String flightKey,
            long deadlineNanos, String timeoutText, @Nullable CallProbe probe) {
        this(config, messages, baseUrl, cacheKey, flightKey, deadlineNanos, timeoutText, probe, null, null);
    }

    PreparedCall(LlmConfig config, List<?> messages, String baseUrl, @Nullable String cacheKey, String flightKey,
            long deadlineNanos, String timeoutText, @Nullable CallProbe probe, @Nullable ToolSet tools,
            @Nullable Predicate<String> cacheable) {
        this.config = config;
        this.messages = messages;
        this.baseUrl = baseUrl;
        this.cacheKey = cacheKey;
        this.flightKey = flightKey;
        this.deadlineNanos = deadlineNanos;
        this.timeoutText = timeoutText;
        this.probe = probe;
        this.tools = tools;
        this.cacheable = cacheable;
    }
}
