package dev.llmix.reliability;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.jspecify.annotations.Nullable;

/**
 * Input generators for the hostile-input properties: byte-level mutations of valid files (flips, deletions,
 * insertions of random bytes, YAML/JSON control tokens and invalid UTF-8, duplications, truncation, deep nesting) and
 * random JSON-like trees planted at random places of a valid document.
 */
final class Mutations {

    /** Tokens with a meaning to YAML or JSON parsers. */
    private static final String[] TOKENS = {
        "&a ", "*a", "<<: *a\n", "!!java.lang.Object ", "!custom ", "? ", ": ", "- ", "---\n", "...\n", "{", "}",
        "[", "]", ",", "\"", "'", "\\u0000", "\\ud800", "\t", "\r", "\n", "#", "|\n", ">-\n", "%YAML 1.1\n",
        "\uFEFF", "\u0000", "\u2028", "yes", "~", "null", ".nan", ".inf", "-.inf", "0x1F", "1e400", "-0",
        "99999999999999999999999999", "temperature: 3", "provider: ", "model: ", "caching: {strategy: redis}",
        "metadata:", "snoai-llmix:", "common:", "integrity: {algorithm: sha256, digest: x}", "signatures: [1]",
        "__proto__", "constructor", "\"\\x\"", "\\", "\u202e", "\ud83d\ude00",
    };

    /** Byte sequences that are not valid UTF-8. */
    private static final byte[][] BAD_UTF8 = {
        {(byte) 0xC3}, {(byte) 0xFF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80,
            (byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0x80},
    };

    private Mutations() {
    }

    /** One edit of a byte array. */
    record Mutation(int op, double at, int len, int seed) {
        @Override
        public String toString() {
            return "Mutation[op=" + op + ", at=" + String.format("%.3f", at) + ", len=" + len + ", seed=" + seed + "]";
        }
    }

    static Arbitrary<Mutation> mutation() {
        return Combinators.combine(
                Arbitraries.integers().between(0, 9),
                Arbitraries.doubles().between(0, 1),
                Arbitraries.integers().between(1, 80),
                Arbitraries.integers())
                .as(Mutation::new);
    }

    static Arbitrary<List<Mutation>> mutations() {
        return mutation().list().ofMinSize(1).ofMaxSize(6);
    }

    static byte[] apply(byte[] input, List<Mutation> edits) {
        byte[] out = input;
        for (Mutation m : edits) {
            out = apply(out, m);
        }
        return out;
    }

    static byte[] apply(byte[] in, Mutation m) {
        int pos = (int) Math.min(in.length, Math.floor(m.at() * (in.length + 1)));
        Random rnd = new Random(m.seed());
        switch (m.op()) {
            case 0: { // flip bits of one byte
                if (in.length == 0) {
                    return in;
                }
                byte[] out = in.clone();
                int i = Math.min(pos, in.length - 1);
                out[i] ^= (byte) (1 + rnd.nextInt(255));
                return out;
            }
            case 1: // delete a range
                return splice(in, pos, Math.min(m.len(), in.length - pos), new byte[0]);
            case 2: { // insert random bytes
                byte[] junk = new byte[m.len()];
                rnd.nextBytes(junk);
                return splice(in, pos, 0, junk);
            }
            case 3: // insert a parser token
                return splice(in, pos, 0, TOKENS[rnd.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8));
            case 4: { // duplicate a slice a few times
                int len = Math.min(m.len(), in.length - pos);
                byte[] slice = java.util.Arrays.copyOfRange(in, pos, pos + len);
                ByteArrayOutputStream rep = new ByteArrayOutputStream();
                for (int i = 0, n = 1 + rnd.nextInt(8); i < n; i++) {
                    rep.writeBytes(slice);
                }
                return splice(in, pos, 0, rep.toByteArray());
            }
            case 5: // truncate
                return java.util.Arrays.copyOf(in, pos);
            case 6: // invalid UTF-8
                return splice(in, pos, 0, BAD_UTF8[rnd.nextInt(BAD_UTF8.length)]);
            case 7: { // deep flow nesting
                String open = rnd.nextBoolean() ? "[" : "{a: ";
                return splice(in, pos, 0, open.repeat(m.len() * 3).getBytes(StandardCharsets.UTF_8));
            }
            case 8: { // replace a range with a token
                String t = TOKENS[rnd.nextInt(TOKENS.length)];
                return splice(in, pos, Math.min(m.len() % 8, in.length - pos), t.getBytes(StandardCharsets.UTF_8));
            }
            default: { // swap the case of ASCII letters in a range (changes keys and enum values)
                byte[] out = in.clone();
                for (int i = pos; i < Math.min(in.length, pos + m.len()); i++) {
                    byte b = out[i];
                    if (b >= 'a' && b <= 'z') {
                        out[i] = (byte) (b - 32);
                    } else if (b >= 'A' && b <= 'Z') {
                        out[i] = (byte) (b + 32);
                    }
                }
                return out;
            }
        }
    }

    private static byte[] splice(byte[] in, int pos, int remove, byte[] insert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + insert.length);
        out.write(in, 0, pos);
        out.writeBytes(insert);
        out.write(in, pos + remove, in.length - pos - remove);
        return out.toByteArray();
    }

    // --- random trees -----------------------------------------------------------------------------------------------

    private static final String[] KEYS = {
        "provider", "model", "temperature", "topP", "topK", "seed", "maxOutputTokens", "maxRetries", "stopSequences",
        "common", "providerOptions", "caching", "strategy", "ttl", "maxItems", "timeout", "totalTime",
        "streamFirstChunkTime", "thinking", "budgetTokens", "type", "anthropic", "openai", "google", "tags",
        "description", "deprecated", "baseUrl", "responseFormat", "keepThinkingOutput", "enableThinking",
        "metadata", "snoai-llmix", "name", "integrity", "digest", "algorithm", "signatures", "requires", "network",
        "presets", "revision", "manifest_sha256", "schema_version", "published_at", "resolved_path", "source_path",
        "resolved_sha256", "source_sha256", "__proto__", "", "0", "x".repeat(300),
    };

    private static final Object[] LEAVES = {
        "", "openai", "anthropic", "gpt-4", "redis", "memory", "disabled", "enabled", "yes", "../../etc/passwd",
        "/abs/path", "resolved/../../x.json", "sha256:00", "a".repeat(64), "\u0000", "\ud800", "é", "\u202e",
        0, -1, 1, 2, 1024, 4096, Integer.MAX_VALUE, Long.MAX_VALUE, -0.0, 0.5, 1e308, 4096.0, 3.5, true, false,
    };

    /** A random JSON-like value of bounded size (maps keep insertion order; leaves may be null). */
    static @Nullable Object tree(Random rnd, int depth) {
        int roll = rnd.nextInt(10);
        if (depth <= 0 || roll < 5) {
            if (rnd.nextInt(12) == 0) {
                return null;
            }
            return LEAVES[rnd.nextInt(LEAVES.length)];
        }
        if (roll < 8) {
            Map<String, @Nullable Object> m = new LinkedHashMap<>();
            for (int i = 0, n = rnd.nextInt(5); i < n; i++) {
                m.put(KEYS[rnd.nextInt(KEYS.length)], tree(rnd, depth - 1));
            }
            return m;
        }
        List<@Nullable Object> l = new ArrayList<>();
        for (int i = 0, n = rnd.nextInt(5); i < n; i++) {
            l.add(tree(rnd, depth - 1));
        }
        return l;
    }

    /**
     * A deep copy of {@code doc} where the value at a random path (walking existing maps, sometimes adding a key) is
     * replaced by a random tree, or removed.
     */
    @SuppressWarnings("unchecked")
    static Map<String, @Nullable Object> plant(Map<String, ?> doc, Random rnd) {
        Map<String, @Nullable Object> copy = (Map<String, @Nullable Object>) deepCopy(doc);
        Map<String, @Nullable Object> cur = copy;
        while (true) {
            List<String> keys = new ArrayList<>(cur.keySet());
            String key = keys.isEmpty() || rnd.nextInt(8) == 0 ? KEYS[rnd.nextInt(KEYS.length)]
                    : keys.get(rnd.nextInt(keys.size()));
            Object next = cur.get(key);
            if (next instanceof Map<?, ?> m && rnd.nextInt(4) != 0) {
                cur = (Map<String, @Nullable Object>) m;
                continue;
            }
            if (rnd.nextInt(6) == 0) {
                cur.remove(key);
            } else {
                cur.put(key, tree(rnd, 1 + rnd.nextInt(4)));
            }
            return copy;
        }
    }

    private static @Nullable Object deepCopy(@Nullable Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, @Nullable Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), deepCopy(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<@Nullable Object> out = new ArrayList<>();
            l.forEach(x -> out.add(deepCopy(x)));
            return out;
        }
        return v;
    }
}
