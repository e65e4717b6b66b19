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
    private static final Set<String> COMMON_KEYS_WITH_PROVIDER_AND_MODEL = union(COMMON_KEYS, "provider", "model");
    private static final Set<String> TIMEOUT_KEYS = Set.of("totalTime", "streamFirstChunkTime");
    private static final Set<String> CACHING_KEYS = Set.of("strategy", "key", "ttl", "maxItems");
    private static final List<String> CACHING_STRATEGIES = List.of("native", "gateway", "disabled", "redis",
            "redis-or-memory", "memory");
    private static final Pattern DIGITS = Pattern.compile("\\d+");

    private LlmConfigRules() {
    }

    private static Set<String> union(Set<String> base, String... more) {
        Set<String> all = new java.util.HashSet<>(base);
        all.addAll(List.of(more));
        return Set.copyOf(all);
    }

    /** Validates a projected config ({@code provider}/{@code model} at top level), including the Anthropic rule. */
    public static List<String> validateConfig(Map<String, ?> config) {
        Checker c = new Checker();
        c.closed(config, "", CONFIG_KEYS);
        c.enumValue(config, "provider", "", PROVIDERS, true);
        c.nonEmptyString(config, "model", "", true);
        Object common = config.get("common");
        if (common != null || config.containsKey("common")) {
            if (c.object(common, "", "common")) {
                commonParams(c, asMap(common), "common", false);
            }
        }
        shared(c, config, "");
        if (config.containsKey("description")) {
            c.string(config.get("description"), "", "description");
        }
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
            c.issue(path, "common", "is required");
        } else if (c.object(namespace.get("common"), path, "common")) {
            Map<String, ?> common = asMap(namespace.get("common"));
            String commonPath = join(path, "common");
            c.enumValue(common, "provider", commonPath, PROVIDERS, true);
            c.nonEmptyString(common, "model", commonPath, true);
            commonParams(c, common, commonPath, true);
        }
        shared(c, namespace, path);
        if (namespace.containsKey("description")) {
            c.string(namespace.get("description"), path, "description");
        }
        if (namespace.containsKey("module")) {
            c.nonEmpty(namespace.get("module"), path, "module");
        }
        if (namespace.containsKey("preset")) {
            c.nonEmpty(namespace.get("preset"), path, "preset");
        }
        return c.issues;
    }

    // The checks below take a value's parent path and key and join them only when they report an issue: a valid
    // preset, the common case at start-up, builds no path strings (docs/performance.md, start-up validation).

    private static void shared(Checker c, Map<String, ?> m, String path) {
        if (m.containsKey("providerOptions")) {
            Object v = m.get("providerOptions");
            if (c.object(v, path, "providerOptions")) {
                providerOptions(c, asMap(v), join(path, "providerOptions"));
            }
        }
        if (m.containsKey("timeout")) {
            Object v = m.get("timeout");
            if (c.object(v, path, "timeout")) {
                String p = join(path, "timeout");
                Map<String, ?> t = asMap(v);
                c.closed(t, p, TIMEOUT_KEYS);
                if (t.containsKey("totalTime")) {
                    c.positiveNumber(t.get("totalTime"), p, "totalTime");
                }
                if (t.containsKey("streamFirstChunkTime")) {
                    c.positiveNumber(t.get("streamFirstChunkTime"), p, "streamFirstChunkTime");
                }
            }
        }
        if (m.containsKey("caching")) {
            Object v = m.get("caching");
            if (c.object(v, path, "caching")) {
                String p = join(path, "caching");
                Map<String, ?> t = asMap(v);
                c.closed(t, p, CACHING_KEYS);
                c.enumValue(t, "strategy", p, CACHING_STRATEGIES, true);
                if (t.containsKey("key")) {
                    c.string(t.get("key"), p, "key");
                }
                if (t.containsKey("ttl")) {
                    c.positiveInteger(t.get("ttl"), p, "ttl");
                }
                if (t.containsKey("maxItems")) {
                    c.positiveInteger(t.get("maxItems"), p, "maxItems");
                }
            }
        }
        if (m.containsKey("tags")) {
            c.stringArray(m.get("tags"), path, "tags");
        }
        if (m.containsKey("deprecated")) {
            c.bool(m.get("deprecated"), path, "deprecated");
        }
        if (m.containsKey("bypassGateway")) {
            c.bool(m.get("bypassGateway"), path, "bypassGateway");
        }
    }

    private static void commonParams(Checker c, Map<String, ?> common, String p, boolean withProviderAndModel) {
        c.closed(common, p, withProviderAndModel ? COMMON_KEYS_WITH_PROVIDER_AND_MODEL : COMMON_KEYS);
        if (common.containsKey("maxOutputTokens")) {
            c.positiveInteger(common.get("maxOutputTokens"), p, "maxOutputTokens");
        }
        if (common.containsKey("temperature")) {
            c.range(common.get("temperature"), p, "temperature", 0, 2);
        }
        if (common.containsKey("topP")) {
            c.range(common.get("topP"), p, "topP", 0, 1);
        }
        if (common.containsKey("topK")) {
            c.positiveInteger(common.get("topK"), p, "topK");
        }
        if (common.containsKey("presencePenalty")) {
            c.number(common.get("presencePenalty"), p, "presencePenalty");
        }
        if (common.containsKey("frequencyPenalty")) {
            c.number(common.get("frequencyPenalty"), p, "frequencyPenalty");
        }
        if (common.containsKey("stopSequences")) {
            c.stringArray(common.get("stopSequences"), p, "stopSequences");
        }
        if (common.containsKey("seed")) {
            c.integer(common.get("seed"), p, "seed");
        }
        if (common.containsKey("maxRetries")) {
            Object v = common.get("maxRetries");
            if (c.integer(v, p, "maxRetries") && ((Number) v).doubleValue() < 0) {
                c.issue(p, "maxRetries", "must be >= 0");
            }
        }
        if (common.containsKey("enableThinking")) {
            c.bool(common.get("enableThinking"), p, "enableThinking");
        }
        if (common.containsKey("keepThinkingOutput")) {
            c.bool(common.get("keepThinkingOutput"), p, "keepThinkingOutput");
        }
    }

    private static void providerOptions(Checker c, Map<String, ?> po, String p) {
        c.closed(po, p, PROVIDER_OPTION_KEYS);
        // Each provider's options are declared once, in its descriptor (docs/architecture.md).
        for (ProviderSpec spec : ProviderSpecs.builtIn().all()) {
            String namespace = spec.optionsNamespace();
            if (po.containsKey(namespace)) {
                schema(c, spec.options(), po.get(namespace), p, namespace);
            }
        }
    }

    /**
     * Walks one value against a descriptor's options schema, reporting issues with the checker's messages; the value
     * is at {@code key} under {@code parent}, or at {@code parent} itself when {@code key} is null.
     */
    private static void schema(Checker c, OptionsSchema s, @Nullable Object v, String parent, @Nullable String key) {
        if (s instanceof OptionsSchema.Obj o) {
            if (!c.object(v, parent, key)) {
                return;
            }
            String path = join(parent, key);
            Map<String, ?> m = asMap(v);
            for (String k : m.keySet()) {
                if (!hasField(o, k)) {
                    c.issue(path, k, "unknown key");
                }
            }
            for (OptionsSchema.Field f : o.fields()) {
                if (f.schema() instanceof OptionsSchema.OneOf e) {
                    c.enumValue(m, f.name(), path, e.values(), f.required());
                } else if (m.containsKey(f.name())) {
                    schema(c, f.schema(), m.get(f.name()), path, f.name());
                } else if (f.required()) {
                    c.issue(path, f.name(), "is required");
                }
            }
        } else if (s instanceof OptionsSchema.AnyObject) {
            c.object(v, parent, key);
        } else if (s instanceof OptionsSchema.Bool) {
            c.bool(v, parent, key);
        } else if (s instanceof OptionsSchema.Str) {
            c.string(v, parent, key);
        } else if (s instanceof OptionsSchema.Num) {
            c.number(v, parent, key);
        } else if (s instanceof OptionsSchema.PositiveInteger) {
            c.positiveInteger(v, parent, key);
        } else if (s instanceof OptionsSchema.OneOf e) {
            if (!(v instanceof String str) || !e.values().contains(str)) {
                c.issue(parent, key, "must be one of " + String.join(", ", e.values()) + " (got "
                        + Checker.describe(v) + ")");
            }
        } else if (s instanceof OptionsSchema.StringArray) {
            c.stringArray(v, parent, key);
        } else if (s instanceof OptionsSchema.BoolOrNonNegativeInteger) {
            if (!(v instanceof Boolean) && c.integer(v, parent, key) && ((Number) v).doubleValue() < 0) {
                c.issue(parent, key, "must be a boolean or an integer >= 0");
            }
        } else if (s instanceof OptionsSchema.TokenIdMap t) {
            if (c.object(v, parent, key)) {
                String path = join(parent, key);
                for (Map.Entry<String, ?> e : asMap(v).entrySet()) {
                    if (!DIGITS.matcher(e.getKey()).matches()) {
                        c.issue(path, e.getKey(), "key must be a token id (digits only)");
                    }
                    schema(c, t.value(), e.getValue(), path, e.getKey());
                }
            }
        } else if (s instanceof OptionsSchema.StringMap) {
            if (c.object(v, parent, key)) {
                String path = join(parent, key);
                for (Map.Entry<String, ?> e : asMap(v).entrySet()) {
                    c.string(e.getValue(), path, e.getKey());
                }
            }
        } else if (s instanceof OptionsSchema.ArrayOf a) {
            if (!(v instanceof List<?> list)) {
                c.issue(parent, key, "must be an array");
                return;
            }
            String path = join(parent, key);
            for (int i = 0; i < list.size(); i++) {
                schema(c, a.item(), list.get(i), path + "[" + i + "]", null);
            }
        }
    }

    private static boolean hasField(OptionsSchema.Obj o, String name) {
        for (OptionsSchema.Field f : o.fields()) {
            if (f.name().equals(name)) {
                return true;
            }
        }
        return false;
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

    /** {@code path.key}, or {@code key} at the top level, or {@code path} itself when there is no key. */
    private static String join(String path, @Nullable String key) {
        if (key == null) {
            return path;
        }
        return path.isEmpty() ? key : path + "." + key;
    }

    /**
     * Collects issues; each check returns whether the value had the expected type. A checked value is named by its
     * parent's path and its key (null when the parent path names the value itself), joined only for an issue.
     */
    private static final class Checker {
        final List<String> issues = new ArrayList<>();

        void issue(String path, String message) {
            issues.add(path + ": " + message);
        }

        void issue(String parent, @Nullable String key, String message) {
            issue(join(parent, key), message);
        }

        void closed(Map<String, ?> m, String path, Set<String> allowed) {
            for (String k : m.keySet()) {
                if (!allowed.contains(k)) {
                    issue(path, k, "unknown key");
                }
            }
        }

        void enumValue(Map<String, ?> m, String key, String path, List<String> values, boolean required) {
            if (!m.containsKey(key)) {
                if (required) {
                    issue(path, key, "is required");
                }
                return;
            }
            Object v = m.get(key);
            if (!(v instanceof String s) || !values.contains(s)) {
                issue(path, key, "must be one of " + String.join(", ", values) + " (got " + describe(v) + ")");
            }
        }

        void nonEmptyString(Map<String, ?> m, String key, String path, boolean required) {
            if (!m.containsKey(key)) {
                if (required) {
                    issue(path, key, "is required");
                }
                return;
            }
            nonEmpty(m.get(key), path, key);
        }

        boolean nonEmpty(@Nullable Object v, String parent, @Nullable String key) {
            if (!(v instanceof String s) || s.isEmpty()) {
                issue(parent, key, "must be a non-empty string");
                return false;
            }
            return true;
        }

        boolean string(@Nullable Object v, String parent, @Nullable String key) {
            if (!(v instanceof String)) {
                issue(parent, key, "must be a string (got " + describe(v) + ")");
                return false;
            }
            return true;
        }

        boolean bool(@Nullable Object v, String parent, @Nullable String key) {
            if (!(v instanceof Boolean)) {
                issue(parent, key, "must be a boolean (got " + describe(v) + ")");
                return false;
            }
            return true;
        }

        boolean object(@Nullable Object v, String parent, @Nullable String key) {
            if (!(v instanceof Map<?, ?>)) {
                issue(parent, key, "must be an object (got " + describe(v) + ")");
                return false;
            }
            return true;
        }

        void stringArray(@Nullable Object v, String parent, @Nullable String key) {
            if (!(v instanceof List<?> list)) {
                issue(parent, key, "must be an array of strings (got " + describe(v) + ")");
                return;
            }
            for (int i = 0; i < list.size(); i++) {
                if (!(list.get(i) instanceof String)) {
                    issue(join(parent, key) + "[" + i + "]", "must be a string");
                }
            }
        }

        boolean number(@Nullable Object v, String parent, @Nullable String key) {
            if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                issue(parent, key, "must be a finite number (got " + describe(v) + ")");
                return false;
            }
            return true;
        }

        boolean integer(@Nullable Object v, String parent, @Nullable String key) {
            if (!number(v, parent, key)) {
                return false;
            }
            double d = ((Number) v).doubleValue();
            if (d != Math.rint(d)) {
                issue(parent, key, "must be an integer (got " + describe(v) + ")");
                return false;
            }
            return true;
        }

        void positiveInteger(@Nullable Object v, String parent, @Nullable String key) {
            if (integer(v, parent, key) && ((Number) v).doubleValue() <= 0) {
                issue(parent, key, "must be a positive integer (got " + describe(v) + ")");
            }
        }

        void positiveNumber(@Nullable Object v, String parent, @Nullable String key) {
            if (number(v, parent, key) && ((Number) v).doubleValue() <= 0) {
                issue(parent, key, "must be a positive number (got " + describe(v) + ")");
            }
        }

        void range(@Nullable Object v, String parent, @Nullable String key, double min, double max) {
            if (number(v, parent, key)) {
                double d = ((Number) v).doubleValue();
                if (d < min || d > max) {
                    issue(parent, key, "must be between " + (int) min + " and " + (int) max + " (got " + describe(v)
                            + ")");
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
