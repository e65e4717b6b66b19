package dev.llmix.provider.http;

import dev.llmix.spi.ProviderException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * An incremental Server-Sent Events decoder with bounded memory: bytes in (any split), events out. Lines are split
 * on bytes (CR, LF and CRLF, also across reads), so a UTF-8 sequence cut by a read is joined before decoding and
 * invalid bytes become U+FFFD; one leading BOM is dropped. A line or an event's data longer than the limit fails with
 * {@code provider stream event exceeds the limit of <n> bytes} (network class). Not thread-safe.
 */
final class SseDecoder {

    /** Receives each dispatched event; may throw to fail the stream. */
    @FunctionalInterface
    interface Handler {
        /**
         * One event.
         *
         * @param type the {@code event} field, or {@code null} when none was given
         * @param data the data lines joined with {@code "\n"}
         */
        void onEvent(@Nullable String type, String data);
    }

    private final int limit;
    private final Handler handler;
    private byte[] line = new byte[256];
    private int lineLength;
    private boolean lastWasCr;
    private boolean firstLine = true;
    private @Nullable String type;
    private final StringBuilder data = new StringBuilder();
    /** The event's only data line so far, else null (then {@link #data} holds the lines). */
    private @Nullable String single;
    private long dataBytes;
    private boolean hasData;

    SseDecoder(int limit, Handler handler) {
        this.limit = limit;
        this.handler = handler;
    }

    /** Decodes {@code buf} (consumed entirely). */
    void feed(ByteBuffer buf) {
        while (buf.hasRemaining()) {
            byte b = buf.get();
            if (b == '\n') {
                if (lastWasCr) {
                    lastWasCr = false;
                    continue;
                }
                endLine();
            } else if (b == '\r') {
                lastWasCr = true;
                endLine();
            } else {
                lastWasCr = false;
                append(b);
                appendRun(buf);
            }
        }
    }

    /** Copies the bytes up to the next line break in one go: a chunk's JSON is one long run without breaks. */
    private void appendRun(ByteBuffer buf) {
        int from = buf.position();
        int to = buf.limit();
        int end = from;
        while (end < to) {
            byte b = buf.get(end);
            if (b == '\n' || b == '\r') {
                break;
            }
            end++;
        }
        int n = end - from;
        if (n == 0) {
            return;
        }
        if (lineLength + n > line.length) {
            if ((long) lineLength + n > limit) {
                throw tooLarge(limit);
            }
            line = Arrays.copyOf(line, (int) Math.min((long) limit, Math.max((long) line.length * 2, lineLength + n)));
        }
        buf.get(line, lineLength, n);
        lineLength += n;
    }

    /** The end of input: a pending line is processed as if terminated, then a pending event dispatched. */
    void end() {
        if (lineLength > 0) {
            endLine();
        }
        dispatch();
    }

    private void append(byte b) {
        if (lineLength == line.length) {
            if (lineLength >= limit) {
                throw tooLarge(limit);
            }
            line = Arrays.copyOf(line, (int) Math.min((long) limit, (long) line.length * 2));
        }
        line[lineLength++] = b;
    }

    static ProviderException tooLarge(int limit) {
        return ProviderException.network("provider stream event exceeds the limit of " + limit + " bytes", null);
    }

    private void endLine() {
        int start = 0;
        if (firstLine) {
            firstLine = false;
            if (lineLength >= 3 && (line[0] & 0xFF) == 0xEF && (line[1] & 0xFF) == 0xBB && (line[2] & 0xFF) == 0xBF) {
                start = 3;
            }
        }
        int len = lineLength - start;
        lineLength = 0;
        if (len == 0) {
            dispatch();
            return;
        }
        if (line[start] == ':') {
            return; // a comment, e.g. a keep-alive
        }
        int colon = -1;
        for (int i = start; i < start + len; i++) {
            if (line[i] == ':') {
                colon = i;
                break;
            }
        }
        int fieldEnd = colon < 0 ? start + len : colon;
        int valueStart = colon < 0 ? start + len : colon + 1;
        if (valueStart < start + len && line[valueStart] == ' ') {
            valueStart++;
        }
        int fieldLength = fieldEnd - start;
        if (is(start, fieldLength, "data")) {
            int valueLength = start + len - valueStart;
            dataBytes += valueLength + 1;
            if (dataBytes > limit) {
                throw tooLarge(limit);
            }
            String value = new String(line, valueStart, valueLength, StandardCharsets.UTF_8);
            if (!hasData) {
                // The usual event has one data line: it becomes the payload as it is, without the builder's copies.
                single = value;
                hasData = true;
            } else {
                if (single != null) {
                    data.append(single).append('\n');
                    single = null;
                }
                data.append(value).append('\n');
            }
        } else if (is(start, fieldLength, "event")) {
            type = new String(line, valueStart, start + len - valueStart, StandardCharsets.UTF_8);
        }
        // id, retry and unknown fields are ignored.
    }

    private boolean is(int start, int length, String field) {
        if (length != field.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (line[start + i] != field.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private void dispatch() {
        if (hasData) {
            String one = single;
            String payload = one != null ? one : data.substring(0, data.length() - 1);
            String t = type;
            single = null;
            data.setLength(0);
            dataBytes = 0;
            hasData = false;
            type = null;
            handler.onEvent(t, payload);
        } else {
            type = null;
        }
    }
}
