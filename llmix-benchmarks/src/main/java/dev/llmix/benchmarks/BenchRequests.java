package dev.llmix.benchmarks;

import dev.llmix.config.CachingStrategy;
import dev.llmix.config.CommonParams;
import dev.llmix.config.LlmConfig;
import java.util.List;
import java.util.Map;

/**
 * The chat requests the benchmarks send: a system prompt plus a user turn whose canonical JSON is about 1 KB or
 * 16 KB, with ordinary prose (spaces, punctuation, a few quotes and newlines that the canonical writer must escape).
 */
final class BenchRequests {

    /** Approximate canonical-JSON size of the {@code messages} array of a small request. */
    static final int SMALL_BYTES = 1024;

    /** Approximate canonical-JSON size of the {@code messages} array of a large request. */
    static final int LARGE_BYTES = 16 * 1024;

    static final String PROVIDER = "openai";
    static final String MODEL = "gpt-4o-mini";

    private static final String PROSE = "You are a careful assistant for a travel company. Answer in two short "
            + "paragraphs, cite the \"booking policy\" when it applies, and never invent prices.\n"
            + "The customer writes: I booked a flight from Lisbon to Oslo for 12 May; can I move it to 14 May "
            + "without a fee? My reference is QX-4471, and I travel with a child (age 7). ";

    private static final int ESCAPES = 3;

    private BenchRequests() {
    }

    /** A preset like a production one: provider, model, sampling parameters, and the given caching strategy. */
    static LlmConfig config(CachingStrategy caching) {
        return LlmConfig.builder(PROVIDER, MODEL)
                .common(CommonParams.builder().temperature(0.7).topP(0.95).maxOutputTokens(1024).build())
                .caching(caching)
                .build();
    }

    /** Messages whose canonical JSON is about {@code approxBytes} long. */
    static List<Map<String, Object>> messages(int approxBytes) {
        return new Shape(approxBytes).messages("");
    }

    /**
     * The prose of one request size, shared by many distinct requests so that a ring of thousands of them stays
     * small: only the user turn's tag differs.
     */
    static final class Shape {
        // Fixed JSON overhead of the two messages is about 70 bytes; the user turn carries the tag.
        private final String system;
        private final String user;

        Shape(int approxBytes) {
            // The prose's two quotes and one newline each grow by one byte when escaped.
            int chars = (int) ((approxBytes - 70) / (1 + ESCAPES / (double) PROSE.length()));
            int systemLength = Math.max(16, chars * 3 / 4);
            this.system = prose(systemLength);
            this.user = prose(Math.max(16, chars - systemLength));
        }

        /** The request; {@code tag} (a few characters) is prepended to the user turn to make it distinct. */
        List<Map<String, Object>> messages(String tag) {
            String content = tag.isEmpty() ? user : tag + user.substring(Math.min(tag.length(), user.length()));
            return List.of(
                    Map.of("role", "system", "content", system),
                    Map.of("role", "user", "content", content));
        }
    }

    private static String prose(int length) {
        StringBuilder sb = new StringBuilder(length + PROSE.length());
        while (sb.length() < length) {
            sb.append(PROSE);
        }
        sb.setLength(length);
        return sb.toString();
    }
}
