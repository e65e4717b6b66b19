package dev.llmix.config.mda;

import dev.llmix.config.mda.MdaConfigException;
import dev.llmix.config.mda.MdaErrorCategory;
import dev.llmix.internal.json.StrictJson;

/**
 * The two parts of an {@code .mda} file after byte-level normalization (BOM dropped, strict UTF-8, LF line ends):
 * the frontmatter YAML text between the fences and the Markdown body after the closing fence.
 *
 * @param frontmatter the YAML text (ends with the LF of its last line)
 * @param body        everything after the closing fence's LF, or {@code ""}
 */
public record MdaParts(String frontmatter, String body) {

    /**
     * Extracts the parts from raw file bytes.
     *
     * @throws MdaConfigException {@code invalid-encoding}, {@code missing-required-frontmatter} or
     *                            {@code unterminated-frontmatter}
     */
    public static MdaParts extract(byte[] bytes, String source) {
        int offset = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
                && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
        byte[] content = offset == 0 ? bytes : java.util.Arrays.copyOfRange(bytes, offset, bytes.length);
        String decoded = StrictJson.decodeUtf8(content);
        if (decoded == null) {
            throw new MdaConfigException(MdaErrorCategory.INVALID_ENCODING, source + " is not valid UTF-8");
        }
        String text = normalizeLineEndings(decoded);
        if (!text.startsWith("---\n")) {
            throw new MdaConfigException(MdaErrorCategory.MISSING_REQUIRED_FRONTMATTER,
                    source + " has no frontmatter: it must start with a '---' line");
        }
        int lineStart = 4;
        while (lineStart <= text.length()) {
            int lineEnd = text.indexOf('\n', lineStart);
            int end = lineEnd < 0 ? text.length() : lineEnd;
            if (end - lineStart == 3 && text.startsWith("---", lineStart)) {
                String frontmatter = text.substring(4, lineStart);
                if (frontmatter.isEmpty()) {
                    throw new MdaConfigException(MdaErrorCategory.MISSING_REQUIRED_FRONTMATTER,
                            source + " has an empty frontmatter");
                }
                String body = lineEnd < 0 ? "" : text.substring(lineEnd + 1);
                return new MdaParts(frontmatter, body);
            }
            if (lineEnd < 0) {
                break;
            }
            lineStart = lineEnd + 1;
        }
        throw new MdaConfigException(MdaErrorCategory.UNTERMINATED_FRONTMATTER,
                source + " has no closing '---' line for its frontmatter");
    }

    /** CR LF → LF, then lone CR → LF. */
    static String normalizeLineEndings(String text) {
        if (text.indexOf('\r') < 0) {
            return text;
        }
        return text.replace("\r\n", "\n").replace('\r', '\n');
    }

    @Override
    public String toString() {
        return "MdaParts[frontmatter=" + frontmatter.length() + " chars, body=" + body.length() + " chars]";
    }
}
