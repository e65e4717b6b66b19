package dev.llmix.internal.config;

import dev.llmix.config.CachingConfig;
import dev.llmix.config.CachingStrategy;
import dev.llmix.config.CommonParams;
import dev.llmix.config.InvalidConfigException;
import dev.llmix.config.LlmConfig;
import dev.llmix.config.TimeoutConfig;
import dev.llmix.internal.json.Jcs;
import dev.llmix.internal.json.StrictJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The camelCase JSON form of {@link LlmConfig} — the shape of a registry's resolved JSON and of an {@code .mda}
 * projection. Reading is strict (see {@link StrictJson}) and validates with {@link LlmConfigRules#validateConfig};
 * writing produces sorted keys (compact or the publisher's pretty form) with absent fields omitted.
 */
public final class LlmConfigJson {

    private LlmConfigJson() {
    }

    /**
     * Reads and validates a config from JSON bytes.
     *
     * @param source names the file in error messages
     * @throws InvalidConfigException for invalid JSON or a config that breaks a rule ("Schema validation failed for
     *                                &lt;source&gt;: path: message; …")
     */
    public static LlmConfig read(byte[] json, String source) {
        Map<String, @Nullable Object> map = StrictJson.parseObject(json, source);
        List<String> issues = LlmConfigRules.validateConfig(map);
        if (!issues.isEmpty()) {
            throw new InvalidConfigException("Schema validation failed for " + source + ": "
                    + String.join("; ", issues));
        }
        return fromMap(map, source);
    }

    /** Reads and validates a config from a JSON string; see {@link #read(byte[], String)}. */
    public static LlmConfig read(String json) {
        return read(json.getBytes(StandardCharsets.UTF_8), "<json>");
    }

    /** Compact JSON with sorted keys (RFC 8785 form). */
    public static String write(LlmConfig config) {
        return canonical(config, false);
    }

    /** The publisher's pretty form: sorted keys, two-space indentation, one trailing LF. */
    public static String writePretty(LlmConfig config) {
        return canonical(config, true);
    }

    /** JCS of the config; a value JCS cannot write (a non-finite number) is an invalid config, as on reading. */
    private static String canonical(LlmConfig config, boolean pretty) {
        Map<String, Object> map = toMap(config);
        try {
            return pretty ? Jcs.pretty(map) : Jcs.canonicalize(map);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException("Invalid config " + config.provider() + "/" + config.model() + ": "
                    + e.getMessage(), e);
        }
    }

    /** The config as a JSON-like map in camelCase; absent ({@code null}) fields are omitted. */
    public static Map<String, Object> toMap(LlmConfig config) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("provider", config.provider());
        m.put("model", config.model());
        putIfPresent(m, "baseUrl", config.baseUrl());
        putIfPresent(m, "responseFormat", config.responseFormat());
        CommonParams c = config.common();
        if (c != null) {
            Map<String, Object> common = new LinkedHashMap<>();
            putIfPresent(common, "temperature", c.temperature());
            putIfPresent(common, "maxOutputTokens", c.maxOutputTokens());
            putIfPresent(common, "topP", c.topP());
            putIfPresent(common, "topK", c.topK());
            putIfPresent(common, "presencePenalty", c.presencePenalty());
            putIfPresent(common, "frequencyPenalty", c.frequencyPenalty());
            putIfPresent(common, "stopSequences", c.stopSequences());
            putIfPresent(common, "seed", c.seed());
            putIfPresent(common, "maxRetries", c.maxRetries());
            putIfPresent(common, "enableThinking", c.enableThinking());
            putIfPresent(common, "keepThinkingOutput", c.keepThinkingOutput());
            m.put("common", common);
        }
        putIfPresent(m, "providerOptions", config.providerOptions());
        TimeoutConfig t = config.timeout();
        if (t != null) {
            Map<String, Object> timeout = new LinkedHashMap<>();
            putIfPresent(timeout, "totalTime", t.totalTime());
            putIfPresent(timeout, "streamFirstChunkTime", t.streamFirstChunkTime());
            m.put("timeout", timeout);
        }
        CachingConfig k = config.caching();
        if (k != null) {
            Map<String, Object> caching = new LinkedHashMap<>();
            caching.put("strategy", k.strategy().wireName());
            putIfPresent(caching, "key", k.key());
            putIfPresent(caching, "ttl", k.ttl());
            putIfPresent(caching, "maxItems", k.maxItems());
            m.put("caching", caching);
        }
        putIfPresent(m, "description", config.description());
        putIfPresent(m, "deprecated", config.deprecated());
        putIfPresent(m, "tags", config.tags());
        putIfPresent(m, "bypassGateway", config.bypassGateway());
        return m;
    }

    /**
     * Maps an already validated JSON-like map to an {@link LlmConfig}. Besides the validated keys it also maps
     * {@code baseUrl} and {@code responseFormat} when present (they are not part of the preset schema).
     *
     * @param source names the file in error messages
     * @throws InvalidConfigException when a value has the wrong type or does not fit its Java field
     */
    public static LlmConfig fromMap(Map<String, ?> map, String source) {
        Mapper x = new Mapper(source);
        LlmConfig.Builder b = LlmConfig.builder(x.requiredString(map, "provider"), x.requiredString(map, "model"));
        b.baseUrl(x.string(map, "baseUrl"));
        b.responseFormat(x.model(map.get("responseFormat"), "responseFormat"));
        Map<String, ?> common = x.object(map, "common");
        if (common != null) {
            b.common(CommonParams.builder()
                    .temperature(x.number(common, "common.temperature"))
                    .maxOutputTokens(x.number(common, "common.maxOutputTokens"))
                    .topP(x.number(common, "common.topP"))
                    .topK(x.number(common, "common.topK"))
                    .presencePenalty(x.number(common, "common.presencePenalty"))
                    .frequencyPenalty(x.number(common, "common.frequencyPenalty"))
                    .stopSequences(x.strings(common, "common.stopSequences"))
                    .seed(x.number(common, "common.seed"))
                    .maxRetries(x.intValue(common, "common.maxRetries"))
                    .enableThinking(x.bool(common, "common.enableThinking"))
                    .keepThinkingOutput(x.bool(common, "common.keepThinkingOutput"))
                    .build());
        }
        Map<String, ?> po = x.object(map, "providerOptions");
        if (po != null) {
            @SuppressWarnings("unchecked")
            Map<String, @Nullable Object> frozen = (Map<String, @Nullable Object>) x.model(po, "providerOptions");
            b.providerOptions(frozen);
        }
        Map<String, ?> timeout = x.object(map, "timeout");
        if (timeout != null) {
            b.timeout(new TimeoutConfig(x.number(timeout, "timeout.totalTime"),
                    x.number(timeout, "timeout.streamFirstChunkTime")));
        }
        Map<String, ?> caching = x.object(map, "caching");
        if (caching != null) {
            String strategy = x.requiredString(caching, "caching.strategy");
            CachingStrategy parsed;
            try {
                parsed = CachingStrategy.fromWireName(strategy);
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigException("Invalid config " + source + ": caching.strategy: " + e.getMessage());
            }
            b.caching(new CachingConfig(parsed, x.string(caching, "caching.key"), x.number(caching, "caching.ttl"),
                    x.intValue(caching, "caching.maxItems")));
        }
        b.description(x.string(map, "description"));
        b.deprecated(x.bool(map, "deprecated"));
        b.tags(x.strings(map, "tags"));
        b.bypassGateway(x.bool(map, "bypassGateway"));
        return b.build();
    }

    private static void putIfPresent(Map<String, Object> m, String key, @Nullable Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    /** Typed reads that name the source file and the field on failure. */
    private record Mapper(String source) {

        private static String last(String path) {
            int dot = path.lastIndexOf('.');
            return dot < 0 ? path : path.substring(dot + 1);
        }

        private InvalidConfigException error(String path, String message) {
            return new InvalidConfigException("Invalid config " + source + ": " + path + ": " + message);
        }

        /** {@link StrictJson#toModel(Object)}, its refusals (non-finite numbers, depth) as typed errors. */
        @Nullable Object model(@Nullable Object value, String path) {
            try {
                return StrictJson.toModel(value);
            } catch (IllegalArgumentException e) {
                throw error(path, e.getMessage());
            }
        }

        String requiredString(Map<String, ?> m, String path) {
            String s = string(m, path);
            if (s == null) {
                throw error(path, "is required");
            }
            return s;
        }

        @Nullable String string(Map<String, ?> m, String path) {
            Object v = m.get(last(path));
            if (v == null) {
                return null;
            }
            if (!(v instanceof String s)) {
                throw error(path, "must be a string");
            }
            return s;
        }

        @Nullable Boolean bool(Map<String, ?> m, String path) {
            Object v = m.get(last(path));
            if (v == null) {
                return null;
            }
            if (!(v instanceof Boolean b)) {
                throw error(path, "must be a boolean");
            }
            return b;
        }

        @Nullable Number number(Map<String, ?> m, String path) {
            Object v = m.get(last(path));
            if (v == null) {
                return null;
            }
            if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                throw error(path, "must be a finite number");
            }
            return StrictJson.normalizeNumber(n);
        }

        @Nullable Integer intValue(Map<String, ?> m, String path) {
            Number n = number(m, path);
            if (n == null) {
                return null;
            }
            if (!(n instanceof Integer i)) {
                throw error(path, "must be an integer between -2147483648 and 2147483647");
            }
            return i;
        }

        @Nullable List<String> strings(Map<String, ?> m, String path) {
            Object v = m.get(last(path));
            if (v == null) {
                return null;
            }
            if (!(v instanceof List<?> list)) {
                throw error(path, "must be an array of strings");
            }
            List<String> out = new ArrayList<>(list.size());
            for (Object o : list) {
                if (!(o instanceof String s)) {
                    throw error(path, "must be an array of strings");
                }
                out.add(s);
            }
            return out;
        }

        @SuppressWarnings("unchecked")
        @Nullable Map<String, ?> object(Map<String, ?> m, String path) {
            Object v = m.get(last(path));
            if (v == null) {
                return null;
            }
            if (!(v instanceof Map<?, ?>)) {
                throw error(path, "must be an object");
            }
            return (Map<String, ?>) v;
        }
    }
}
