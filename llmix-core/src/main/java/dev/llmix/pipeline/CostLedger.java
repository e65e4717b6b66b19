package dev.llmix.pipeline;

import dev.llmix.config.LlmConfig;
import dev.llmix.provider.PriceBook;
import dev.llmix.spi.CallCost;
import dev.llmix.spi.LlmUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bills fresh calls and credits cache hits, per provider and model, in nano-dollars so that the totals are exact
 * sums updated without locks. A cache hit saves what the model's fresh calls cost on average so far, because the
 * cache keeps text only, not the usage of the call that filled it (docs/cost.md). An L1 hit costs two map reads and
 * one atomic add: no allocation, no lock.
 */
final class CostLedger {

    private static final Logger LOG = LoggerFactory.getLogger(CostLedger.class);
    private static final double NANOS_PER_USD = 1e9;

    private final PriceBook prices;
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Entry>> entries = new ConcurrentHashMap<>();

    CostLedger(PriceBook prices) {
        this.prices = prices;
    }

    /** Bills a fresh success; null when the model has no price (reported once per model) or nothing was used. */
    @Nullable CallCost fresh(LlmConfig cfg, LlmUsage usage) {
        Entry e = entry(cfg.provider(), cfg.model());
        PriceBook.ModelPrice price = e.price;
        if (price == null) {
            e.freshCalls.incrementAndGet();
            return null;
        }
        CallCost cost = PriceBook.cost(price, usage);
        e.costNanos.addAndGet(Math.round(cost.totalUsd() * NANOS_PER_USD));
        e.freshCalls.incrementAndGet();
        return cost;
    }

    /** Credits a cache hit with the model's average fresh cost so far; returns the USD saved (0 when unknown). */
    double hit(LlmConfig cfg) {
        Entry e = entry(cfg.provider(), cfg.model());
        e.hits.incrementAndGet();
        long calls = e.freshCalls.get();
        if (e.price == null || calls == 0) {
            return 0;
        }
        long saved = e.costNanos.get() / calls;
        e.savedNanos.addAndGet(saved);
        return saved / NANOS_PER_USD;
    }

    /** Whether the model has a price. */
    boolean priced(String provider, String model) {
        return entry(provider, model).price != null;
    }

    CostTotals totals() {
        List<CostTotals.ModelCost> models = new ArrayList<>();
        long cost = 0;
        long saved = 0;
        for (String provider : new java.util.TreeSet<>(entries.keySet())) {
            ConcurrentHashMap<String, Entry> byModel = entries.get(provider);
            for (String model : new java.util.TreeSet<>(byModel.keySet())) {
                Entry e = byModel.get(model);
                long c = e.costNanos.get();
                long s = e.savedNanos.get();
                cost += c;
                saved += s;
                models.add(new CostTotals.ModelCost(provider, model, e.price != null, c / NANOS_PER_USD,
                        s / NANOS_PER_USD, e.freshCalls.get(), e.hits.get()));
            }
        }
        return new CostTotals(cost / NANOS_PER_USD, saved / NANOS_PER_USD, models);
    }

    private Entry entry(String provider, String model) {
        ConcurrentHashMap<String, Entry> byModel = entries.get(provider);
        if (byModel == null) {
            byModel = entries.computeIfAbsent(provider, p -> new ConcurrentHashMap<>());
        }
        Entry e = byModel.get(model);
        return e != null ? e : byModel.computeIfAbsent(model, m -> newEntry(provider, m));
    }

    private Entry newEntry(String provider, String model) {
        PriceBook.ModelPrice price = prices.find(provider, model);
        if (price == null) {
            // Once per model: an unknown price is reported, never guessed (docs/cost.md).
            LOG.warn("LLMix cost: no price for model '{}' of provider '{}'; its calls are not billed. Set "
                    + "llmix.pricing.{}.{}.input and .output to bill them", model, provider, provider, model);
        }
        return new Entry(price);
    }

    private static final class Entry {
        final PriceBook.@Nullable ModelPrice price;
        final AtomicLong costNanos = new AtomicLong();
        final AtomicLong savedNanos = new AtomicLong();
        final AtomicLong freshCalls = new AtomicLong();
        final AtomicLong hits = new AtomicLong();

        Entry(PriceBook.@Nullable ModelPrice price) {
            this.price = price;
        }
    }
}
