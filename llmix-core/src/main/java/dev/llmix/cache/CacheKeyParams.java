package dev.llmix.cache;

import dev.llmix.internal.json.CanonicalWriter;
import dev.llmix.internal.json.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The 15 request fields a response-cache key is derived from. The canonical JSON text is
 * computed once, when the instance is built, so an instance is immutable even if the caller later changes the lists
 * or maps it was built from; unsupported values are rejected at that point with an {@link IllegalArgumentException}.
 *
 * <p>Values are the plain-Java JSON model accepted by {@link CanonicalJson}. A field that is {@code null}, undefined
 * or a non-finite number is left out of the key.
 */
public final class CacheKeyParams {

    /** The key fields in canonical (= alphabetical) order. */
    static final List<String> FIELDS = List.of("baseUrl", "enableThinking", "frequencyPenalty", "maxOutputTokens",
            "messages", "model", "presencePenalty", "provider", "providerOptions", "responseFormat", "seed",
            "stopSequences", "temperature", "topK", "topP");

    private static final int BASE_URL = 0;
    private static final int ENABLE_THINKING = 1;
    private static final int FREQUENCY_PENALTY = 2;
    private static final int MAX_OUTPUT_TOKENS = 3;
    private static final int MESSAGES = 4;
    private static final int MODEL = 5;
    private static final int PRESENCE_PENALTY = 6;
    private static final int PROVIDER = 7;
    private static final int PROVIDER_OPTIONS = 8;
    private static final int RESPONSE_FORMAT = 9;
    private static final int SEED = 10;
    private static final int STOP_SEQUENCES = 11;
    private static final int TEMPERATURE = 12;
    private static final int TOP_K = 13;
    private static final int TOP_P = 14;

    /** The canonical JSON text as UTF-8: what is hashed, kept in the form the hash needs. */
    private final byte[] utf8;

    /** The canonical text, decoded on first request (debugging only); a benign race may decode it twice. */
    private @Nullable String text;

    private CacheKeyParams(@Nullable Object[] values) {
        CanonicalWriter w = CanonicalWriter.borrow();
        render(w, values, null);
        this.utf8 = w.toByteArray();
        w.release();
    }

    /** A builder with every field unset. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Params from a dynamically typed map (e.g. decoded JSON): the 15 key fields are taken as they are, whatever their
     * type, and every other entry is ignored.
     *
     * @throws IllegalArgumentException when a kept value cannot be represented as canonical JSON
     */
    public static CacheKeyParams fromMap(Map<String, ?> raw) {
        @Nullable Object[] values = new Object[FIELDS.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = raw.get(FIELDS.get(i));
        }
        return new CacheKeyParams(values);
    }

    /** The canonical JSON text that is hashed into the key. */
    String canonical() {
        String t = text;
        if (t == null) {
            t = new String(utf8, StandardCharsets.UTF_8);
            text = t;
        }
        return t;
    }

    /** The key for these params: {@code prefix} + hex SHA-256 of the canonical UTF-8 bytes. */
    String key(String prefix) {
        CanonicalWriter w = CanonicalWriter.borrow();
        String key = w.sha256Key(prefix, utf8, utf8.length);
        w.release();
        return key;
    }

    /**
     * The key {@code builder} would give, without keeping the canonical text: the pipeline's per-call path, which
     * needs only the key.
     */
    static String key(@Nullable Object[] values, String prefix) {
        CanonicalWriter w = CanonicalWriter.borrow();
        render(w, values, null);
        String key = w.sha256Key(prefix);
        w.release();
        return key;
    }

    /**
     * {@link #key(Object[], String)} that also stores in {@code payloadChars[0]} the UTF-16 length of the canonical
     * JSON of {@code messages}, {@code providerOptions} and {@code responseFormat}: the size a rate budget prices
     * (docs/rate-limits.md), read from the text already rendered for the key instead of serialising again.
     */
    static String key(@Nullable Object[] values, String prefix, long[] payloadChars) {
        CanonicalWriter w = CanonicalWriter.borrow();
        int[] ranges = new int[6];
        render(w, values, ranges);
        long chars = 0;
        for (int i = 0; i < ranges.length; i += 2) {
            chars += utf16Length(w.buffer(), ranges[i], ranges[i + 1]);
        }
        payloadChars[0] = chars;
        String key = w.sha256Key(prefix);
        w.release();
        return key;
    }

    /** UTF-16 units of the UTF-8 bytes {@code [from, to)}: one per lead byte, two for a 4-byte sequence. */
    private static long utf16Length(byte[] buf, int from, int to) {
        long n = 0;
        for (int i = from; i < to; i++) {
            int b = buf[i] & 0xFF;
            if ((b & 0xC0) != 0x80) {
                n += b >= 0xF0 ? 2 : 1;
            }
        }
        return n;
    }

    private static void render(CanonicalWriter w, @Nullable Object[] values, int @Nullable [] ranges) {
        w.writeByte('{');
        boolean first = true;
        for (int i = 0; i < values.length; i++) {
            Object value = values[i];
            if (isLeftOut(value)) {
                continue;
            }
            if (!first) {
                w.writeByte(',');
            }
            first = false;
            w.writeByte('"');
            w.writeAscii(FIELDS.get(i));
            w.writeByte('"');
            w.writeByte(':');
            int start = w.position();
            CanonicalJson.writeValue(w, value, 1);
            if (ranges != null) {
                int slot = i == MESSAGES ? 0 : i == PROVIDER_OPTIONS ? 2 : i == RESPONSE_FORMAT ? 4 : -1;
                if (slot >= 0) {
                    ranges[slot] = start;
                    ranges[slot + 1] = w.position();
                }
            }
        }
        w.writeByte('}');
    }

    /** Top-level exclusion: null, undefined, NaN and the infinities. */
    private static boolean isLeftOut(@Nullable Object value) {
        if (value == null || CanonicalJson.isUndefined(value)) {
            return true;
        }
        if (value instanceof Number n) {
            return !Double.isFinite(n.doubleValue());
        }
        if (value instanceof JsonNode node) {
            return node.isNull() || (node.isNumber() && !Double.isFinite(node.numberValue().doubleValue()));
        }
        return false;
    }

    /** Equal when the canonical texts (and so the keys) are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof CacheKeyParams other && Arrays.equals(utf8, other.utf8);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(utf8);
    }

    /** Does not print the fields: messages may hold personal data. */
    @Override
    public String toString() {
        return "CacheKeyParams[" + canonical().length() + " canonical chars]";
    }

    /** Collects the key fields; {@code null} leaves a field unset. Not thread-safe. */
    public static final class Builder {

        private final @Nullable Object[] values = new Object[FIELDS.size()];

        private Builder() {
        }

        /** Provider name, e.g. {@code openai}. */
        public Builder provider(@Nullable String provider) {
            values[PROVIDER] = provider;
            return this;
        }

        /** Model identifier. */
        public Builder model(@Nullable String model) {
            values[MODEL] = model;
            return this;
        }

        /** Chat messages as JSON-like values (maps with {@code role}, {@code content}, …). */
        public Builder messages(@Nullable List<?> messages) {
            values[MESSAGES] = messages;
            return this;
        }

        /** The effective base URL after the provider transform; callers pass {@code null} for an empty one. */
        public Builder baseUrl(@Nullable String baseUrl) {
            values[BASE_URL] = baseUrl;
            return this;
        }

        /** Whether thinking was requested. */
        public Builder enableThinking(@Nullable Boolean enableThinking) {
            values[ENABLE_THINKING] = enableThinking;
            return this;
        }

        /** Frequency penalty. */
        public Builder frequencyPenalty(@Nullable Number frequencyPenalty) {
            values[FREQUENCY_PENALTY] = frequencyPenalty;
            return this;
        }

        /** Output token cap. */
        public Builder maxOutputTokens(@Nullable Number maxOutputTokens) {
            values[MAX_OUTPUT_TOKENS] = maxOutputTokens;
            return this;
        }

        /** Presence penalty. */
        public Builder presencePenalty(@Nullable Number presencePenalty) {
            values[PRESENCE_PENALTY] = presencePenalty;
            return this;
        }

        /** Provider-specific options, as a JSON object. */
        public Builder providerOptions(@Nullable Map<String, ?> providerOptions) {
            values[PROVIDER_OPTIONS] = providerOptions;
            return this;
        }

        /** Structured-output format (a JSON-like value). */
        public Builder responseFormat(@Nullable Object responseFormat) {
            values[RESPONSE_FORMAT] = responseFormat;
            return this;
        }

        /** Sampling seed. */
        public Builder seed(@Nullable Number seed) {
            values[SEED] = seed;
            return this;
        }

        /** Stop sequences, in order (not sorted, duplicates kept). */
        public Builder stopSequences(@Nullable List<?> stopSequences) {
            values[STOP_SEQUENCES] = stopSequences;
            return this;
        }

        /** Sampling temperature. */
        public Builder temperature(@Nullable Number temperature) {
            values[TEMPERATURE] = temperature;
            return this;
        }

        /** Top-k sampling. */
        public Builder topK(@Nullable Number topK) {
            values[TOP_K] = topK;
            return this;
        }

        /** Nucleus sampling. */
        public Builder topP(@Nullable Number topP) {
            values[TOP_P] = topP;
            return this;
        }

        /**
         * Computes the canonical text and returns the immutable params.
         *
         * @throws IllegalArgumentException when a value cannot be represented as canonical JSON
         */
        public CacheKeyParams build() {
            return new CacheKeyParams(values);
        }

        /**
         * The cache key of these fields: the same as {@code CacheKeys.generate(build(), prefix)}, but hashed straight
         * from the rendered text without keeping a copy of it (what the pipeline needs on every call).
         *
         * @throws IllegalArgumentException when a value cannot be represented as canonical JSON
         */
        public String key(String prefix) {
            Objects.requireNonNull(prefix, "prefix");
            return CacheKeyParams.key(values, prefix);
        }

        /**
         * {@link #key(String)}, also storing in {@code payloadChars[0]} the UTF-16 length of the canonical JSON of the
         * messages, provider options and response format (what a rate budget's estimate prices), measured on the
         * text rendered for the key: the messages are not serialised a second time.
         *
         * @throws IllegalArgumentException when a value cannot be represented as canonical JSON
         */
        public String key(String prefix, long[] payloadChars) {
            Objects.requireNonNull(prefix, "prefix");
            if (payloadChars.length < 1) {
                throw new IllegalArgumentException("payloadChars needs one slot");
            }
            return CacheKeyParams.key(values, prefix, payloadChars);
        }
    }
}
