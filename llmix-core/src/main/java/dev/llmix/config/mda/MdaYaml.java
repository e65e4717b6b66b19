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
import org.snakeyaml.engine.v2.api.ConstructNode;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;
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

    /**
     * SnakeYAML's YAML 1.2 core schema and what the readers use of it, built on first use: loading and initialising
     * SnakeYAML is a noticeable part of a cold start-up, and a frontmatter whose scalars the plain-subset reader types
     * itself never needs it (docs/performance.md, start-up validation).
     */
    private static final class Core {
        /** YAML 1.2 core schema; {@code <<} is an ordinary key there, so the merge-key resolver is left out. */
        static final Schema SCHEMA = new CoreSchema() {
            private final ScalarResolver resolver = new CoreScalarResolver(false);

            @Override
            public ScalarResolver getScalarResolver() {
                return resolver;
            }
        };
        static final Map<Tag, ConstructNode> CONSTRUCTORS = SCHEMA.getSchemaTagConstructors();
        static final ScalarResolver RESOLVER = SCHEMA.getScalarResolver();

        private Core() {
        }
    }

    /**
     * The first characters for which the core schema's resolver tries a pattern (booleans, numbers, null,
     * environment variables; merge keys for safety); any other non-empty plain scalar resolves to a string, so
     * the reader takes it as one without running the resolver's regular expressions.
     */
    private static final String RESOLVED_FIRST = "tfTFnN~ -+0123456789.$<";

    private MdaYaml() {
    }

    /**
     * Settings of the first attempt at every file: no label and no marks (a mark per token is most of the parser's
     * allocation), shared by all files. Only a file that fails is parsed again with {@link #settings(String)}, so its
     * error names the file, the line and the column exactly as before (docs/performance.md, start-up validation).
     * Built on first use: a frontmatter the plain-subset reader takes never needs SnakeYAML's parser.
     */
    private static final class Fast {
        static final LoadSettings SETTINGS = builder().setUseMarks(false).build();

        private Fast() {
        }
    }

    private static LoadSettings settings(String source) {
        return builder().setLabel(source).setUseMarks(true).build();
    }

    private static org.snakeyaml.engine.v2.api.LoadSettingsBuilder builder() {
        return LoadSettings.builder()
                .setSchema(Core.SCHEMA)
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
        // Cheapest first: the plain subset by hand, then the parser's events, then SnakeYAML's composer, which alone
        // reports errors (docs/performance.md, start-up validation).
        Map<String, @Nullable Object> direct = PlainYamlReader.read(text);
        if (direct == null) {
            direct = EventReader.read(text);
        }
        if (direct != null) {
            return direct;
        }
        return composed(text, source, firstLine);
    }

    /** The plain-subset reader alone: its model, or {@code null} when the text is not in its subset (for tests). */
    static @Nullable Map<String, @Nullable Object> readPlainSubset(String text) {
        return PlainYamlReader.read(text);
    }

    /** The event reader alone: its model, or {@code null} when the text is not in its subset (for tests). */
    static @Nullable Map<String, @Nullable Object> readEvents(String text) {
        return EventReader.read(text);
    }

    /** SnakeYAML's composer and constructor, the reference the faster readers must agree with. */
    static Map<String, @Nullable Object> composed(String text, String source, int firstLine) {
        Object raw;
        try {
            try {
                raw = new BoundedLoad(Fast.SETTINGS, source).loadFromString(text);
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
     * Builds the JSON model straight from the parser's events, without SnakeYAML's composer and constructor (their node
     * tree and its second copy were most of the work of validating presets at start-up; docs/performance.md, start-up
     * validation). It reads only the plain subset presets use: one document whose root is a mapping, untagged
     * scalars, scalar keys, no anchors or aliases, no repeated key, within the depth and size bounds. Anything else,
     * and any error, returns {@code null}, and the file then goes through the composer exactly as before, so errors,
     * their line and column, and what is accepted do not change.
     */
    private static final class EventReader {
        private final Parser parser;
        private int events;
        private int nodes;

        private EventReader(Parser parser) {
            this.parser = parser;
        }

        static @Nullable Map<String, @Nullable Object> read(String text) {
            try {
                LoadSettings settings = Fast.SETTINGS;
                EventReader reader = new EventReader(new ParserImpl(settings, new StreamReader(settings, text)));
                return reader.document();
            } catch (RuntimeException | StackOverflowError e) {
                return null;
            }
        }

        private @Nullable Map<String, @Nullable Object> document() {
            if (next().getEventId() != Event.ID.StreamStart || next().getEventId() != Event.ID.DocumentStart) {
                return null;
            }
            Event start = next();
            if (start.getEventId() != Event.ID.MappingStart || !plainCollection(start)) {
                return null;
            }
            Map<String, @Nullable Object> root = mapping(1);
            if (root == null || next().getEventId() != Event.ID.DocumentEnd
                    || next().getEventId() != Event.ID.StreamEnd) {
                return null;
            }
            return root;
        }

        private Event next() {
            if (++events > MAX_EVENTS) {
                throw new IllegalStateException("too many events");
            }
            return parser.next();
        }

        /** The mapping whose start event was just read, at nesting {@code depth}; null when not in the subset. */
        private @Nullable Map<String, @Nullable Object> mapping(int depth) {
            if (depth > MAX_DEPTH || ++nodes > MAX_NODES) {
                return null;
            }
            Map<String, @Nullable Object> map = new LinkedHashMap<>();
            while (true) {
                Event k = next();
                if (k.getEventId() == Event.ID.MappingEnd) {
                    return Collections.unmodifiableMap(map);
                }
                if (k.getEventId() != Event.ID.Scalar) {
                    return null;
                }
                ScalarEvent keyEvent = (ScalarEvent) k;
                if (!plainScalar(keyEvent)) {
                    return null;
                }
                String key = keyString(scalar(keyEvent), "");
                if (map.containsKey(key)) {
                    return null;
                }
                Event v = next();
                Object[] value = value(v, depth);
                if (value == null) {
                    return null;
                }
                map.put(key, value[0]);
            }
        }

        /** The sequence whose start event was just read. */
        private @Nullable List<@Nullable Object> sequence(int depth) {
            if (depth > MAX_DEPTH || ++nodes > MAX_NODES) {
                return null;
            }
            List<@Nullable Object> list = new ArrayList<>();
            while (true) {
                Event e = next();
                if (e.getEventId() == Event.ID.SequenceEnd) {
                    return Collections.unmodifiableList(list);
                }
                Object[] value = value(e, depth);
                if (value == null) {
                    return null;
                }
                list.add(value[0]);
            }
        }

        /** A one-element holder of the value starting with {@code e} (values may be null); null when not in the subset. */
        private Object @Nullable [] value(Event e, int depth) {
            switch (e.getEventId()) {
                case Scalar -> {
                    ScalarEvent scalar = (ScalarEvent) e;
                    if (!plainScalar(scalar) || ++nodes > MAX_NODES) {
                        return null;
                    }
                    Object v = scalar(scalar);
                    return new Object[] {v instanceof Number n ? StrictJson.normalizeNumber(n) : v};
                }
                case MappingStart -> {
                    if (!plainCollection(e)) {
                        return null;
                    }
                    Map<String, @Nullable Object> m = mapping(depth + 1);
                    return m == null ? null : new Object[] {m};
                }
                case SequenceStart -> {
                    if (!plainCollection(e)) {
                        return null;
                    }
                    List<@Nullable Object> l = sequence(depth + 1);
                    return l == null ? null : new Object[] {l};
                }
                default -> {
                    return null;
                }
            }
        }

        private static boolean plainCollection(Event e) {
            CollectionStartEvent c = (CollectionStartEvent) e;
            return c.getAnchor().isEmpty() && c.getTag().isEmpty();
        }

        private static boolean plainScalar(ScalarEvent e) {
            return e.getAnchor().isEmpty() && e.getTag().isEmpty();
        }

        /** What the composer and the core schema's constructors make of an untagged scalar (a null return is YAML null). */
        private static @Nullable Object scalar(ScalarEvent e) {
            return typed(e.getValue(), e.getImplicit().canOmitTagInPlainScalar(), e.getScalarStyle());
        }
    }

    /** What the composer and the core schema's constructors make of an untagged plain scalar (null is YAML null). */
    static @Nullable Object typedPlain(String value) {
        return typed(value, true, ScalarStyle.PLAIN);
    }

    private static @Nullable Object typed(String value, boolean implicit, ScalarStyle style) {
        Tag tag = implicit && !value.isEmpty() && RESOLVED_FIRST.indexOf(value.charAt(0)) < 0 ? Tag.STR
                : Core.RESOLVER.resolve(value, implicit);
        if (Tag.STR.equals(tag)) {
            return value;
        }
        if (!Tag.NULL.equals(tag) && !Tag.BOOL.equals(tag) && !Tag.INT.equals(tag) && !Tag.FLOAT.equals(tag)) {
            throw new IllegalStateException("not read directly: " + tag);
        }
        Object v = Core.CONSTRUCTORS.get(tag).construct(new ScalarNode(tag, value, style));
        if (v == null || v instanceof Boolean || v instanceof Integer || v instanceof Long
                || v instanceof BigInteger || v instanceof Double || v instanceof Float) {
            return v;
        }
        throw new IllegalStateException("not read directly: " + v.getClass());
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

    /** A typed scalar key as the model holds it ({@link #keyString(Object, String)} for keys known to be scalars). */
    static String keyText(@Nullable Object key) {
        return keyString(key, "");
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
