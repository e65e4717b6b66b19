package dev.llmix.internal.json;

import dev.llmix.config.InvalidConfigException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads registry and preset JSON the way JavaScript's {@code JSON.parse} would accept it, but stricter where that is
 * safer: strict UTF-8, no byte-order mark, no duplicate keys, no trailing content. The result is the immutable
 * JSON-like Java model (maps keep document order) with numbers normalized by {@link #normalizeNumber(Number)}.
 */
public final class StrictJson {

    /** Nesting deeper than this is rejected before it can exhaust the stack. */
    public static final int MAX_DEPTH = 100;

    /**
     * The mapper, built on first JSON parse only: building it loads and initialises much of Jackson, which reading
     * {@code .mda} presets (UTF-8 decoding and number normalization only) must not pay at start-up
     * (docs/performance.md, start-up validation).
     */
    private static final class Mapper {
        static final JsonMapper INSTANCE = JsonMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();

        private Mapper() {
        }
    }

    private StrictJson() {
    }

    /**
     * Decodes UTF-8 strictly (malformed input is reported, never replaced).
     *
     * @return the text, or {@code null} when the bytes are not valid UTF-8
     */
    public static @Nullable String decodeUtf8(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /**
     * Parses JSON bytes into the JSON-like model.
     *
     * @param source names the file in error messages
     * @throws InvalidConfigException for invalid UTF-8, a BOM, a syntax error, duplicate keys, excessive nesting or
     *                                a number beyond the range of a double (such as {@code 1e400})
     */
    public static @Nullable Object parse(byte[] bytes, String source) {
        String text = decodeUtf8(bytes);
        if (text == null) {
            throw new InvalidConfigException("Invalid JSON in " + source + ": not valid UTF-8");
        }
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            throw new InvalidConfigException("Invalid JSON in " + source + ": unexpected byte-order mark");
        }
        Object raw;
        try {
            raw = Mapper.INSTANCE.readValue(text, Object.class);
        } catch (JacksonException e) {
            throw new InvalidConfigException("Invalid JSON in " + source + ": " + e.getOriginalMessage(), e);
        }
        try {
            return toModel(raw, 0);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException("Invalid JSON in " + source + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses JSON bytes that must hold an object.
     *
     * @throws InvalidConfigException as {@link #parse(byte[], String)}, or when the root is not an object
     */
    @SuppressWarnings("unchecked")
    public static Map<String, @Nullable Object> parseObject(byte[] bytes, String source) {
        Object value = parse(bytes, source);
        if (!(value instanceof Map<?, ?>)) {
            throw new InvalidConfigException("Invalid JSON in " + source + ": expected an object");
        }
        return (Map<String, @Nullable Object>) value;
    }

    /**
     * The number form every LLMix JSON value uses: integral values become {@code Integer} (or {@code Long} up to
     * 2^53), everything else a {@code Double}; {@code -0} becomes {@code 0}. YAML and JSON sources therefore compare
     * equal when they denote the same IEEE-754 value, as in JavaScript.
     */
    public static Number normalizeNumber(Number n) {
        double d = n.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d) || d != Math.rint(d)) {
            return d;
        }
        if (Math.abs(d) <= Integer.MAX_VALUE) {
            return (int) d;
        }
        if (Math.abs(d) <= 9007199254740992d) {
            return (long) d;
        }
        return d;
    }

    /**
     * Deep, immutable copy of a JSON-like value with normalized numbers.
     *
     * @throws IllegalArgumentException for non-JSON types, non-finite numbers or nesting deeper than
     *                                  {@link #MAX_DEPTH}
     */
    public static @Nullable Object toModel(@Nullable Object raw) {
        return toModel(raw, 0);
    }

    private static @Nullable Object toModel(@Nullable Object raw, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("nested deeper than " + MAX_DEPTH + " levels");
        }
        if (raw == null || raw instanceof String || raw instanceof Boolean) {
            return raw;
        }
        if (raw instanceof Number n) {
            // 1e400 parses to Infinity, which no JSON writer (nor JCS, nor a signature digest) can represent: a value
            // that could be read but never written back is refused here, typed, before anything else looks at it.
            if (!Double.isFinite(n.doubleValue())) {
                throw new IllegalArgumentException("number out of range (not a finite double): " + n);
            }
            return normalizeNumber(n);
        }
        if (raw instanceof Map<?, ?> map) {
            Map<String, @Nullable Object> copy = new LinkedHashMap<>(Math.max(4, map.size() * 2));
            for (Map.Entry<?, ?> e : map.entrySet()) {
                copy.put(String.valueOf(e.getKey()), toModel(e.getValue(), depth + 1));
            }
            return Collections.unmodifiableMap(copy);
        }
        if (raw instanceof List<?> list) {
            List<@Nullable Object> copy = new ArrayList<>(list.size());
            for (Object o : list) {
                copy.add(toModel(o, depth + 1));
            }
            return Collections.unmodifiableList(copy);
        }
        throw new IllegalArgumentException("not a JSON value: " + raw.getClass().getSimpleName());
    }
}
