package dev.llmix.provider;

import dev.llmix.spi.CallCost;
import dev.llmix.spi.LlmUsage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The prices the pipeline bills calls with: the built-in table ({@link ModelPricing#RESOURCE}, each entry citing its
 * source and date) under per-provider, per-model overrides (docs/cost.md). Immutable; lookups are lock-free and, after
 * a model's first lookup, allocation-free.
 */
public final class PriceBook {

    /**
     * The price of one model, in USD per million tokens.
     *
     * @param inputPerMillion       uncached input tokens
     * @param outputPerMillion      output tokens
     * @param cachedInputPerMillion input tokens served from the provider's prompt cache, or {@code null} when unknown
     *                              (they are then billed at the input price)
     * @param source                where the price comes from (a URL, or {@code configuration})
     * @param asOf                  when it was read ({@code yyyy-MM}), or {@code ""} for configured prices
     */
    public record ModelPrice(double inputPerMillion, double outputPerMillion, @Nullable Double cachedInputPerMillion,
            String source, String asOf) {

        public ModelPrice {
            check("input", inputPerMillion);
            check("output", outputPerMillion);
            if (cachedInputPerMillion != null) {
                check("cached-input", cachedInputPerMillion);
            }
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(asOf, "asOf");
        }

        /** A configured price (source {@code configuration}). */
        public static ModelPrice configured(double inputPerMillion, double outputPerMillion,
                @Nullable Double cachedInputPerMillion) {
            return new ModelPrice(inputPerMillion, outputPerMillion, cachedInputPerMillion, "configuration", "");
        }

        private static void check(String what, double v) {
            if (!Double.isFinite(v) || v < 0) {
                throw new IllegalArgumentException("The " + what + " price must be a finite number >= 0, got " + v);
            }
        }
    }

    private static final PriceBook BUILT_IN = new PriceBook(loadBuiltIn(), Map.of());

    private final Map<String, ModelPrice> table;
    /** provider → model → price, exact names (as written in presets). */
    private final Map<String, Map<String, ModelPrice>> overrides;
    /** Model name → built-in price after normalisation, memoised (empty for unknown models). */
    private final ConcurrentHashMap<String, Optional<ModelPrice>> resolved = new ConcurrentHashMap<>();

    private PriceBook(Map<String, ModelPrice> table, Map<String, Map<String, ModelPrice>> overrides) {
        this.table = table;
        this.overrides = overrides;
    }

    /** The built-in table without overrides. */
    public static PriceBook builtIn() {
        return BUILT_IN;
    }

    /** No prices at all: every model is unknown (e.g. to switch cost accounting off). */
    public static PriceBook empty() {
        return new PriceBook(Map.of(), Map.of());
    }

    /** A book with {@code price} for {@code model} of {@code provider}, replacing any built-in or earlier price. */
    public PriceBook with(String provider, String model, ModelPrice price) {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(price, "price");
        Map<String, Map<String, ModelPrice>> next = new HashMap<>();
        overrides.forEach((p, m) -> next.put(p, new HashMap<>(m)));
        next.computeIfAbsent(provider, p -> new HashMap<>()).put(model, price);
        Map<String, Map<String, ModelPrice>> frozen = new HashMap<>();
        next.forEach((p, m) -> frozen.put(p, Collections.unmodifiableMap(m)));
        return new PriceBook(table, Collections.unmodifiableMap(frozen));
    }

    /**
     * The price of {@code model} called through {@code provider}: an override for exactly this provider and model,
     * else the built-in entry the model name normalises to ({@link ModelPricing#lookup} rules), else {@code null}.
     */
    public @Nullable ModelPrice find(String provider, String model) {
        Map<String, ModelPrice> byModel = overrides.get(provider);
        if (byModel != null) {
            ModelPrice p = byModel.get(model);
            if (p != null) {
                return p;
            }
        }
        Optional<ModelPrice> known = resolved.get(model);
        if (known == null) {
            known = resolved.computeIfAbsent(model, m -> Optional.ofNullable(lookupBuiltIn(m)));
        }
        return known.orElse(null);
    }

    private @Nullable ModelPrice lookupBuiltIn(String model) {
        ModelPrice exact = table.get(model);
        if (exact != null) {
            return exact;
        }
        ModelPrice normalised = table.get(ModelPricing.normalise(model));
        return normalised != null ? normalised : table.get(model.toLowerCase(Locale.ROOT));
    }

    /**
     * What {@code usage} costs at {@code price}: uncached input ({@code inputTokens − cachedInputTokens}, as every
     * adapter counts cached tokens inside the input tokens), cached input and output.
     */
    public static CallCost cost(ModelPrice price, LlmUsage usage) {
        long cached = usage.cachedInputTokens() == null ? 0 : Math.max(0, usage.cachedInputTokens());
        long input = Math.max(0, usage.inputTokens());
        cached = Math.min(cached, input);
        long output = Math.max(0, usage.outputTokens());
        double cachedPrice = price.cachedInputPerMillion() != null ? price.cachedInputPerMillion()
                : price.inputPerMillion();
        double in = (input - cached) * price.inputPerMillion() / 1_000_000d;
        double cachedUsd = cached * cachedPrice / 1_000_000d;
        double out = output * price.outputPerMillion() / 1_000_000d;
        return new CallCost(in, out, cachedUsd, in + out + cachedUsd);
    }

    /** The overrides, by provider then model. */
    public Map<String, Map<String, ModelPrice>> overrides() {
        return overrides;
    }

    /** The built-in entries by normalised model id, in table order. */
    public Map<String, ModelPrice> table() {
        return table;
    }

    private static Map<String, ModelPrice> loadBuiltIn() {
        ClassLoader loader = PriceBook.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(ModelPricing.RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Missing classpath resource " + ModelPricing.RESOURCE);
            }
            JsonNode root = JsonMapper.builder().build().readTree(in);
            JsonNode sources = root.path("_sources");
            Map<String, ModelPrice> out = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : root.properties()) {
                JsonNode v = e.getValue();
                if (e.getKey().startsWith("_") || !v.isObject() || !v.path("input").isNumber()
                        || !v.path("output").isNumber()) {
                    continue;
                }
                JsonNode src = sources.path(v.path("source").asString(""));
                Double cached = v.path("cachedInput").isNumber() ? v.get("cachedInput").asDouble() : null;
                out.put(e.getKey(), new ModelPrice(v.get("input").asDouble(), v.get("output").asDouble(), cached,
                        src.path("url").asString("unknown"), src.path("asOf").asString("")));
            }
            return Collections.unmodifiableMap(out);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + ModelPricing.RESOURCE, e);
        }
    }

    @Override
    public String toString() {
        return "PriceBook[builtIn=" + table.size() + ", overrides=" + overrides + "]";
    }
}
