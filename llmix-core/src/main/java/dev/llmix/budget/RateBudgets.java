package dev.llmix.budget;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The rate-budget registry built from configuration: which budgets a call consumes from (provider, then model, then
 * key) and the estimator that prices an attempt. Budgets are created by the {@link RateBudgetFactory} (the engine's
 * LOCAL one unless another is set) once the pipeline {@linkplain #start(BudgetEnvironment) starts} the registry.
 * {@link #none()} configures nothing: calls then cost nothing.
 */
public final class RateBudgets implements AutoCloseable {

    private static final RateBudgets NONE = builder().build();

    private final Map<String, ProviderRateLimits> providers;
    private final Duration learnWindow;
    private final TokenEstimator estimator;
    private final @Nullable RateBudgetFactory factory;
    private final BudgetListener listener;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private volatile @Nullable BudgetEnvironment env;
    private volatile boolean closed;

    private RateBudgets(Builder b) {
        this.providers = Collections.unmodifiableMap(new LinkedHashMap<>(b.providers));
        this.learnWindow = b.learnWindow;
        this.estimator = b.estimator;
        this.factory = b.factory;
        this.listener = b.listener;
    }

    /** No budgets: every call costs nothing. */
    public static RateBudgets none() {
        return NONE;
    }

    /** A builder with no providers, the default estimator and learn window, and the engine's LOCAL factory. */
    public static Builder builder() {
        return new Builder();
    }

    /** {@code true} when no provider has any limit. */
    public boolean isEmpty() {
        return providers.isEmpty();
    }

    /** The configured providers and their limits. */
    public Map<String, ProviderRateLimits> providers() {
        return providers;
    }

    /** Prices an attempt before dispatch. */
    public TokenEstimator estimator() {
        return estimator;
    }

    /** How long a learned limit lasts without renewal. */
    public Duration learnWindow() {
        return learnWindow;
    }

    /**
     * Binds the registry to a pipeline's threads and clock and creates the provider and model budgets. Called by the
     * pipeline; the first environment wins, later calls are ignored (one registry serves one pipeline).
     */
    public synchronized void start(BudgetEnvironment environment) {
        Objects.requireNonNull(environment, "environment");
        if (env != null || closed) {
            return;
        }
        BudgetEnvironment e = new BudgetEnvironment(environment.scheduler(), environment.executor(),
                environment.nanoClock(), listener == BudgetListener.NOOP ? environment.listener() : listener,
                environment.local());
        env = e;
        RateBudgetFactory f = factory != null ? factory : e.local();
        providers.forEach((name, cfg) -> entries.put(name, new Entry(name, cfg, f, e)));
    }

    /** {@code true} once {@link #start(BudgetEnvironment)} ran. */
    public boolean started() {
        return env != null;
    }

    /**
     * The budgets a call to {@code provider}/{@code model} consumes from, in order (provider scope, then model
     * scope); empty when none is configured or the registry is not started. Allocation-free after the first call
     * for a model.
     */
    public List<RateBudget> forCall(String provider, String model) {
        Entry e = entries.get(provider);
        return e == null ? List.of() : e.forModel(model);
    }

    /** {@code true} when {@code provider} has any budget (provider, model or key scope) once started. */
    public boolean covers(String provider) {
        return entries.containsKey(provider);
    }

    /** {@code true} when the provider's keys have per-key budgets. */
    public boolean hasKeyBudgets(String provider) {
        Entry e = entries.get(provider);
        return e != null && e.keyLimits != null;
    }

    /**
     * The budget of one key of {@code provider}, by key fingerprint ({@link BudgetScope#keyFingerprint(String)}),
     * created on first use; {@code null} when the provider has no per-key limits.
     */
    public @Nullable RateBudget forKey(String provider, String fingerprint) {
        Entry e = entries.get(provider);
        return e == null ? null : e.forKey(fingerprint);
    }

    /** Every budget created so far: provider and model budgets, then key budgets. */
    public List<RateBudget> budgets() {
        List<RateBudget> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (e.providerBudget != null) {
                out.add(e.providerBudget);
            }
            out.addAll(e.modelBudgets.values());
            out.addAll(e.keyBudgets.values());
        }
        return out;
    }

    /** Snapshots of {@link #budgets()}. */
    public List<RateBudgetSnapshot> snapshots() {
        List<RateBudgetSnapshot> out = new ArrayList<>();
        for (RateBudget b : budgets()) {
            out.add(b.snapshot());
        }
        return out;
    }

    /** Closes every budget; queued acquisitions fail with {@link RateBudgetClosedException}. */
    @Override
    public synchronized void close() {
        closed = true;
        for (RateBudget b : budgets()) {
            b.close();
        }
    }

    private final class Entry {
        final String provider;
        final @Nullable RateBudget providerBudget;
        final Map<String, RateBudget> modelBudgets = new LinkedHashMap<>();
        final List<RateBudget> providerOnly;
        final Map<String, List<RateBudget>> byModel = new ConcurrentHashMap<>();
        final @Nullable BudgetLimits keyLimits;
        final Map<String, RateBudget> keyBudgets = new ConcurrentHashMap<>();
        final RateBudgetFactory factory;
        final BudgetEnvironment env;

        Entry(String provider, ProviderRateLimits cfg, RateBudgetFactory factory, BudgetEnvironment env) {
            this.provider = provider;
            this.factory = factory;
            this.env = env;
            this.providerBudget = cfg.limits().isEmpty() ? null
                    : factory.create(BudgetScope.provider(provider), limits(cfg, cfg.limits()), env);
            cfg.models().forEach((model, l) -> {
                if (!l.isEmpty()) {
                    modelBudgets.put(model, factory.create(BudgetScope.model(provider, model), limits(cfg, l), env));
                }
            });
            this.providerOnly = providerBudget == null ? List.of() : List.of(providerBudget);
            this.keyLimits = cfg.perKey().isEmpty() ? null : limits(cfg, cfg.perKey());
        }

        private BudgetLimits limits(ProviderRateLimits cfg, RateLimits l) {
            return new BudgetLimits(l, cfg.requestBurst(), cfg.tokenBurst(), cfg.learn(), learnWindow);
        }

        List<RateBudget> forModel(String model) {
            List<RateBudget> cached = byModel.get(model);
            if (cached != null) {
                return cached;
            }
            RateBudget m = modelBudgets.get(model);
            List<RateBudget> list = m == null ? providerOnly
                    : providerBudget == null ? List.of(m) : List.of(providerBudget, m);
            // Unbounded model names would grow the cache: only configured models get their own entry.
            if (m != null || byModel.size() < 1024) {
                byModel.putIfAbsent(model, list);
            }
            return list;
        }

        @Nullable RateBudget forKey(String fingerprint) {
            BudgetLimits kl = keyLimits;
            if (kl == null) {
                return null;
            }
            RateBudget b = keyBudgets.get(fingerprint);
            if (b != null) {
                return b;
            }
            synchronized (keyBudgets) {
                b = keyBudgets.get(fingerprint);
                if (b == null) {
                    b = factory.create(BudgetScope.key(provider, fingerprint), kl, env);
                    if (closed) {
                        b.close();
                    }
                    keyBudgets.put(fingerprint, b);
                }
                return b;
            }
        }
    }

    /** Builder for {@link RateBudgets}. */
    public static final class Builder {
        private final Map<String, ProviderRateLimits> providers = new LinkedHashMap<>();
        private Duration learnWindow = BudgetLimits.DEFAULT_LEARN_WINDOW;
        private TokenEstimator estimator = TokenEstimator.defaults();
        private @Nullable RateBudgetFactory factory;
        private BudgetListener listener = BudgetListener.NOOP;

        private Builder() {
        }

        /** Limits of {@code provider} (the presets' provider name); a provider without any limit is left out. */
        public Builder provider(String provider, ProviderRateLimits limits) {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(limits, "limits");
            boolean any = !limits.limits().isEmpty() || !limits.perKey().isEmpty()
                    || limits.models().values().stream().anyMatch(l -> !l.isEmpty());
            if (any) {
                providers.put(provider, limits);
            } else {
                providers.remove(provider);
            }
            return this;
        }

        /** Provider-scope limits of {@code provider} with the defaults for everything else. */
        public Builder provider(String provider, RateLimits limits) {
            return provider(provider, ProviderRateLimits.of(limits));
        }

        /** How long a learned limit lasts without renewal (default 10 min). */
        public Builder learnWindow(Duration window) {
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("learnWindow must be > 0, got " + window);
            }
            learnWindow = window;
            return this;
        }

        /** The attempt cost estimator (default 4.0 characters per token, 1024 output tokens). */
        public Builder estimator(TokenEstimator e) {
            estimator = Objects.requireNonNull(e, "estimator");
            return this;
        }

        /** Budget factory, e.g. a fleet implementation; default: the engine's LOCAL budgets. */
        public Builder factory(@Nullable RateBudgetFactory f) {
            factory = f;
            return this;
        }

        /** Receives grants and rejections (default: the pipeline's listener, if any). */
        public Builder listener(BudgetListener l) {
            listener = Objects.requireNonNull(l, "listener");
            return this;
        }

        /** The registry. */
        public RateBudgets build() {
            return new RateBudgets(this);
        }
    }
}
