package dev.llmix.config.mda;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A small reader for the plain YAML subset presets are written in, which builds the same JSON model as
 * {@link MdaYaml}'s other paths without running SnakeYAML's scanner and parser (interpreting and compiling them was
 * most of the cold start-up validation; docs/performance.md, start-up validation). It reads block mappings and
 * sequences laid out by spaces, one-line flow sequences and mappings of scalars, and one-line plain, single-quoted and
 * double-quoted scalars, typed by the same core-schema resolver. Anything it does not recognise with certainty (tags,
 * anchors, aliases, block scalars, multi-line scalars, tabs, complex or quoted keys, repeated keys, unusual escapes,
 * odd indentation) makes it answer {@code null}, and the caller then reads the text through SnakeYAML exactly as
 * before, so errors, their lines and columns, and what is accepted do not change.
 */
final class PlainYamlReader {

    /** Thrown, without a stack trace, when the text leaves the subset; never escapes {@link #read(String)}. */
    private static final RuntimeException NOT_MINE = new RuntimeException("not in the plain subset", null, false,
            false) {
        private static final long serialVersionUID = 1L;
    };

    /** {@link #decided(String)}'s answer when only the core schema's resolver can tell. */
    static final Object UNDECIDED = new Object();

    /** Longest key read here; YAML limits an implicit key to 1,024 characters. */
    private static final int MAX_KEY = 1000;

    private final String text;
    private final int length;
    /** Index of the next unread line's first character. */
    private int next;
    /** The current line: start, end (its LF or the end of the text), content start and its column. */
    private int lineStart;
    private int lineEnd;
    private int cur;
    private int indent;
    private boolean eof;
    private int nodes;

    private PlainYamlReader(String text) {
        this.text = text;
        this.length = text.length();
    }

    /** The JSON model of {@code text}, or {@code null} when the text is not in the subset this reader handles. */
    static @Nullable Map<String, @Nullable Object> read(String text) {
        if (text.length() > MdaYaml.MAX_CODE_POINTS || !plainCharacters(text)) {
            return null;
        }
        try {
            return new PlainYamlReader(text).document();
        } catch (RuntimeException | StackOverflowError e) {
            return null;
        }
    }

    /**
     * Only printable characters that need no special handling: LF, and no other control character, tab, CR, BOM,
     * surrogate, non-characters or Unicode line separators (the scanner treats some of them specially).
     */
    private static boolean plainCharacters(String text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x20) {
                if (c != '\n') {
                    return false;
                }
            } else if (c >= 0x7F && (c <= 0x9F || c == 0x2028 || c == 0x2029 || c == 0xFEFF
                    || Character.isSurrogate(c) || c >= 0xFFFE)) {
                return false;
            }
        }
        return true;
    }

    private Map<String, @Nullable Object> document() {
        advance();
        if (eof) {
            throw NOT_MINE;
        }
        Map<String, @Nullable Object> root = mapping(indent, 1);
        if (!eof) {
            throw NOT_MINE;
        }
        return root;
    }

    /** Moves to the next line that has content other than spaces and a comment, or sets {@link #eof}. */
    private void advance() {
        while (next < length) {
            int start = next;
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = length;
            }
            next = end + 1;
            int p = start;
            while (p < end && text.charAt(p) == ' ') {
                p++;
            }
            if (p < end && text.charAt(p) != '#') {
                lineStart = start;
                lineEnd = end;
                cur = p;
                indent = p - start;
                return;
            }
        }
        eof = true;
    }

    /** The block mapping whose first key is at the current position, its keys at column {@code column}. */
    private Map<String, @Nullable Object> mapping(int column, int depth) {
        count(depth);
        Map<String, @Nullable Object> map = new LinkedHashMap<>();
        while (!eof && indent == column) {
            tick(2);
            int colon = keyEnd(cur, lineEnd);
            if (colon < 0) {
                throw NOT_MINE;
            }
            String key = key(cur, colon);
            if (map.containsKey(key)) {
                throw NOT_MINE;
            }
            int p = skipSpaces(colon + 1, lineEnd);
            if (p == lineEnd || text.charAt(p) == '#') {
                advance();
                map.put(key, nested(column, depth, true));
            } else {
                map.put(key, inlineValue(p, depth));
                advance();
            }
        }
        if (!eof && indent > column) {
            throw NOT_MINE;
        }
        return Collections.unmodifiableMap(map);
    }

    /** The block sequence whose first {@code -} is at the current position, its entries at column {@code column}. */
    private List<@Nullable Object> sequence(int column, int depth) {
        count(depth);
        List<@Nullable Object> list = new ArrayList<>();
        while (!eof && indent == column && isEntry(cur)) {
            tick(1);
            int p = skipSpaces(cur + 1, lineEnd);
            if (p == lineEnd || text.charAt(p) == '#') {
                advance();
                list.add(nested(column, depth, false));
            } else if (text.charAt(p) == '-' && (p + 1 == lineEnd || text.charAt(p + 1) == ' ')) {
                throw NOT_MINE;
            } else if (keyEnd(p, lineEnd) >= 0) {
                // A compact mapping ("- key: value"): its keys are at the column of the first one.
                cur = p;
                indent = p - lineStart;
                list.add(mapping(indent, depth + 1));
            } else {
                list.add(inlineValue(p, depth));
                advance();
            }
        }
        if (!eof && indent > column) {
            throw NOT_MINE;
        }
        return Collections.unmodifiableList(list);
    }

    /**
     * The value of a key or entry that has nothing after it on its line: a more indented block, a sequence at the
     * same column as a mapping's keys, or null.
     */
    private @Nullable Object nested(int column, int depth, boolean inMapping) {
        if (eof || indent < column) {
            return null;
        }
        if (indent == column) {
            if (inMapping && isEntry(cur)) {
                return sequence(column, depth + 1);
            }
            return null;
        }
        if (isEntry(cur)) {
            return sequence(indent, depth + 1);
        }
        return mapping(indent, depth + 1);
    }

    private boolean isEntry(int p) {
        return text.charAt(p) == '-' && (p + 1 == lineEnd || text.charAt(p + 1) == ' ');
    }

    /** A collection at nesting {@code depth}: within the depth bound, and two events (its start and end). */
    private void count(int depth) {
        if (depth >= MdaYaml.MAX_DEPTH) {
            throw NOT_MINE;
        }
        tick(2);
    }

    /**
     * Counts parse events the way the other paths bound them (a key, a value, a collection's start and end), staying
     * below both the event and the node bound so that a document they would refuse is never accepted here.
     */
    private void tick(int events) {
        nodes += events;
        if (nodes >= Math.min(MdaYaml.MAX_EVENTS, MdaYaml.MAX_NODES) - 8) {
            throw NOT_MINE;
        }
    }

    /**
     * The index of the colon ending a plain key that starts at {@code p} ({@code [A-Za-z0-9_]} then also {@code -},
     * {@code .}, {@code /}, {@code $}), followed by a space or the end of the line; -1 when there is none.
     */
    private int keyEnd(int p, int end) {
        if (p >= end || !keyStart(text.charAt(p))) {
            return -1;
        }
        int q = p + 1;
        while (q < end && keyPart(text.charAt(q))) {
            q++;
        }
        if (q < end && text.charAt(q) == ':' && (q + 1 == end || text.charAt(q + 1) == ' ') && q - p <= MAX_KEY) {
            return q;
        }
        return -1;
    }

    private static boolean keyStart(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
    }

    private static boolean keyPart(char c) {
        return keyStart(c) || c == '-' || c == '.' || c == '/' || c == '$';
    }

    /** A key as the other paths give it: the typed scalar, printed as JavaScript's {@code String(x)} would. */
    private String key(int from, int to) {
        return MdaYaml.keyText(typed(text.substring(from, to)));
    }

    /** A value that starts at {@code p} on the current line and must end it (spaces and a comment may follow). */
    private @Nullable Object inlineValue(int p, int depth) {
        char c = text.charAt(p);
        int[] end = {0};
        Object value;
        if (c == '"') {
            value = doubleQuoted(p, end);
        } else if (c == '\'') {
            value = singleQuoted(p, end);
        } else if (c == '[') {
            value = flowSequence(p, depth + 1, end);
        } else if (c == '{') {
            value = flowMapping(p, depth + 1, end);
        } else {
            return blockPlain(p);
        }
        lineRest(end[0]);
        return value;
    }

    /** Nothing but spaces, then possibly a comment after at least one space, from {@code p} to the line's end. */
    private void lineRest(int p) {
        int q = skipSpaces(p, lineEnd);
        if (q < lineEnd && (q == p || text.charAt(q) != '#')) {
            throw NOT_MINE;
        }
    }

    /** A plain scalar in block context running to the end of the line or a comment. */
    private @Nullable Object blockPlain(int p) {
        checkPlainStart(p, false);
        int end = lineEnd;
        for (int q = p + 1; q < lineEnd; q++) {
            char c = text.charAt(q);
            if (c == '#' && text.charAt(q - 1) == ' ') {
                end = q;
                break;
            }
            if (c == ':' && (q + 1 == lineEnd || text.charAt(q + 1) == ' ')) {
                throw NOT_MINE;
            }
        }
        while (text.charAt(end - 1) == ' ') {
            end--;
        }
        return number(typed(text.substring(p, end)));
    }

    /** A plain scalar inside a flow collection; it may not hold a colon, a comment or a flow indicator. */
    private @Nullable Object flowPlain(int p, int[] endOut) {
        checkPlainStart(p, true);
        int q = p;
        while (q < lineEnd) {
            char c = text.charAt(q);
            if (c == ',' || c == ']' || c == '}' || c == '[' || c == '{') {
                break;
            }
            if (c == ':' || c == '#') {
                throw NOT_MINE;
            }
            q++;
        }
        endOut[0] = q;
        int end = q;
        while (end > p && text.charAt(end - 1) == ' ') {
            end--;
        }
        if (end == p) {
            throw NOT_MINE;
        }
        return number(typed(text.substring(p, end)));
    }

    private void checkPlainStart(int p, boolean flow) {
        char c = text.charAt(p);
        if (c == '-') {
            char after = p + 1 < lineEnd ? text.charAt(p + 1) : ' ';
            if (after == ' ' || flow && (after == ',' || after == ']' || after == '}' || after == '['
                    || after == '{')) {
                throw NOT_MINE;
            }
        } else if ("?:,[]{}#&*!|>'\"%@`".indexOf(c) >= 0) {
            throw NOT_MINE;
        }
    }

    /**
     * A plain scalar typed as the core schema types it. The spellings presets use are decided here: a first character
     * no resolver pattern starts with, the boolean and null spellings, a decimal {@code int} and a plain decimal
     * fraction; for anything else the schema's own resolver and constructors run ({@link MdaYaml#typedPlain(String)}).
     */
    private static @Nullable Object typed(String value) {
        Object v = decided(value);
        return v == UNDECIDED ? MdaYaml.typedPlain(value) : v;
    }

    /** What the core schema makes of a non-empty plain scalar, or {@link #UNDECIDED} when this cannot tell cheaply. */
    static @Nullable Object decided(String v) {
        char c = v.charAt(0);
        switch (c) {
            case 't', 'T' -> {
                // Only the boolean pattern can match a scalar starting with these letters.
                return v.equals("true") || v.equals("True") || v.equals("TRUE") ? Boolean.TRUE : v;
            }
            case 'f', 'F' -> {
                return v.equals("false") || v.equals("False") || v.equals("FALSE") ? Boolean.FALSE : v;
            }
            case 'n', 'N' -> {
                return v.equals("null") || v.equals("Null") || v.equals("NULL") ? null : v;
            }
            case '~' -> {
                return v.length() == 1 ? null : v;
            }
            case '$', '<', ' ', '+', '.' -> {
                return UNDECIDED;
            }
            default -> {
                if (c != '-' && (c < '0' || c > '9')) {
                    return v;
                }
                return decimal(v);
            }
        }
    }

    /**
     * {@code -?(0|[1-9][0-9]{0,8})} as an {@code Integer}, {@code -?[0-9]+.[0-9]+} as a {@code Double} (what the core
     * schema's constructors give for them, before number normalization), anything else {@link #UNDECIDED}.
     */
    private static Object decimal(String v) {
        int start = v.charAt(0) == '-' ? 1 : 0;
        int n = v.length();
        int i = start;
        while (i < n && v.charAt(i) >= '0' && v.charAt(i) <= '9') {
            i++;
        }
        int digits = i - start;
        if (digits == 0) {
            return UNDECIDED;
        }
        if (i == n) {
            if (digits > 9 || digits > 1 && v.charAt(start) == '0') {
                return UNDECIDED;
            }
            return Integer.valueOf(Integer.parseInt(v));
        }
        if (v.charAt(i) != '.' || i + 1 == n) {
            return UNDECIDED;
        }
        for (int j = i + 1; j < n; j++) {
            if (v.charAt(j) < '0' || v.charAt(j) > '9') {
                return UNDECIDED;
            }
        }
        return Double.valueOf(v);
    }

    private static @Nullable Object number(@Nullable Object v) {
        return v instanceof Number n ? dev.llmix.internal.json.StrictJson.normalizeNumber(n) : v;
    }

    /** A single-quoted scalar closed on the same line ({@code ''} is a quote); the index after it in {@code endOut}. */
    private String singleQuoted(int p, int[] endOut) {
        StringBuilder out = null;
        int from = p + 1;
        int q = from;
        while (true) {
            int quote = text.indexOf('\'', q);
            if (quote < 0 || quote >= lineEnd) {
                throw NOT_MINE;
            }
            if (quote + 1 < lineEnd && text.charAt(quote + 1) == '\'') {
                if (out == null) {
                    out = new StringBuilder();
                }
                out.append(text, from, quote + 1);
                from = quote + 2;
                q = from;
                continue;
            }
            endOut[0] = quote + 1;
            if (out == null) {
                return text.substring(from, quote);
            }
            return out.append(text, from, quote).toString();
        }
    }

    /** A double-quoted scalar closed on the same line, with the common escapes only. */
    private String doubleQuoted(int p, int[] endOut) {
        StringBuilder out = new StringBuilder();
        int q = p + 1;
        while (q < lineEnd) {
            char c = text.charAt(q);
            if (c == '"') {
                endOut[0] = q + 1;
                return out.toString();
            }
            if (c != '\\') {
                out.append(c);
                q++;
                continue;
            }
            if (q + 1 >= lineEnd) {
                throw NOT_MINE;
            }
            char e = text.charAt(q + 1);
            q += 2;
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case '0' -> out.append('\0');
                case 'u' -> {
                    if (q + 4 > lineEnd) {
                        throw NOT_MINE;
                    }
                    int code = 0;
                    for (int i = 0; i < 4; i++) {
                        int digit = Character.digit(text.charAt(q + i), 16);
                        if (digit < 0) {
                            throw NOT_MINE;
                        }
                        code = code * 16 + digit;
                    }
                    if (Character.isSurrogate((char) code)) {
                        throw NOT_MINE;
                    }
                    out.append((char) code);
                    q += 4;
                }
                default -> throw NOT_MINE;
            }
        }
        throw NOT_MINE;
    }

    /** A one-line flow sequence of scalars; the index after its {@code ]} in {@code endOut}. */
    private List<@Nullable Object> flowSequence(int p, int depth, int[] endOut) {
        count(depth);
        List<@Nullable Object> list = new ArrayList<>();
        int q = skipSpaces(p + 1, lineEnd);
        if (q < lineEnd && text.charAt(q) == ']') {
            endOut[0] = q + 1;
            return Collections.unmodifiableList(list);
        }
        while (true) {
            list.add(flowScalar(q, depth, endOut));
            q = skipSpaces(endOut[0], lineEnd);
            if (q >= lineEnd) {
                throw NOT_MINE;
            }
            char c = text.charAt(q);
            if (c == ']') {
                endOut[0] = q + 1;
                return Collections.unmodifiableList(list);
            }
            if (c != ',') {
                throw NOT_MINE;
            }
            q = skipSpaces(q + 1, lineEnd);
        }
    }

    /** A one-line flow mapping of plain keys to scalars; the index after its <code>}</code> in {@code endOut}. */
    private Map<String, @Nullable Object> flowMapping(int p, int depth, int[] endOut) {
        count(depth);
        Map<String, @Nullable Object> map = new LinkedHashMap<>();
        int q = skipSpaces(p + 1, lineEnd);
        if (q < lineEnd && text.charAt(q) == '}') {
            endOut[0] = q + 1;
            return Collections.unmodifiableMap(map);
        }
        while (true) {
            int colon = keyEnd(q, lineEnd);
            if (colon < 0 || colon + 1 == lineEnd) {
                throw NOT_MINE;
            }
            String key = key(q, colon);
            if (map.containsKey(key)) {
                throw NOT_MINE;
            }
            map.put(key, flowScalar(skipSpaces(colon + 1, lineEnd), depth, endOut));
            q = skipSpaces(endOut[0], lineEnd);
            if (q >= lineEnd) {
                throw NOT_MINE;
            }
            char c = text.charAt(q);
            if (c == '}') {
                endOut[0] = q + 1;
                return Collections.unmodifiableMap(map);
            }
            if (c != ',') {
                throw NOT_MINE;
            }
            q = skipSpaces(q + 1, lineEnd);
        }
    }

    /** A scalar inside a flow collection: quoted or plain, never a nested collection or an empty entry. */
    private @Nullable Object flowScalar(int q, int depth, int[] endOut) {
        if (q >= lineEnd) {
            throw NOT_MINE;
        }
        tick(2);
        char c = text.charAt(q);
        if (c == '"') {
            return doubleQuoted(q, endOut);
        }
        if (c == '\'') {
            return singleQuoted(q, endOut);
        }
        return flowPlain(q, endOut);
    }

    private int skipSpaces(int p, int end) {
        while (p < end && text.charAt(p) == ' ') {
            p++;
        }
        return p;
    }
}
