package dev.llmix.pipeline;

import java.util.List;
import java.util.Objects;

/**
 * What the calls of one pipeline cost, and what its cache saved, since the pipeline started (docs/cost.md).
 *
 * @param costUsd  total billed cost of fresh calls with a known price
 * @param savedUsd total cost saved by cache hits
 * @param models   per provider and model, sorted by provider then model
 */
public record CostTotals(double costUsd, double savedUsd, List<ModelCost> models) {

    public CostTotals {
        models = List.copyOf(Objects.requireNonNull(models, "models"));
    }

    /**
     * The figures of one provider and model.
     *
     * @param provider    the preset's provider
     * @param model       the preset's model
     * @param priced      whether the model has a price (unpriced models are reported, never guessed)
     * @param costUsd     billed cost of its fresh calls
     * @param savedUsd    cost saved by its cache hits
     * @param freshCalls  successful fresh calls
     * @param cacheHits   cache hits
     */
    public record ModelCost(String provider, String model, boolean priced, double costUsd, double savedUsd,
            long freshCalls, long cacheHits) {
    }
}
