package dev.llmix.internal.config;

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
    public static final List<String> PROVIDERS = List.of("openai", "anthropic", "google", "deepseek", "openrouter",
            "sno-gpu", "deepinfra", "novita", "together");

    private static final Set<String> CONFIG_KEYS = Set.of("provider", "model", "common", "providerOptions", "timeout",
            "caching", "description", "deprecated", "tags", "bypassGateway");
    private static final Set<String> NAMESPACE_KEYS = Set.of("common", "providerOptions", "timeout", "caching",
            "description", "tags", "deprecated", "bypassGateway", "module", "preset");
    private static final Set<String> COMMON_KEYS = Set.of("maxOutputTokens", "temperature", "topP", "topK",
            "presencePenalty", "frequencyPenalty", "stopSequences", "seed", "maxRetries", "enableThinking",
            "keepThinkingOutput");
    private static final Set<String> PROVIDER_OPTION_KEYS = Set.of("openai", "anthropic", "google", "deepseek",
            "openrouter", "sno-gpu", "deepinfra", "novita", "together");
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
        c.optional(po, "openai", p, v -> {
            String q = join(p, "openai");
            if (!c.object(v, q)) {
                return;
            }
            Map<String, ?> o = asMap(v);
            c.closed(o, q, Set.of("reasoningEffort", "parallelToolCalls", "structuredOutputs", "strictJsonSchema",
                    "store", "user", "promptCacheKey", "safetyIdentifier", "logprobs", "logitBias",
                    "maxCompletionTokens", "metadata", "prediction", "serviceTier", "textVerbosity",
                    "promptCacheRetention"));
            c.enumValue(o, "reasoningEffort", q, List.of("minimal", "low", "medium", "high", "xhigh"), false);
            for (String k : List.of("parallelToolCalls", "structuredOutputs", "strictJsonSchema", "store")) {
                c.optional(o, k, q, x -> c.bool(x, join(q, k)));
            }
            for (String k : List.of("user", "promptCacheKey", "safetyIdentifier")) {
                c.optional(o, k, q, x -> c.string(x, join(q, k)));
            }
            c.optional(o, "logprobs", q, x -> {
                if (!(x instanceof Boolean)) {
                    if (c.integer(x, join(q, "logprobs")) && ((Number) x).doubleValue() < 0) {
                        c.issue(join(q, "logprobs"), "must be a boolean or an integer >= 0");
                    }
                }
            });
            c.optional(o, "logitBias", q, x -> {
                String r = join(q, "logitBias");
                if (c.object(x, r)) {
                    for (Map.Entry<String, ?> e : asMap(x).entrySet()) {
                        if (!DIGITS.matcher(e.getKey()).matches()) {
                            c.issue(join(r, e.getKey()), "key must be a token id (digits only)");
                        }
                        c.number(e.getValue(), join(r, e.getKey()));
                    }
                }
            });
            c.optional(o, "maxCompletionTokens", q, x -> c.positiveInteger(x, join(q, "maxCompletionTokens")));
            c.optional(o, "metadata", q, x -> {
                String r = join(q, "metadata");
                if (c.object(x, r)) {
                    for (Map.Entry<String, ?> e : asMap(x).entrySet()) {
                        c.string(e.getValue(), join(r, e.getKey()));
                    }
                }
            });
            c.optional(o, "prediction", q, x -> c.object(x, join(q, "prediction")));
            c.enumValue(o, "serviceTier", q, List.of("auto", "flex", "priority", "default"), false);
            c.enumValue(o, "textVerbosity", q, List.of("low", "medium", "high"), false);
            c.enumValue(o, "promptCacheRetention", q, List.of("in_memory", "24h"), false);
        });
        c.optional(po, "anthropic", p, v -> {
            String q = join(p, "anthropic");
            if (!c.object(v, q)) {
                return;
            }
            Map<String, ?> o = asMap(v);
            c.closed(o, q, Set.of("thinking", "cacheControl", "disableParallelToolUse", "sendReasoning",
                    "toolStreaming", "effort", "structuredOutputMode"));
            c.optional(o, "thinking", q, x -> {
                String r = join(q, "thinking");
                if (c.object(x, r)) {
                    Map<String, ?> t = asMap(x);
                    c.closed(t, r, Set.of("type", "budgetTokens"));
                    c.enumValue(t, "type", r, List.of("enabled", "disabled"), true);
                    c.optional(t, "budgetTokens", r, y -> c.positiveInteger(y, join(r, "budgetTokens")));
                }
            });
            c.optional(o, "cacheControl", q, x -> {
                String r = join(q, "cacheControl");
                if (c.object(x, r)) {
                    Map<String, ?> t = asMap(x);
                    c.closed(t, r, Set.of("type", "ttl"));
                    c.enumValue(t, "type", r, List.of("ephemeral"), true);
                    c.optional(t, "ttl", r, y -> c.string(y, join(r, "ttl")));
                }
            });
            for (String k : List.of("disableParallelToolUse", "sendReasoning", "toolStreaming")) {
                c.optional(o, k, q, x -> c.bool(x, join(q, k)));
            }
            c.enumValue(o, "effort", q, List.of("high", "medium", "low"), false);
            c.enumValue(o, "structuredOutputMode", q, List.of("outputFormat", "jsonTool", "auto"), false);
        });
        c.optional(po, "google", p, v -> {
            String q = join(p, "google");
            if (!c.object(v, q)) {
                return;
            }
            Map<String, ?> o = asMap(v);
            c.closed(o, q, Set.of("thinkingConfig", "cachedContent", "structuredOutputs", "safetySettings",
                    "responseModalities"));
            c.optional(o, "thinkingConfig", q, x -> {
                String r = join(q, "thinkingConfig");
                if (c.object(x, r)) {
                    Map<String, ?> t = asMap(x);
                    c.closed(t, r, Set.of("thinkingLevel", "thinkingBudget", "includeThoughts"));
                    c.enumValue(t, "thinkingLevel", r, List.of("low", "high"), false);
                    c.optional(t, "thinkingBudget", r, y -> c.positiveInteger(y, join(r, "thinkingBudget")));
                    c.optional(t, "includeThoughts", r, y -> c.bool(y, join(r, "includeThoughts")));
                }
            });
            c.optional(o, "cachedContent", q, x -> c.string(x, join(q, "cachedContent")));
            c.optional(o, "structuredOutputs", q, x -> c.bool(x, join(q, "structuredOutputs")));
            c.optional(o, "safetySettings", q, x -> {
                String r = join(q, "safetySettings");
                if (!(x instanceof List<?> list)) {
                    c.issue(r, "must be an array");
                    return;
                }
                for (int i = 0; i < list.size(); i++) {
                    String s = r + "[" + i + "]";
                    if (c.object(list.get(i), s)) {
                        Map<String, ?> t = asMap(list.get(i));
                        c.closed(t, s, Set.of("category", "threshold"));
                        c.required(t, "category", s, y -> c.string(y, join(s, "category")));
                        c.required(t, "threshold", s, y -> c.string(y, join(s, "threshold")));
                    }
                }
            });
            c.optional(o, "responseModalities", q, x -> c.stringArray(x, join(q, "responseModalities")));
        });
        c.optional(po, "deepseek", p, v -> {
            String q = join(p, "deepseek");
            if (!c.object(v, q)) {
                return;
            }
            Map<String, ?> o = asMap(v);
            c.closed(o, q, Set.of("thinking"));
            c.optional(o, "thinking", q, x -> {
                String r = join(q, "thinking");
                if (c.object(x, r)) {
                    Map<String, ?> t = asMap(x);
                    c.closed(t, r, Set.of("type"));
                    c.enumValue(t, "type", r, List.of("enabled", "disabled"), true);
                }
            });
        });
        c.optional(po, "openrouter", p, v -> {
            String q = join(p, "openrouter");
            if (c.object(v, q)) {
                Map<String, ?> o = asMap(v);
                c.closed(o, q, Set.of("provider", "reasoning"));
                c.optional(o, "provider", q, x -> c.object(x, join(q, "provider")));
                c.optional(o, "reasoning", q, x -> c.object(x, join(q, "reasoning")));
            }
        });
        c.optional(po, "sno-gpu", p, v -> {
            String q = join(p, "sno-gpu");
            if (c.object(v, q)) {
                Map<String, ?> o = asMap(v);
                c.closed(o, q, Set.of("enableThinking", "thinkingBudget", "gpuPath"));
                c.optional(o, "enableThinking", q, x -> c.bool(x, join(q, "enableThinking")));
                c.optional(o, "thinkingBudget", q, x -> c.positiveInteger(x, join(q, "thinkingBudget")));
                c.optional(o, "gpuPath", q, x -> c.string(x, join(q, "gpuPath")));
            }
        });
        for (String passThrough : List.of("deepinfra", "novita", "together")) {
            c.optional(po, passThrough, p, v -> c.object(v, join(p, passThrough)));
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

        private static String describe(@Nullable Object v) {
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
