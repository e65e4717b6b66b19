package dev.llmix.provider;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Model prices (USD per million tokens) and cost estimates, read from the project's classpath resource
 * {@code dev/llmix/provider/pricing.json}. Lookups accept provider-style ids: {@code openai/gpt-5-mini},
 * {@code claude-haiku-4-5-20251001}, {@code gpt-4o-2024-08-06} and {@code models/gemini-2.5-flash} all resolve.
 */
public final class ModelPricing {

    /** Resource holding the price table. */
    public static final String RESOURCE = "dev/llmix/provider/pricing.json";

    /**
     * Price of one model.
     *
     * @param input  USD per million input tokens
     * @param output USD per million output tokens
     */
    public record Price(double input, double output) {
    }

    /**
     * A cost estimate, each figure rounded to six decimals.
     *
     * @param inputCostUsd  input tokens × input price
     * @param outputCostUsd output tokens × output price
     * @param totalCostUsd  the rounded unrounded sum
     */
    public record Cost(double inputCostUsd, double outputCostUsd, double totalCostUsd) {
        /** The cost of an unknown model. */
        public static final Cost ZERO = new Cost(0, 0, 0);
    }

    private static final Pattern ISO_DATE = Pattern.compile("-\\d{4}-\\d{2}-\\d{2}$");
    private static final Pattern COMPACT_DATE = Pattern.compile("-\\d{8}$");
    private static final Pattern FOUR_DIGITS = Pattern.compile("-\\d{4}$");
    private static final Pattern CLAUDE = Pattern.compile("^claude-(haiku|sonnet|opus)-(\\d+)-(\\d+)$");

    private static final Map<String, Price> PRICES = load();

    private ModelPricing() {
    }

    /**
     * The price of {@code modelName}: an exact key; else the normalised id (lower-case, cut after the last
     * {@code /}, one date or four-digit suffix removed, {@code claude-<tier>-<maj>-<min>} as
     * {@code claude-<maj>.<min>-<tier>}); else the lower-cased name; else null.
     */
    public static @Nullable Price lookup(String modelName) {
        Objects.requireNonNull(modelName, "modelName");
        Price exact = PRICES.get(modelName);
        if (exact != null) {
            return exact;
        }
        Price normalised = PRICES.get(normalise(modelName));
        if (normalised != null) {
            return normalised;
        }
        return PRICES.get(modelName.toLowerCase(Locale.ROOT));
    }

    /** The id used for the table lookup after the exact key failed. */
    static String normalise(String modelName) {
        String id = modelName.toLowerCase(Locale.ROOT);
        id = id.substring(id.lastIndexOf('/') + 1);
        for (Pattern suffix : new Pattern[] {ISO_DATE, COMPACT_DATE, FOUR_DIGITS}) {
            Matcher m = suffix.matcher(id);
            if (m.find()) {
                id = id.substring(0, m.start());
                break;
            }
        }
        Matcher claude = CLAUDE.matcher(id);
        if (claude.matches()) {
            id = "claude-" + claude.group(2) + "." + claude.group(3) + "-" + claude.group(1);
        }
        return id;
    }

    /** {@link #cost(String, double, double)} without output tokens. */
    public static Cost cost(String modelName, double inputTokens) {
        return cost(modelName, inputTokens, 0);
    }

    /**
     * The cost of a call; unknown models cost zero.
     *
     * @throws IllegalArgumentException for non-finite or negative token counts
     */
    public static Cost cost(String modelName, double inputTokens, double outputTokens) {
        if (!Double.isFinite(inputTokens) || !Double.isFinite(outputTokens)) {
            throw new IllegalArgumentException("inputTokens/outputTokens must be finite numbers");
        }
        if (inputTokens < 0 || outputTokens < 0) {
            throw new IllegalArgumentException("inputTokens/outputTokens must be >= 0");
        }
        Price price = lookup(modelName);
        if (price == null) {
            return Cost.ZERO;
        }
        double in = inputTokens / 1_000_000d * price.input();
        double out = outputTokens / 1_000_000d * price.output();
        return new Cost(round6(in), round6(out), round6(in + out));
    }

    /** The cost of {@code searchCount} rerank searches, each counted as 1,000 input tokens. */
    public static double rerankCost(String modelName, int searchCount) {
        if (searchCount < 0) {
            throw new IllegalArgumentException("searchCount must be >= 0");
        }
        return cost(modelName, searchCount * 1000d).totalCostUsd();
    }

    /** The known model ids and their prices. */
    public static Map<String, Price> all() {
        return PRICES;
    }

    /** JS {@code Number(x.toFixed(6))}: half-up on the exact binary value. */
    private static double round6(double x) {
        return new BigDecimal(x).setScale(6, RoundingMode.HALF_UP).doubleValue();
    }

    private static Map<String, Price> load() {
        ClassLoader loader = ModelPricing.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Missing classpath resource " + RESOURCE);
            }
            JsonNode root = JsonMapper.builder().build().readTree(in);
            Map<String, Price> out = new HashMap<>();
            for (Map.Entry<String, JsonNode> e : root.properties()) {
                JsonNode v = e.getValue();
                if (e.getKey().startsWith("_") || !v.isObject() || !v.path("input").isNumber()
                        || !v.path("output").isNumber()) {
                    continue;
                }
                out.put(e.getKey(), new Price(v.get("input").asDouble(), v.get("output").asDouble()));
            }
            return Collections.unmodifiableMap(out);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
    }
}
