package dev.llmix.provider;

import dev.llmix.internal.KwargsValues;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an OpenAI-style model accepts, derived from its id by the regex rules in the classpath resource
 * {@code dev/llmix/provider/model-capabilities.json} (the data TS and Python share). Used by the {@code openai} kwargs
 * transform and by adapters to drop options a model rejects.
 *
 * @param isReasoningModel      an o-series / gpt-5 / codex / computer-use / glm model: no temperature or top_p, and
 *                              {@code max_completion_tokens} instead of {@code max_tokens}
 * @param supportsTextVerbosity accepts {@code textVerbosity} (gpt-5 family)
 * @param fixedTemperature      accepts only the fixed temperature (1)
 * @param modelClass            {@code gpt5}, {@code o-series}, {@code codex} or {@code standard}
 */
public record ModelCapabilities(boolean isReasoningModel, boolean supportsTextVerbosity, boolean fixedTemperature,
        String modelClass) {

    /** Model ids remembered; beyond that, ids are classified on each call (a bound against unbounded id streams). */
    private static final int MAX_CACHED_IDS = 1000;

    /** Capabilities by raw model id: the rules are regular expressions, too slow to run on every call. */
    private static final ConcurrentHashMap<String, ModelCapabilities> BY_ID = new ConcurrentHashMap<>();

    public ModelCapabilities {
        Objects.requireNonNull(modelClass, "modelClass");
    }

    /**
     * The capabilities of {@code modelId}. The id is lower-cased and cut after its last {@code /}
     * ({@code openai/GPT-5} → {@code gpt-5}) before the rules are tested.
     */
    public static ModelCapabilities forModel(String modelId) {
        ModelCapabilities caps = BY_ID.get(modelId);
        if (caps == null) {
            caps = Rules.INSTANCE.classify(normalise(modelId));
            if (BY_ID.size() < MAX_CACHED_IDS) {
                BY_ID.putIfAbsent(modelId, caps);
            }
        }
        return caps;
    }

    /**
     * The OpenAI provider options {@code modelId} can take: {@code options} without a truthy {@code reasoningEffort}
     * unless the model is a reasoning model, and without a truthy {@code textVerbosity} unless it supports text
     * verbosity. Empty when nothing remains (TS returns {@code undefined} then).
     */
    public static Map<String, @Nullable Object> filterOpenAiProviderOptions(String modelId, Map<String, ?> options) {
        return splitOpenAiProviderOptions(modelId, options).kept();
    }

    /** Like {@link #filterOpenAiProviderOptions} but also reports what was removed. */
    public static FilteredOptions splitOpenAiProviderOptions(String modelId, Map<String, ?> options) {
        ModelCapabilities caps = forModel(modelId);
        Map<String, @Nullable Object> kept = new LinkedHashMap<>(KwargsValues.capacity(options.size()));
        Map<String, @Nullable Object> removed = new LinkedHashMap<>(4);
        for (Map.Entry<String, ?> e : options.entrySet()) {
            String key = e.getKey();
            Object value = e.getValue();
            boolean drop = ("reasoningEffort".equals(key) && !caps.isReasoningModel() && isTruthy(value))
                    || ("textVerbosity".equals(key) && !caps.supportsTextVerbosity() && isTruthy(value));
            (drop ? removed : kept).put(key, value);
        }
        return new FilteredOptions(kept, removed);
    }

    /**
     * The temperature to send to {@code modelId}: the fixed value (1) when the model has a fixed temperature and
     * {@code temperature} is given and differs from it, else {@code temperature} unchanged.
     */
    public static @Nullable Number adjustTemperatureForModel(String modelId, @Nullable Number temperature) {
        return temperatureAdjustment(modelId, temperature).adjustedTemperature();
    }

    /** Like {@link #adjustTemperatureForModel} but also says whether the value was changed and from what. */
    public static TemperatureAdjustment temperatureAdjustment(String modelId, @Nullable Number temperature) {
        Rules rules = Rules.INSTANCE;
        if (temperature != null && forModel(modelId).fixedTemperature()
                && temperature.doubleValue() != rules.fixedTemperatureValue.doubleValue()) {
            return new TemperatureAdjustment(rules.fixedTemperatureValue, true, temperature);
        }
        return new TemperatureAdjustment(temperature, false, null);
    }

    /**
     * The result of {@link #splitOpenAiProviderOptions}.
     *
     * @param kept    the options the model can take (empty when none)
     * @param removed the options removed for this model
     */
    public record FilteredOptions(Map<String, @Nullable Object> kept, Map<String, @Nullable Object> removed) {
    }

    /**
     * The result of {@link #temperatureAdjustment}.
     *
     * @param adjustedTemperature the temperature to send
     * @param wasAdjusted         whether it differs from the one given
     * @param originalTemperature the temperature given, only when it was adjusted
     */
    public record TemperatureAdjustment(@Nullable Number adjustedTemperature, boolean wasAdjusted,
            @Nullable Number originalTemperature) {
    }

    /** Just the reasoning test, for the {@code openai} transform's hot path. */
    public static boolean isReasoningModel(String modelId) {
        return forModel(modelId).isReasoningModel();
    }

    static String normalise(String modelId) {
        String lower = modelId.toLowerCase(Locale.ROOT);
        int slash = lower.lastIndexOf('/');
        return slash < 0 ? lower : lower.substring(slash + 1);
    }

    private static boolean isTruthy(@Nullable Object v) {
        if (!KwargsValues.isPresent(v) || Boolean.FALSE.equals(v)) {
            return false;
        }
        if (v instanceof String s) {
            return !s.isEmpty();
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            return d != 0 && !Double.isNaN(d);
        }
        return true;
    }

    /** The compiled rules, loaded once from the classpath resource. */
    private static final class Rules {

        static final Rules INSTANCE = load();

        private final List<Pattern> reasoning;
        private final List<Pattern> textVerbosity;
        private final List<Pattern> fixedTemperature;
        private final List<Map.Entry<String, List<Pattern>>> classRules;
        private final String defaultClass;
        private final Number fixedTemperatureValue;

        private Rules(JsonNode data) {
            reasoning = patterns(data, "reasoningModelPrefixes");
            textVerbosity = patterns(data, "textVerbosityPrefixes");
            fixedTemperature = patterns(data, "fixedTemperaturePrefixes");
            List<Map.Entry<String, List<Pattern>>> rules = new ArrayList<>();
            for (JsonNode rule : required(data, "modelClassRules")) {
                rules.add(Map.entry(required(rule, "modelClass").asString(), patterns(rule, "patterns")));
            }
            classRules = List.copyOf(rules);
            defaultClass = required(data, "defaultModelClass").asString();
            fixedTemperatureValue = required(data, "fixedTemperatureValue").numberValue();
        }

        ModelCapabilities classify(String id) {
            String modelClass = defaultClass;
            for (Map.Entry<String, List<Pattern>> rule : classRules) {
                if (anyMatch(rule.getValue(), id)) {
                    modelClass = rule.getKey();
                    break;
                }
            }
            return new ModelCapabilities(anyMatch(reasoning, id), anyMatch(textVerbosity, id),
                    anyMatch(fixedTemperature, id), modelClass);
        }

        private static boolean anyMatch(List<Pattern> patterns, String id) {
            for (Pattern p : patterns) {
                if (p.matcher(id).find()) {
                    return true;
                }
            }
            return false;
        }

        private static Rules load() {
            String resource = "model-capabilities.json";
            try (InputStream in = ModelCapabilities.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("Missing classpath resource dev/llmix/provider/" + resource);
                }
                return new Rules(JsonMapper.builder().build().readTree(in));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read dev/llmix/provider/" + resource, e);
            }
        }

        private static List<Pattern> patterns(JsonNode node, String field) {
            List<Pattern> out = new ArrayList<>();
            for (JsonNode p : required(node, field)) {
                out.add(Pattern.compile(p.asString()));
            }
            return List.copyOf(out);
        }

        private static JsonNode required(JsonNode node, String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                throw new IllegalStateException("model-capabilities.json: missing \"" + field + "\"");
            }
            return v;
        }
    }
}
