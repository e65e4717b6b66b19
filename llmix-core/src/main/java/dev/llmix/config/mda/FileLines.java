package dev.llmix.config.mda;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Line numbers of an {@code .mda} file for diagnostics: where a validation issue's field ({@code a.b[2].c}) sits in
 * the frontmatter, and shifting the YAML parser's frontmatter-relative lines to file lines. Used off the call path
 * only (start-up validation and error messages).
 */
public final class FileLines {

    private static final Pattern MARK_LINE = Pattern.compile("(line )(\\d+)(, column )");
    private static final Pattern SEGMENT = Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)]");

    private FileLines() {
    }

    /** {@code message} with every {@code line N, column M} of a YAML mark moved down by {@code offset} lines. */
    static String shift(String message, int offset) {
        Matcher m = MARK_LINE.matcher(message);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            long line = Long.parseLong(m.group(2)) + offset;
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + line + m.group(3)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * The 1-based file line of the deepest existing part of {@code fieldPath} (dotted keys and {@code [i]} indexes,
     * as validation issues name them) in the frontmatter of {@code mdaText}, or {@code null} when the frontmatter
     * does not parse or the first key is absent. Keys containing dots (e.g. {@code snoai-llmix}) are matched whole.
     */
    public static @Nullable Integer lineOf(String mdaText, String fieldPath) {
        String text = mdaText.replace("\r\n", "\n");
        if (!text.startsWith("---\n")) {
            return null;
        }
        int end = text.indexOf("\n---", 3);
        String frontmatter = end < 0 ? text.substring(4) : text.substring(4, end + 1);
        Node root;
        try {
            root = new Compose(LoadSettings.builder().setUseMarks(true).build()).composeString(frontmatter)
                    .orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
        if (root == null) {
            return null;
        }
        Node current = root;
        Integer line = null;
        for (String segment : segments(fieldPath)) {
            Node next = child(current, segment);
            if (next == null) {
                break;
            }
            line = keyLine(current, segment, next);
            current = next;
        }
        return line;
    }

    private static List<String> segments(String path) {
        List<String> out = new ArrayList<>();
        Matcher m = SEGMENT.matcher(path);
        while (m.find()) {
            out.add(m.group(1) != null ? m.group(1) : "[" + m.group(2) + "]");
        }
        return out;
    }

    private static @Nullable Node child(Node node, String segment) {
        if (node instanceof SequenceNode seq && segment.startsWith("[")) {
            int i = Integer.parseInt(segment.substring(1, segment.length() - 1));
            return i < seq.getValue().size() ? seq.getValue().get(i) : null;
        }
        if (node instanceof MappingNode map) {
            for (NodeTuple t : map.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(segment)) {
                    return t.getValueNode();
                }
            }
        }
        return null;
    }

    /** The key's line for a mapping entry (where an editor would look), the element's own line in a sequence. */
    private static int keyLine(Node parent, String segment, Node value) {
        Node anchor = value;
        if (parent instanceof MappingNode map) {
            for (NodeTuple t : map.getValue()) {
                if (t.getValueNode() == value) {
                    anchor = t.getKeyNode();
                    break;
                }
            }
        }
        // +1 for 1-based lines, +1 for the opening '---' line.
        return anchor.getStartMark().map(mark -> mark.getLine() + 2).orElse(1);
    }

    /** The first {@code path: message} issue of a validation failure's details, or {@code null}. */
    public static @Nullable String firstIssue(Map<String, Object> details) {
        return details.get("issues") instanceof List<?> l && !l.isEmpty() ? String.valueOf(l.get(0)) : null;
    }
}
