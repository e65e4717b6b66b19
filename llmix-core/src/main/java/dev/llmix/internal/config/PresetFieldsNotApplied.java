package dev.llmix.internal.config;

import dev.llmix.config.CachingConfig;
import dev.llmix.config.CommonParams;
import dev.llmix.config.LlmConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The preset fields that every binding validates but no pipeline applies per call — {@code common.maxRetries},
 * {@code caching.ttl}, {@code caching.maxItems} (docs/presets.md): the application's retry and cache settings count.
 * They stay valid so one preset file serves every binding; loading one logs a warning once per preset source, so
 * the field is never ignored silently. Not part of the supported API.
 */
public final class PresetFieldsNotApplied {

    private static final Logger LOG = LoggerFactory.getLogger(PresetFieldsNotApplied.class);
    /** Sources already warned about; bounded so presets read again and again cannot grow it without limit. */
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();
    private static final int MAX_REMEMBERED = 1024;

    private PresetFieldsNotApplied() {
    }

    /** The not-applied fields {@code config} sets, by their preset names, in a fixed order. */
    public static List<String> of(LlmConfig config) {
        List<String> fields = new ArrayList<>(3);
        CommonParams common = config.common();
        if (common != null && common.maxRetries() != null) {
            fields.add("common.maxRetries");
        }
        CachingConfig caching = config.caching();
        if (caching != null && caching.ttl() != null) {
            fields.add("caching.ttl");
        }
        if (caching != null && caching.maxItems() != null) {
            fields.add("caching.maxItems");
        }
        return fields;
    }

    /**
     * Logs one warning naming the not-applied fields of the preset loaded from {@code source}, the first time that
     * source is seen; returns whether it logged.
     */
    public static boolean warnOnce(LlmConfig config, String source) {
        List<String> fields = of(config);
        if (fields.isEmpty() || WARNED.contains(source)) {
            return false;
        }
        if (WARNED.size() >= MAX_REMEMBERED) {
            WARNED.clear();
        }
        if (!WARNED.add(source)) {
            return false;
        }
        LOG.warn("Preset {} sets {}: valid, but not applied per call; the application's retry and cache settings "
                + "count (llmix.pipeline.max-retries, llmix.cache.ttl, llmix.cache.max-items). See docs/presets.md.",
                source, String.join(", ", fields));
        return true;
    }
}
