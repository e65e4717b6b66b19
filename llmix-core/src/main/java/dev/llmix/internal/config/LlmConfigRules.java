package dev.llmix.internal.config;

import dev.llmix.providers.OptionsSchema;
import dev.llmix.providers.ProviderSpec;
import dev.llmix.providers.ProviderSpecs;
import dev.llmix.config.LlmConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The validation rules of a preset, over the JSON-like model: the {@code metadata.snoai-llmix} namespace of an
 * {@code .mda} file and the projected {@link LlmConfig} JSON (the registry's resolved JSON). Objects are closed
 * unless a rule says "pass-through"; numbers must be finite; "integer" means an integral value ({@code 4096.0} is
 * one). Each method returns the issues as {@code path: message} strings, empty when valid.
 */
public final class LlmConfigRules {

    /** The providers a preset may name in {@code provider}. */
    public static final List<String> PROVIDERS = ProviderSpecs.builtIn().names();

    private static final Set<String> CONFIG_KEYS = Set.of("provider", "model", "common", "providerOptions", "timeout",
            "caching", "description", "deprecated", "tags", "bypassGateway");
    private static final Set<String> NAMESPACE_KEYS = Set.of("common", "providerOptions", "timeout", "caching",
            "description", "tags", "deprecated", "bypassGateway", "module", "preset");
    private static final Set<String> COMMON_KEYS = Set.of("maxOutputTokens", "temperature", "topP", "topK",
            "presencePenalty", "frequencyPenalty", "stopSequences", "seed", "maxRetries", "enableThinking",
            "keepThinkingOutput");
    private static final Set<String> PROVIDER_OPTION_KEYS = ProviderSpecs.builtIn().all().stream()
            .map(ProviderSpec::optionsNamespace).collect(java.util.stream.Collectors.toUnmodifiableSet());
    private static final List<String> CACHING_STRATEGIES = List.of("native", "gateway", "disabled", "redis",
            "redis-or-memory", "memory");
    private static final Pattern DIGITS = Pattern.compile("\\d+");

    private LlmConfigRules() {
    }

    /** Validates a projected config ({@code provider}/{@code model} at top level), including the Anthropic rule. */
    public static List<String> validateConfig(Map<String, ?> config) {
        Checker c = new Checker();
        c.closed(config, "", CONFIG_KEYS);
        c.enumValue(config, "provider", "", PROVIDERS, true);
        c.nonEmptyString(config, "model", "", true);
        Object common = config.get("common");
        if (common != null || config.containsKey("common")) {
            if (c.object(common, "common")) {
                commonParams(c, asMap(common), "common", false);
            }
        }
        shared(c, config, "");
        c.optional(config, "description", "", v -> c.string(v, "description"));
        anthropicBudget(c, config);
        return c.issues;
    }

    /**
     * Validates the {@code metadata.snoai-llmix} namespace; {@code common} is required and carries
     * {@code provider} and {@code model}.
     *
     * @param path the namespace's own path, e.g. {@code metadata.snoai-llmix}
     */
    public static List<String> validateNamespace(Map<String, ?> namespace, String path) {
        Checker c = new Checker();
        c.closed(namespace, path, NAMESPACE_KEYS);
        if (!namespace.containsKey("common")) {
            c.issue(join(path, "common"), "is required");
        } else if (c.object(namespace.get("common"), join(path, "common"))) {
            Map<String, ?> common = asMap(namespace.get("common"));
            String commonPath = join(path, "common");
            c.enumValue(common, "provider", commonPath, PROVIDERS, true);
            c.nonEmptyString(common, "model", commonPath, true);
            commonParams(c, common, commonPath, true);
        }
        shared(c, namespace, path);
        c.optional(namespace, "description", path, v -> c.string(v, join(path, "description")));
        c.optional(namespace, "module", path, v -> c.nonEmpty(v, join(path, "module")));
        c.optional(namespace, "preset", path, v -> c.nonEmpty(v, join(path, "preset")));
        return c.issues;
    }

    private static void shared(Checker c, Map<String, ?> m, String path) {
        c.optional(m, "providerOptions", path, v -> {
            if (c.object(v, join(path, "providerOptions"))) {
                providerOptions(c, asMap(v), join(path, "providerOptions"));
            }
        });
        c.optional(m, "timeout", path, v -> {
            String p = join(path, "timeout");
            if (c.object(v, p)) {
                Map<String, ?> t = asMap(v);
                c.closed(t, p, Set.of("totalTime", "streamFirstChunkTime"));
                c.optional(t, "totalTime", p, x -> c.positiveNumber(x, join(p, "totalTime")));
                c.optional(t, "streamFirstChunkTime", p, x -> c.positiveNumber(x, join(p, "streamFirstChunkTime")));
            }
        });
        c.optional(m, "caching", path, v -> {
            String p = join(path, "caching");
            if (c.object(v, p)) {
                Map<String, ?> t = asMap(v);
                c.closed(t, p, Set.of("strategy", "key", "ttl", "maxItems"));
                c.enumValue(t, "strategy", p, CACHING_STRATEGIES, true);
                c.optional(t, "key", p, x -> c.string(x, join(p, "key")));
                c.optional(t, "ttl", p, x -> c.positiveInteger(x, join(p, "ttl")));
                c.optional(t, "maxItems", p, x -> c.positiveInteger(x, join(p, "maxItems")));
            }
        });
        c.optional(m, "tags", path, v -> c.stringArray(v, join(path, "tags")));
        c.optional(m, "deprecated", path, v -> c.bool(v, join(path, "deprecated")));
        c.optional(m, "bypassGateway", path, v -> c.bool(v, join(path, "bypassGateway")));
    }

    private static void commonParams(Checker c, Map<String, ?> common, String p, boolean withProviderAndModel) {
        if (withProviderAndModel) {
            Set<String> keys = new java.util.HashSet<>(COMMON_KEYS);
            keys.add("provider");
            keys.add("model");
            c.closed(common, p, keys);
        } else {
            c.closed(common, p, COMMON_KEYS);
        }
        c.optional(common, "maxOutputTokens", p, v -> c.positiveInteger(v, join(p, "maxOutputTokens")));
        c.optional(common, "temperature", p, v -> c.range(v, join(p, "temperature"), 0, 2));
        c.optional(common, "topP", p, v -> c.range(v, join(p, "topP"), 0, 1));
        c.optional(common, "topK", p, v -> c.positiveInteger(v, join(p, "topK")));
        c.optional(common, "presencePenalty", p, v -> c.number(v, join(p, "presencePenalty")));
        c.optional(common, "frequencyPenalty", p, v -> c.number(v, join(p, "frequencyPenalty")));
        c.optional(common, "stopSequences", p, v -> c.stringArray(v, join(p, "stopSequences")));
        c.optional(common, "seed", p, v -> c.integer(v, join(p, "seed")));
        c.optional(common, "maxRetries", p, v -> {
            if (c.integer(v, join(p, "maxRetries")) && ((Number) v).doubleValue() < 0) {
                c.issue(join(p, "maxRetries"), "must be >= 0");
            }
        });
        c.optional(common, "enableThinking", p, v -> c.bool(v, join(p, "enableThinking")));
        c.optional(common, "keepThinkingOutput", p, v -> c.bool(v, join(p, "keepThinkingOutput")));
    }

    private static void providerOptions(Checker c, Map<String, ?> po, String p) {
        c.closed(po, p, PROVIDER_OPTION_KEYS);
        // Each provider's options are declared once, in its descriptor (docs/architecture.md).
        for (ProviderSpec spec : ProviderSpecs.builtIn().all()) {
            String namespace = spec.optionsNamespace();
            c.optional(po, namespace, p, v -> schema(c, spec.options(), v, join(p, namespace)));
        }
    }

    /** Walks one value against a descriptor's options schema, reporting issues with the checker's messages. */
    private static void schema(Checker c, OptionsSchema s, @Nullable Object v, String path) {
        if (s instanceof OptionsSchema.Obj o) {
            if (!c.object(v, path)) {
                return;
            }
            Map<String, ?> m = asMap(v);
            Set<String> allowed = new java.util.HashSet<>();
            o.fields().forEach(f -> allowed.add(f.name()));
            c.closed(m, path, allowed);
            for (OptionsSchema.Field f : o.fields()) {
                if (f.schema() instanceof OptionsSchema.OneOf e) {
                    c.enumValue(m, f.name(), path, e.values(), f.required());
                } else if (f.required()) {
                    c.required(m, f.name(), path, x -> schema(c, f.schema(), x, join(path, f.name())));
                } else {
                    c.optional(m, f.name(), path, x -> schema(c, f.schema(), x, join(path, f.name())));
                }
            }
        } else if (s instanceof OptionsSchema.AnyObject) {
            c.object(v, path);
        } else if (s instanceof OptionsSchema.Bool) {
            c.bool(v, path);
        } else if (s instanceof OptionsSchema.Str) {
            c.string(v, path);
        } else if (s instanceof OptionsSchema.Num) {
            c.number(v, path);
        } else if (s instanceof OptionsSchema.PositiveInteger) {
            c.positiveInteger(v, path);
        } else if (s instanceof OptionsSchema.OneOf e) {
            if (!(v instanceof String str) || !e.values().contains(str)) {
                c.issue(path, "must be one of " + String.join(", ", e.values()) + " (got " + Checker.describe(v)
                        + ")");
            }
        } else if (s instanceof OptionsSchema.StringArray) {
            c.stringArray(v, path);
        } else if (s instanceof OptionsSchema.BoolOrNonNegativeInteger) {
            if (!(v instanceof Boolean) && c.integer(v, path) && ((Number) v).doubleValue() < 0) {
                c.issue(path, "must be a boolean or an integer >= 0");
            }
        } else if (s instanceof OptionsSchema.TokenIdMap t) {
            if (c.object(v, path)) {
                for (Map.Entry<String, ?> e : asMap(v).entrySet()) {
                    if (!DIGITS.matcher(e.getKey()).matches()) {
                        c.issue(join(path, e.getKey()), "key must be a token id (digits only)");
                    }
                    schema(c, t.value(), e.getValue(), join(path, e.getKey()));
                }
            }
        } else if (s instanceof OptionsSchema.StringMap) {
            if (c.object(v, path)) {
                for (Map.Entry<String, ?> e : asMap(v).entrySet()) {
                    c.string(e.getValue(), join(path, e.getKey()));
                }
            }
        } else if (s instanceof OptionsSchema.ArrayOf a) {
            if (!(v instanceof List<?> list)) {
                c.issue(path, "must be an array");
                return;
            }
            for (int i = 0; i < list.size(); i++) {
                schema(c, a.item(), list.get(i), path + "[" + i + "]");
            }
        }
    }

    private static void anthropicBudget(Checker c, Map<String, ?> config) {
        if (!"anthropic".equals(config.get("provider"))) {
            return;
        }
        Object thinking = dig(config, "providerOptions", "anthropic", "thinking");
        if (thinking instanceof Map<?, ?> t && "enabled".equals(t.get("type"))
                && t.get("budgetTokens") instanceof Number n && n.doubleValue() < 1024) {
            c.issue("providerOptions.anthropic.thinking.budgetTokens",
                    "must be >= 1024 when Anthropic thinking is enabled");
        }
    }

    private static @Nullable Object dig(Map<String, ?> m, String... keys) {
        Object cur = m;
        for (String k : keys) {
            if (!(cur instanceof Map<?, ?> map)) {
                return null;
            }
            cur = map.get(k);
        }
        return cur;
    }

    @SuppressWarnings("unchecked")
    static Map<String, ?> asMap(@Nullable Object o) {
        return (Map<String, ?>) o;
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** Collects issues; each check returns whether the value had the expected type. */
    private static final class Checker {
        final List<String> issues = new ArrayList<>();

        void issue(String path, String message) {
            issues.add(path + ": " + message);
        }

        void closed(Map<String, ?> m, String path, Set<String> allowed) {
            for (String k : m.keySet()) {
                if (!allowed.contains(k)) {
                    issue(join(path, k), "unknown key");
                }
            }
        }

        void optional(Map<String, ?> m, String key, String path, java.util.function.Consumer<@Nullable Object> check) {
            if (m.containsKey(key)) {
                check.accept(m.get(key));
            }
        }

        void required(Map<String, ?> m, String key, String path, java.util.function.Consumer<@Nullable Object> check) {
            if (m.containsKey(key)) {
                check.accept(m.get(key));
            } else {
                issue(join(path, key), "is required");
            }
        }

        void enumValue(Map<String, ?> m, String key, String path, List<String> values, boolean required) {
            if (!m.containsKey(key)) {
                if (required) {
                    issue(join(path, key), "is required");
                }
                return;
            }
            Object v = m.get(key);
            if (!(v instanceof String s) || !values.contains(s)) {
                issue(join(path, key), "must be one of " + String.join(", ", values) + " (got " + describe(v) + ")");
            }
        }

        void nonEmptyString(Map<String, ?> m, String key, String path, boolean required) {
            if (!m.containsKey(key)) {
                if (required) {
                    issue(join(path, key), "is required");
                }
                return;
            }
            nonEmpty(m.get(key), join(path, key));
        }

        boolean nonEmpty(@Nullable Object v, String path) {
            if (!(v instanceof String s) || s.isEmpty()) {
                issue(path, "must be a non-empty string");
                return false;
            }
            return true;
        }

        boolean string(@Nullable Object v, String path) {
            if (!(v instanceof String)) {
                issue(path, "must be a string (got " + describe(v) + ")");
                return false;
            }
            return true;
        }

        boolean bool(@Nullable Object v, String path) {
            if (!(v instanceof Boolean)) {
                issue(path, "must be a boolean (got " + describe(v) + ")");
                return false;
            }
            return true;
        }

        boolean object(@Nullable Object v, String path) {
            if (!(v instanceof Map<?, ?>)) {
                issue(path, "must be an object (got " + describe(v) + ")");
                return false;
            }
            return true;
        }

        void stringArray(@Nullable Object v, String path) {
            if (!(v instanceof List<?> list)) {
                issue(path, "must be an array of strings (got " + describe(v) + ")");
                return;
            }
            for (int i = 0; i < list.size(); i++) {
                if (!(list.get(i) instanceof String)) {
                    issue(path + "[" + i + "]", "must be a string");
                }
            }
        }

        boolean number(@Nullable Object v, String path) {
            if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                issue(path, "must be a finite number (got " + describe(v) + ")");
                return false;
            }
            return true;
        }

        boolean integer(@Nullable Object v, String path) {
            if (!number(v, path)) {
                return false;
            }
            double d = ((Number) v).doubleValue();
            if (d != Math.rint(d)) {
                issue(path, "must be an integer (got " + describe(v) + ")");
                return false;
            }
            return true;
        }

        void positiveInteger(@Nullable Object v, String path) {
            if (integer(v, path) && ((Number) v).doubleValue() <= 0) {
                issue(path, "must be a positive integer (got " + describe(v) + ")");
            }
        }

        void positiveNumber(@Nullable Object v, String path) {
            if (number(v, path) && ((Number) v).doubleValue() <= 0) {
                issue(path, "must be a positive number (got " + describe(v) + ")");
            }
        }

        void range(@Nullable Object v, String path, double min, double max) {
            if (number(v, path)) {
                double d = ((Number) v).doubleValue();
                if (d < min || d > max) {
                    issue(path, "must be between " + (int) min + " and " + (int) max + " (got " + describe(v) + ")");
                }
            }
        }

        static String describe(@Nullable Object v) {
            if (v == null) {
                return "null";
            }
            if (v instanceof String s) {
                return "\"" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "\"";
            }
            if (v instanceof Number n) {
                return dev.llmix.internal.JsNumbers.toString(n.doubleValue());
            }
            if (v instanceof Boolean) {
                return v.toString();
            }
            return v instanceof Map<?, ?> ? "an object" : v instanceof List<?> ? "an array" : "a value";
        }
    }
}
