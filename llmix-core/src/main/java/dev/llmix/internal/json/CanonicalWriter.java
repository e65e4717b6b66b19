package dev.llmix.internal.json;

import dev.llmix.internal.JsNumbers;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.jspecify.annotations.Nullable;

/**
 * The output of the canonical writer: UTF-8 bytes in a growable buffer, reused per thread, so the cache key is hashed
 * straight from what was written, without a {@code String} or a second UTF-8 copy. Strings are copied in bulk: a chunk
 * is narrowed to Latin-1 by the JDK's vectorised encoder, scanned eight bytes at a time for characters that need
 * escaping (or multi-byte UTF-8), and clean runs are copied with {@link System#arraycopy}.
 *
 * <p>Not thread-safe: {@link #borrow()} takes the calling thread's writer out of its slot while it is in use, so a
 * re-entrant call (e.g. from a custom {@code Map}) gets a fresh one, and {@link #release()} puts it back.
 */
public final class CanonicalWriter {

    /** Largest buffer kept between calls, so one huge request does not pin memory. */
    static final int MAX_KEPT_BYTES = 1 << 17;

    /** Characters narrowed per bulk step. */
    private static final int CHUNK = 2048;

    /** Shorter strings take the per-character path: the bulk path's fixed cost would dominate. */
    private static final int BULK_MIN = 24;

    private static final ThreadLocal<@Nullable CanonicalWriter> POOL = new ThreadLocal<>();

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long SPACES = 0x2020202020202020L;
    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;

    private static final byte[] HEX = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};

    /** Integers below 2^53 print as their {@code long} value (as {@link JsNumbers} does). */
    private static final double EXACT_LONG_LIMIT = 9007199254740992d;

    /** Cloning a prepared digest is far cheaper than a provider lookup. */
    private static final MessageDigest SHA256_PROTOTYPE = newSha256();

    byte[] buf = new byte[1024];
    int pos;

    private final char[] chars = new char[CHUNK];
    private final byte[] latin1 = new byte[CHUNK];
    private final CharBuffer charView = CharBuffer.wrap(chars);
    private final ByteBuffer latin1View = ByteBuffer.wrap(latin1);
    /** Reports (stops at) the first character above U+00FF: the default action of a new encoder. */
    private final CharsetEncoder latin1Encoder = StandardCharsets.ISO_8859_1.newEncoder();

    /** The last few non-integral numbers and their text: presets repeat the same temperature and top-p. */
    private final long[] numberBits = new long[4];
    private final byte[][] numberText = new byte[4][];
    private int nextNumberSlot;
    private final StringBuilder numberScratch = new StringBuilder(32);

    private @Nullable MessageDigest sha256;
    private final byte[] digest = new byte[32];
    private char[] keyChars = new char[128];

    /** A writer for the calling thread, empty. */
    public static CanonicalWriter borrow() {
        CanonicalWriter w = POOL.get();
        if (w == null) {
            return new CanonicalWriter();
        }
        POOL.set(null);
        w.pos = 0;
        return w;
    }

    /** Hands the writer back to its thread; a buffer that grew very large is dropped. */
    public void release() {
        if (buf.length > MAX_KEPT_BYTES) {
            buf = new byte[1024];
        }
        pos = 0;
        POOL.set(this);
    }

    /** The bytes written so far, as a new array. */
    public byte[] toByteArray() {
        return java.util.Arrays.copyOf(buf, pos);
    }

    /** The text written so far. */
    public String text() {
        return new String(buf, 0, pos, StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Plain output

    private void ensure(int more) {
        if (pos + more > buf.length) {
            grow(more);
        }
    }

    private void grow(int more) {
        long wanted = Math.max((long) buf.length * 2, (long) pos + more);
        if (wanted > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("Canonical JSON text is too large");
        }
        buf = java.util.Arrays.copyOf(buf, (int) wanted);
    }

    public void writeByte(char c) {
        ensure(1);
        buf[pos++] = (byte) c;
    }

    private void writeBytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
    }

    /** Writes text known to be ASCII (field names). */
    public void writeAscii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[pos++] = (byte) s.charAt(i);
        }
    }

    public void writeNull() {
        writeBytes(NULL);
    }

    public void writeBoolean(boolean b) {
        writeBytes(b ? TRUE : FALSE);
    }

    /** Writes {@code v} in decimal. */
    public void writeLong(long v) {
        ensure(20);
        if (v < 0) {
            buf[pos++] = '-';
            if (v == Long.MIN_VALUE) {
                writeAscii("9223372036854775808");
                return;
            }
            v = -v;
        }
        int digits = 1;
        for (long t = v; t >= 10; t /= 10) {
            digits++;
        }
        int end = pos + digits;
        for (int i = end - 1; i >= pos; i--) {
            buf[i] = (byte) ('0' + (int) (v % 10));
            v /= 10;
        }
        pos = end;
    }

    /** Writes a number as JavaScript does: {@code null} when not finite, else {@code Number#toString}. */
    public void writeNumber(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            writeNull();
        } else if (d == 0) {
            writeByte('0'); // -0 prints as 0
        } else if (d == Math.rint(d) && Math.abs(d) < EXACT_LONG_LIMIT) {
            writeLong((long) d);
        } else {
            writeBytes(fractionText(d));
        }
    }

    private byte[] fractionText(double d) {
        long bits = Double.doubleToRawLongBits(d);
        for (int i = 0; i < numberBits.length; i++) {
            byte[] text = numberText[i];
            if (text != null && numberBits[i] == bits) {
                return text;
            }
        }
        StringBuilder sb = numberScratch;
        sb.setLength(0);
        JsNumbers.append(sb, d);
        byte[] text = new byte[sb.length()];
        for (int i = 0; i < text.length; i++) {
            text[i] = (byte) sb.charAt(i);
        }
        int slot = nextNumberSlot;
        nextNumberSlot = (slot + 1) & (numberBits.length - 1);
        numberBits[slot] = bits;
        numberText[slot] = text;
        return text;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Strings

    /** Writes {@code s} quoted and escaped exactly as {@code JSON.stringify} does, encoded as UTF-8. */
    public void writeJsonString(String s) {
        writeByte('"');
        writeText(s, true);
        writeByte('"');
    }

    /**
     * Writes {@code s} as UTF-8. With {@code json}, escapes {@code "}, {@code \}, control characters and lone
     * surrogates as {@code JSON.stringify} does; without, writes a lone surrogate as {@code ?}, exactly as
     * {@code String.getBytes(UTF_8)} does.
     */
    public void writeText(String s, boolean json) {
        int len = s.length();
        if (len < BULK_MIN) {
            writeChars(s, json);
            return;
        }
        int i = 0;
        while (i < len) {
            int n = Math.min(CHUNK, len - i);
            s.getChars(i, i + n, chars, 0);
            int p = 0;
            while (p < n) {
                int narrow = toLatin1(p, n);
                if (narrow > 0) {
                    writeLatin1(narrow, json);
                    p += narrow;
                }
                if (p < n) {
                    p = writeWide(s, i, p, n, json);
                }
            }
            i += p; // p may be n + 1: a surrogate pair straddled the chunk boundary
        }
    }

    /** Narrows {@code chars[from, to)} into {@code latin1} up to the first character above U+00FF; returns the count. */
    private int toLatin1(int from, int to) {
        CharBuffer in = charView;
        in.limit(to);
        in.position(from);
        ByteBuffer out = latin1View;
        out.clear();
        // Not end of input: a trailing high surrogate then stops the encoder without an error, like any wide char.
        latin1Encoder.encode(in, out, false);
        return in.position() - from;
    }

    /** Copies {@code latin1[0, n)} as UTF-8, escaping where {@code json} asks for it. */
    private void writeLatin1(int n, boolean json) {
        byte[] src = latin1;
        int start = 0;
        while (true) {
            int i = json ? nextJsonSpecial(src, start, n) : nextHighByte(src, start, n);
            int run = i - start;
            if (run > 0) {
                ensure(run);
                System.arraycopy(src, start, buf, pos, run);
                pos += run;
            }
            if (i >= n) {
                return;
            }
            int c = src[i] & 0xff;
            if (c >= 0x80) {
                ensure(2);
                buf[pos++] = (byte) (0xC0 | (c >>> 6));
                buf[pos++] = (byte) (0x80 | (c & 0x3F));
            } else {
                writeEscape((char) c);
            }
            start = i + 1;
        }
    }

    /** Index of the first byte in {@code [from, to)} that is below 0x20, {@code "}, {@code \} or above 0x7F. */
    private static int nextJsonSpecial(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(b, i);
            // A byte's high bit ends up set if it is < 0x20 (borrow), equal to '"' or '\' (zero minus one), or
            // >= 0x80. A borrow only spreads upwards, into later bytes (little-endian), so the lowest flagged byte is
            // always a real one.
            long flags = ((x - SPACES) | ((x ^ QUOTES) - ONES) | ((x ^ BACKSLASHES) - ONES) | x) & HIGH_BITS;
            if (flags != 0) {
                return i + (Long.numberOfTrailingZeros(flags) >>> 3);
            }
        }
        for (; i < to; i++) {
            int c = b[i];
            if (c < 0x20 || c == '"' || c == '\\') { // bytes >= 0x80 are negative here
                return i;
            }
        }
        return to;
    }

    /** Index of the first byte in {@code [from, to)} above 0x7F. */
    private static int nextHighByte(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long flags = ((long) LONGS.get(b, i)) & HIGH_BITS;
            if (flags != 0) {
                return i + (Long.numberOfTrailingZeros(flags) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] < 0) {
                return i;
            }
        }
        return to;
    }
    /**
     * Writes the run of characters above U+00FF that starts at {@code chars[p]} (the chunk starts at {@code base} in
     * {@code s} and holds {@code n} characters); returns the chunk index after the run, {@code n + 1} when a
     * surrogate pair straddled the chunk's end.
     */
    private int writeWide(String s, int base, int p, int n, boolean json) {
        char[] cs = chars;
        while (p < n) {
            char c = cs[p];
            if (c <= 0xFF) {
                return p;
            }
            ensure(6);
            if (!Character.isSurrogate(c)) {
                writeBmp(c);
                p++;
                continue;
            }
            if (Character.isHighSurrogate(c)) {
                int next = p + 1 < n ? cs[p + 1] : base + n < s.length() ? s.charAt(base + n) : -1;
                if (next >= 0 && Character.isLowSurrogate((char) next)) {
                    writeCodePoint(Character.toCodePoint(c, (char) next));
                    p += 2;
                    continue;
                }
            }
            writeLoneSurrogate(c, json);
            p++;
        }
        return p;
    }

    /** The per-character path for short strings: every case handled in one loop. */
    private void writeChars(String s, boolean json) {
        int len = s.length();
        ensure(len * 6);
        byte[] b = buf;
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (json && (c < 0x20 || c == '"' || c == '\\')) {
                    writeEscape(c);
                } else {
                    b[pos++] = (byte) c;
                }
            } else if (!Character.isSurrogate(c)) {
                writeBmp(c);
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                writeCodePoint(Character.toCodePoint(c, s.charAt(i + 1)));
                i++;
            } else {
                writeLoneSurrogate(c, json);
            }
        }
    }

    /** A non-surrogate character at or above U+0080 (capacity already ensured). */
    private void writeBmp(char c) {
        byte[] b = buf;
        if (c < 0x800) {
            b[pos++] = (byte) (0xC0 | (c >>> 6));
        } else {
            b[pos++] = (byte) (0xE0 | (c >>> 12));
            b[pos++] = (byte) (0x80 | ((c >>> 6) & 0x3F));
        }
        b[pos++] = (byte) (0x80 | (c & 0x3F));
    }

    /** A supplementary code point, four bytes (capacity already ensured). */
    private void writeCodePoint(int cp) {
        byte[] b = buf;
        b[pos++] = (byte) (0xF0 | (cp >>> 18));
        b[pos++] = (byte) (0x80 | ((cp >>> 12) & 0x3F));
        b[pos++] = (byte) (0x80 | ((cp >>> 6) & 0x3F));
        b[pos++] = (byte) (0x80 | (cp & 0x3F));
    }

    /** {@code JSON.stringify} escapes a lone surrogate; {@code getBytes(UTF_8)} replaces it with {@code ?}. */
    private void writeLoneSurrogate(char c, boolean json) {
        if (json) {
            writeUnicodeEscape(c);
        } else {
            buf[pos++] = '?';
        }
    }

    /** The escape {@code JSON.stringify} uses for a character below 0x20, {@code "} or {@code \}. */
    private void writeEscape(char c) {
        ensure(6);
        byte[] b = buf;
        switch (c) {
            case '"' -> {
                b[pos++] = '\\';
                b[pos++] = '"';
            }
            case '\\' -> {
                b[pos++] = '\\';
                b[pos++] = '\\';
            }
            case '\b' -> {
                b[pos++] = '\\';
                b[pos++] = 'b';
            }
            case '\f' -> {
                b[pos++] = '\\';
                b[pos++] = 'f';
            }
            case '\n' -> {
                b[pos++] = '\\';
                b[pos++] = 'n';
            }
            case '\r' -> {
                b[pos++] = '\\';
                b[pos++] = 'r';
            }
            case '\t' -> {
                b[pos++] = '\\';
                b[pos++] = 't';
            }
            default -> writeUnicodeEscape(c);
        }
    }

    /** {@code \\u} and four lower-case hex digits (capacity already ensured). */
    private void writeUnicodeEscape(char c) {
        byte[] b = buf;
        b[pos++] = '\\';
        b[pos++] = 'u';
        b[pos++] = HEX[c >>> 12];
        b[pos++] = HEX[(c >>> 8) & 0xF];
        b[pos++] = HEX[(c >>> 4) & 0xF];
        b[pos++] = HEX[c & 0xF];
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Hashing

    /** The buffer written so far, valid in {@code [0, position())} until the next write or {@link #release}. */
    public byte[] buffer() {
        return buf;
    }

    /** Number of bytes written so far. */
    public int position() {
        return pos;
    }

    /** {@code prefix} followed by the lowercase hex SHA-256 of what has been written so far. */
    public String sha256Key(String prefix) {
        return sha256Key(prefix, buf, pos);
    }

    /** {@code prefix} followed by the lowercase hex SHA-256 of {@code data[0, len)}. */
    public String sha256Key(String prefix, byte[] data, int len) {
        MessageDigest md = sha256;
        if (md == null) {
            md = newDigest();
            sha256 = md;
        }
        md.update(data, 0, len);
        try {
            md.digest(digest, 0, digest.length);
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-256 digest buffer too small", e);
        }
        int p = prefix.length();
        int total = p + 64;
        char[] out = keyChars;
        if (out.length < total) {
            out = new char[total];
            if (total <= 1024) {
                keyChars = out; // a huge custom prefix is not kept
            }
        }
        prefix.getChars(0, p, out, 0);
        for (int i = 0; i < 32; i++) {
            int v = digest[i] & 0xff;
            out[p++] = (char) HEX[v >>> 4];
            out[p++] = (char) HEX[v & 0xF];
        }
        return new String(out, 0, total);
    }

    private static MessageDigest newDigest() {
        try {
            return (MessageDigest) SHA256_PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return newSha256();
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }
}
