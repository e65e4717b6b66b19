package dev.llmix.pipeline;

import dev.llmix.budget.BudgetCost;
import dev.llmix.budget.BudgetDimension;
import dev.llmix.budget.BudgetGrant;
import dev.llmix.budget.BudgetScope;
import dev.llmix.budget.BudgetTimeoutException;
import dev.llmix.budget.RateBudget;
import dev.llmix.budget.RateBudgets;
import dev.llmix.budget.RateLimitObservation;
import dev.llmix.config.LlmConfig;
import dev.llmix.keys.KeyPool;
import dev.llmix.spi.LlmUsage;
import dev.llmix.spi.ProviderException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * The rate-budget grants of one attempt (docs/rate-limits.md): provider and model budgets taken before the AIMD
 * permit, the key budget during key selection, all settled once when the attempt's outcome is known, and the
 * provider's reported limits fed back to the most specific budget that has each dimension.
 */
final class AttemptBudgets {

    private final PipelineRuntime rt;
    private final String provider;
    private final BudgetCost cost;
    private final long deadlineNanos;
    private final String timeoutText;
    private final List<RateBudget> callBudgets;
    private final BudgetGrant[] callGrants;
    private int granted;
    private volatile @Nullable RateBudget keyBudget;
    private volatile @Nullable BudgetGrant keyGrant;
    private volatile @Nullable String heldKey;

    private volatile boolean cancelled;
    private volatile @Nullable CompletableFuture<BudgetGrant> inFlight;

    private AttemptBudgets(PipelineRuntime rt, String provider, BudgetCost cost, long deadlineNanos,
            String timeoutText, List<RateBudget> callBudgets) {
        this.rt = rt;
        this.provider = provider;
        this.cost = cost;
        this.deadlineNanos = deadlineNanos;
        this.timeoutText = timeoutText;
        this.callBudgets = callBudgets;
        this.callGrants = new BudgetGrant[callBudgets.size()];
    }

    /** The budgets of this attempt, or {@code null} when the provider has none (the common, zero-cost case). */
    static @Nullable AttemptBudgets of(PipelineRuntime rt, PreparedCall call) {
        return of(rt, call.config, call.budgetCost, call.deadlineNanos, call.timeoutText);
    }

    /** The budgets of an attempt of {@code cfg} (streams), or {@code null} when the provider has none. */
    static @Nullable AttemptBudgets of(PipelineRuntime rt, LlmConfig cfg, BudgetCost cost, long deadlineNanos,
            String timeoutText) {
        RateBudgets budgets = rt.config.rateBudgets();
        String provider = cfg.provider();
        if (!budgets.covers(provider)) {
            return null;
        }
        return new AttemptBudgets(rt, provider, cost, budgetDeadline(rt.nanoTime(), deadlineNanos), timeoutText,
                budgets.forCall(provider, cfg.model()));
    }

    /**
     * How long the attempt may wait for its budgets: all but the last {@value #DISPATCH_RESERVE_DIVISOR}th of the
     * time it has left. A saturated budget grants first in, first out, so without a reserve the grant goes to the
     * oldest waiter with next to no time left, its request times out before it reaches the provider, and the unit is
     * spent for nothing (docs/rate-limits.md, "Deadline").
     */
    static long budgetDeadline(long nowNanos, long deadlineNanos) {
        long remaining = deadlineNanos - nowNanos;
        return remaining <= 0 ? deadlineNanos : deadlineNanos - remaining / DISPATCH_RESERVE_DIVISOR;
    }

    /** The budget wait leaves {@code 1 / DISPATCH_RESERVE_DIVISOR} of the attempt's remaining time to the request. */
    static final int DISPATCH_RESERVE_DIVISOR = 10;

    /**
     * Withdraws a pending acquisition (stream cancelled while waiting) and gives back every unit taken so far; a
     * grant that still arrives is released at once.
     */
    void cancel() {
        cancelled = true;
        CompletableFuture<BudgetGrant> f = inFlight;
        if (f != null) {
            f.cancel(false);
        }
        release();
    }

    private CompletableFuture<BudgetGrant> track(CompletionStage<BudgetGrant> stage) {
        CompletableFuture<BudgetGrant> f = stage.toCompletableFuture();
        inFlight = f;
        if (cancelled) {
            f.cancel(false);
        }
        return f;
    }

    /** Step 1: provider then model budget, each bounded by the call's deadline; all or none. */
    CompletableFuture<Void> acquireCallBudgets() {
        return acquireFrom(0);
    }

    private CompletableFuture<Void> acquireFrom(int index) {
        if (index >= callBudgets.size()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<BudgetGrant> f = track(callBudgets.get(index).acquire(cost, deadlineNanos));
        return f.handle((grant, error) -> {
            if (error != null) {
                release();
                throw new CompletionException(translate(error));
            }
            synchronized (this) {
                callGrants[index] = grant;
                granted = index + 1;
            }
            if (cancelled) {
                release();
                throw new CancellationException("rate-budget wait cancelled");
            }
            return index + 1;
        }).thenCompose(this::acquireFrom);
    }

    boolean hasKeyBudgets() {
        return rt.config.rateBudgets().hasKeyBudgets(provider);
    }

    /**
     * Step 3 with key budgets, under the file lock: the key already waited for if it is still alive, else the first
     * live key from the cursor whose budget grants now (the cursor does not move); {@code null} when none does.
     */
    @Nullable String selectKey(KeyPool pool) {
        String held = heldKey;
        if (held != null) {
            if (pool.isAlive(held)) {
                return held;
            }
            // The key died while we waited for its budget: give the units back and choose again.
            dropKeyGrant();
        }
        return pool.selectMatching(key -> {
            RateBudget b = keyBudgetFor(key);
            if (b == null) {
                return true;
            }
            Optional<BudgetGrant> g = b.tryAcquire(cost);
            if (g.isEmpty()) {
                return false;
            }
            keyBudget = b;
            keyGrant = g.get();
            heldKey = key;
            return true;
        });
    }

    /** Waits (holding no permit and no lock) for {@code key}'s budget, then remembers the grant for that key. */
    CompletableFuture<Void> waitForKey(String key) {
        RateBudget b = keyBudgetFor(key);
        if (b == null) {
            return CompletableFuture.completedFuture(null);
        }
        return track(b.acquire(cost, deadlineNanos)).handle((grant, error) -> {
            if (error != null) {
                throw new CompletionException(translate(error));
            }
            synchronized (this) {
                keyBudget = b;
                keyGrant = grant;
                heldKey = key;
            }
            if (cancelled) {
                release();
                throw new CancellationException("rate-budget wait cancelled");
            }
            return null;
        });
    }

    private @Nullable RateBudget keyBudgetFor(String key) {
        String fp = rt.keyFingerprints.computeIfAbsent(key, BudgetScope::keyFingerprint);
        return rt.config.rateBudgets().forKey(provider, fp);
    }

    private void dropKeyGrant() {
        BudgetGrant g = keyGrant;
        if (g != null) {
            g.release();
        }
        keyGrant = null;
        keyBudget = null;
        heldKey = null;
    }

    /** The attempt was not dispatched: every unit goes back. Idempotent (grants settle once). */
    synchronized void release() {
        for (int i = 0; i < granted; i++) {
            callGrants[i].release();
        }
        BudgetGrant g = keyGrant;
        if (g != null) {
            g.release();
        }
    }

    /** A dispatched attempt ended without a status the settling can trust (stream failed or cancelled after it
     * opened): the provider may have processed it, so every estimate is kept. */
    synchronized void settleKept() {
        for (int i = 0; i < granted; i++) {
            callGrants[i].settleFailure(false);
        }
        BudgetGrant g = keyGrant;
        if (g != null) {
            g.settleFailure(false);
        }
    }

    /** Success: requests kept, tokens corrected to the usage; limits reported in the headers are learned. */
    synchronized void settleSuccess(LlmUsage usage, @Nullable Map<String, String> headers) {
        for (int i = 0; i < granted; i++) {
            callGrants[i].settleSuccess(usage);
        }
        BudgetGrant g = keyGrant;
        if (g != null) {
            g.settleSuccess(usage);
        }
        observe(headers);
    }

    /**
     * A dispatched attempt failed: with a status the provider answered (requests kept, tokens refunded), without one
     * it may have processed the request (both kept). Limits reported on the error are learned.
     */
    synchronized void settleFailure(Throwable failure) {
        Integer status = ErrorClassifier.statusOf(failure);
        boolean answered = status != null;
        for (int i = 0; i < granted; i++) {
            callGrants[i].settleFailure(answered);
        }
        BudgetGrant g = keyGrant;
        if (g != null) {
            g.settleFailure(answered);
        }
        if (failure instanceof ProviderException) {
            observe(((ProviderException) failure).headers());
        }
    }

    /** Each reported dimension goes to the most specific budget of this attempt that has it: key, model, provider. */
    void observe(@Nullable Map<String, String> headers) {
        if (headers == null || headers.isEmpty()) {
            return;
        }
        RateLimitObservation seen = RateLimitObservation.fromHeaders(headers);
        if (seen.isEmpty()) {
            return;
        }
        long[] left = {seen.rpm(), seen.tpm(), seen.itpm(), seen.otpm()};
        RateBudget kb = keyGrant != null ? keyBudget : null;
        if (kb != null) {
            route(kb, left);
        }
        for (int i = granted - 1; i >= 0; i--) {
            route(callBudgets.get(i), left);
        }
    }

    private static void route(RateBudget budget, long[] left) {
        long[] mine = new long[4];
        boolean any = false;
        BudgetDimension[] dims = BudgetDimension.values();
        for (int d = 0; d < 4; d++) {
            if (left[d] > 0 && budget.has(dims[d])) {
                mine[d] = left[d];
                left[d] = 0;
                any = true;
            }
        }
        if (any) {
            budget.observe(new RateLimitObservation(mine[0], mine[1], mine[2], mine[3]));
        }
    }

    /** A budget timeout becomes the pipeline's local {@link CallTimeoutException} with the documented message. */
    private Throwable translate(Throwable error) {
        Throwable e = ErrorClassifier.unwrap(error);
        if (e instanceof BudgetTimeoutException) {
            CallTimeoutException t = new CallTimeoutException("LLM call timed out after " + timeoutText
                    + " s (timeout.totalTime) " + e.getMessage());
            t.initCause(e);
            return t;
        }
        return e;
    }
}
