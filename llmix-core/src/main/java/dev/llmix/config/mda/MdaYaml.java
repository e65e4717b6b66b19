package dev.llmix.config.mda;

import dev.llmix.config.mda.MdaConfigException;
import dev.llmix.config.mda.MdaErrorCategory;
import dev.llmix.internal.json.StrictJson;
import dev.llmix.internal.JsNumbers;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.parser.Parser;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.resolver.CoreScalarResolver;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.schema.CoreSchema;
import org.snakeyaml.engine.v2.schema.Schema;

/**
 * Parses frontmatter as YAML 1.2 (core schema) into the JSON-like model, safely: only JSON types are constructed,
 * duplicate keys are errors, and nesting depth, alias count, node count and input size are bounded, so hostile
 * input fails with {@code frontmatter-yaml-parse-error} instead of exhausting stack or memory.
 */
public final class MdaYaml {

    /** Maximum nesting of mappings and sequences. */
    public static final int MAX_DEPTH = 64;
    /** Maximum number of parse events (roughly: scalars plus collections). */
    public static final int MAX_EVENTS = 200_000;
    /** Maximum number of values after alias expansion. */
    public static final int MAX_NODES = 200_000;
    /** Maximum number of aliases to collections. */
    public static final int MAX_ALIASES = 50;
    /** Maximum frontmatter size in code points. */
    public static final int MAX_CODE_POINTS = 4 * 1024 * 1024;

    /** YAML 1.2 core schema; {@code <<} is an ordinary key there, so the merge-key resolver is left out. */
    private static final Schema CORE_WITHOUT_MERGE = new CoreSchema() {
        private final ScalarResolver resolver = new CoreScalarResolver(false);

        @Override
        public ScalarResolver getScalarResolver() {
            return resolver;
        }
    };

    private MdaYaml() {
    }

    /**
     * Settings of the first attempt at every file: no label and no marks (a mark per token is most of the parser's
     * allocation), shared by all files. Only a file that fails is parsed again with {@link #settings(String)}, so its
     * error names the file, the line and the column exactly as before (docs/performance.md, start-up validation).
     */
    private static final LoadSettings FAST = builder().setUseMarks(false).build();

    private static LoadSettings settings(String source) {
        return builder().setLabel(source).setUseMarks(true).build();
    }

    private static org.snakeyaml.engine.v2.api.LoadSettingsBuilder builder() {
        return LoadSettings.builder()
                .setSchema(CORE_WITHOUT_MERGE)
                .setAllowDuplicateKeys(false)
                .setAllowRecursiveKeys(false)
                .setAllowNonScalarKeys(false)
                .setMaxAliasesForCollections(MAX_ALIASES)
                .setCodePointLimit(MAX_CODE_POINTS);
    }

    /**
     * Parses frontmatter text; a document that is empty, only comments, or {@code null} gives an empty map.
     *
     * @throws MdaConfigException {@code frontmatter-yaml-parse-error} for syntax errors, duplicate keys, a root that
     *                            is not a mapping, non-JSON values or exceeded limits
     */
    public static Map<String, @Nullable Object> parseFrontmatter(String text, String source) {
        return parseFrontmatter(text, source, 1);
    }

    /**
     * Like {@link #parseFrontmatter(String, String)} for frontmatter that starts on line {@code firstLine} of its
     * file, so that the line numbers in error messages are the file's (an {@code .mda} frontmatter starts on line 2,
     * after the opening {@code ---}).
     */
    public static Map<String, @Nullable Object> parseFrontmatter(String text, String source, int firstLine) {
        Object raw;
        try {
            try {
                raw = new BoundedLoad(FAST, source).loadFromString(text);
            } catch (RuntimeException | StackOverflowError fast) {
                // Parse again with marks and the file's label: the error then carries its line and column.
                LoadSettings settings = settings(source);
                raw = new BoundedLoad(settings, source).loadFromString(text);
            }
        } catch (MdaConfigException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            String message = firstLine(e.getMessage());
            if (message != null && firstLine != 1) {
                message = FileLines.shift(message, firstLine - 1);
            }
            throw error(source, message, e);
        }
        if (raw == null) {
            return Map.of();
        }
        if (!(raw instanceof Map<?, ?>)) {
            throw error(source, "the frontmatter must be a mapping, not a " + (raw instanceof List<?> ? "sequence"
                    : "scalar"), null);
        }
        int[] budget = {MAX_NODES};
        @SuppressWarnings("unchecked")
        Map<String, @Nullable Object> result = (Map<String, @Nullable Object>) convert(raw, 0, budget, source);
        return result;
    }

    /**
     * A {@link Load} whose composer reads events through a {@link BoundedParser}: one pass over the text, with depth and
     * size bounded before the recursive composer goes one level deeper (docs/performance.md, start-up validation).
     */
    private static final class BoundedLoad extends Load {
        private final LoadSettings settings;
        private final String source;

        BoundedLoad(LoadSettings settings, String source) {
            super(settings);
            this.settings = settings;
            this.source = source;
        }

        @Override
        protected Composer createComposer(String yaml) {
            return new Composer(settings, new BoundedParser(
                    new ParserImpl(settings, new StreamReader(settings, yaml)), source));
        }
    }

    /**
     * Counts the events the composer consumes and the nesting they open, and fails as soon as either passes its bound:
     * the parser itself is not recursive, so this stops hostile nesting before the composer's recursion sees it.
     */
    private static final class BoundedParser implements Parser {
        private final Parser delegate;
        private final String source;
        private int depth;
        private int events;

        BoundedParser(Parser delegate, String source) {
            this.delegate = delegate;
            this.source = source;
        }

        @Override
        public boolean checkEvent(Event.ID choice) {
            return delegate.checkEvent(choice);
        }

        @Override
        public Event peekEvent() {
            return delegate.peekEvent();
        }

        @Override
        public boolean hasNext() {
            return delegate.hasNext();
        }

        @Override
        public Event next() {
            Event event = delegate.next();
            if (++events > MAX_EVENTS) {
                throw error(source, "more than " + MAX_EVENTS + " YAML nodes", null);
            }
            switch (event.getEventId()) {
                case MappingStart, SequenceStart -> {
                    if (++depth > MAX_DEPTH) {
                        throw error(source, "nested deeper than " + MAX_DEPTH + " levels", null);
                    }
                }
                case MappingEnd, SequenceEnd -> depth--;
                default -> {
                }
            }
            return event;
        }
    }

    private static @Nullable Object convert(@Nullable Object raw, int depth, int[] budget, String source) {
        if (--budget[0] < 0) {
            throw error(source, "more than " + MAX_NODES + " values after alias expansion", null);
        }
        if (depth > MAX_DEPTH) {
            throw error(source, "nested deeper than " + MAX_DEPTH + " levels (recursive alias?)", null);
        }
        if (raw == null || raw instanceof String || raw instanceof Boolean) {
            return raw;
        }
        if (raw instanceof Integer || raw instanceof Long || raw instanceof BigInteger || raw instanceof Double
                || raw instanceof Float) {
            return StrictJson.normalizeNumber((Number) raw);
        }
        if (raw instanceof Map<?, ?> map) {
            Map<String, @Nullable Object> copy = new LinkedHashMap<>(Math.max(4, map.size() * 2));
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = keyString(e.getKey(), source);
                if (copy.containsKey(key)) {
                    throw error(source, "duplicate key \"" + key + "\"", null);
                }
                copy.put(key, convert(e.getValue(), depth + 1, budget, source));
            }
            return Collections.unmodifiableMap(copy);
        }
        if (raw instanceof List<?> list) {
            List<@Nullable Object> copy = new ArrayList<>(list.size());
            for (Object o : list) {
                copy.add(convert(o, depth + 1, budget, source));
            }
            return Collections.unmodifiableList(copy);
        }
        throw error(source, "unsupported YAML value of type " + raw.getClass().getSimpleName()
                + " (only JSON-compatible values are allowed)", null);
    }

    /** Non-string keys become what JavaScript's {@code String(x)} prints for the parsed scalar. */
    private static String keyString(@Nullable Object key, String source) {
        if (key == null) {
            return "null";
        }
        if (key instanceof String s) {
            return s;
        }
        if (key instanceof Boolean b) {
            return b.toString();
        }
        if (key instanceof Number n) {
            return JsNumbers.toString(n.doubleValue());
        }
        throw error(source, "mapping keys must be scalars", null);
    }

    private static MdaConfigException error(String source, @Nullable String message, @Nullable Throwable cause) {
        return new MdaConfigException(MdaErrorCategory.FRONTMATTER_YAML_PARSE_ERROR,
                "Invalid YAML frontmatter in " + source + ": " + (message == null ? "parse error" : message), Map.of(),
                cause);
    }

    private static @Nullable String firstLine(@Nullable String s) {
        if (s == null) {
            return null;
        }
        String line = s.strip().replaceAll("\\s+", " ");
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }
}
