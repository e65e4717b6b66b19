package dev.llmix.pipeline;

import dev.llmix.internal.json.CanonicalJson;
import dev.llmix.tools.ToolSet;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The tool part of a singleflight key: lowercase hex SHA-256 of the canonical JSON of the call's {@code tools},
 * {@code tool_choice} and {@code parallel_tool_calls} kwargs, so only calls with equal tools are merged.
 */
final class ToolDigest {

    private ToolDigest() {
    }

    static String of(ToolSet tools) {
        return ofCanonical(canonical(tools));
    }

    /** The canonical JSON of the tool kwargs (also what a rate budget prices for the tool set). */
    static String canonical(ToolSet tools) {
        return CanonicalJson.stringify(tools.kwargsView());
    }

    /** The digest of an already rendered canonical text. */
    static String ofCanonical(String canonical) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
