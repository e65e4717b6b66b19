package dev.llmix.spi;

/**
 * What one call cost in US dollars, from the provider's token usage and the model's price (docs/cost.md).
 *
 * @param inputUsd       uncached input tokens × input price
 * @param outputUsd      output tokens × output price
 * @param cachedInputUsd input tokens served from the provider's prompt cache × cached-input price (the input price
 *                       when the model has no cached-input price)
 * @param totalUsd       the sum of the three
 */
public record CallCost(double inputUsd, double outputUsd, double cachedInputUsd, double totalUsd) {

    /** Nothing billed. */
    public static final CallCost ZERO = new CallCost(0, 0, 0, 0);

    public CallCost {
        if (!(inputUsd >= 0) || !(outputUsd >= 0) || !(cachedInputUsd >= 0) || !(totalUsd >= 0)) {
            throw new IllegalArgumentException("costs must be finite and >= 0");
        }
    }
}
