package dev.llmix.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.SocketEffect;
import okio.BufferedSink;

/**
 * Real Server-Sent Events responses for a loopback {@code MockWebServer}, written step by step with controllable
 * timing and faults: text is written and flushed as it comes, a {@link Duration} pauses, {@link #DROP} resets the
 * connection mid-stream, {@link #HANG} keeps the connection open (with no event) until the client goes away.
 */
public final class SseResponses {

    /** Ends the body at this point and closes the connection, as a provider dropping the stream does. */
    public static final Object DROP = new Object();
    /** Sends nothing more and waits (up to 30 s) until the client closes the connection. */
    public static final Object HANG = new Object();

    private SseResponses() {
    }

    /** A step writing {@code text} {@code times} times (each flushed), for long streams. */
    public record Repeat(String text, int times) {
    }

    /** A {@code data:} event with this payload. */
    public static String data(String payload) {
        return "data: " + payload + "\n\n";
    }

    /** A named event. */
    public static String event(String name, String payload) {
        return "event: " + name + "\ndata: " + payload + "\n\n";
    }

    /** A {@code 200 text/event-stream} response playing {@code steps}. */
    public static MockResponse sse(Object... steps) {
        return sse(new Script(List.of(steps)));
    }

    /** A {@code 200 text/event-stream} response playing {@code script} (which records what the server saw). */
    public static MockResponse sse(Script script) {
        // The body has no length, so it ends when the server closes the connection after the last step.
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
                .body(script).onResponseEnd(new SocketEffect.CloseSocket()).build();
    }

    /** The steps of one streamed body, plus what happened while writing it. */
    public static final class Script implements MockResponseBody {
        private final List<Object> steps;
        private final AtomicBoolean clientGone = new AtomicBoolean();
        private final AtomicBoolean finished = new AtomicBoolean();
        private final AtomicLong bytesWritten = new AtomicLong();

        public Script(List<Object> steps) {
            this.steps = List.copyOf(steps);
        }

        @Override
        public long getContentLength() {
            return -1;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            try {
                for (Object step : steps) {
                    if (step instanceof String text) {
                        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                        sink.write(bytes);
                        sink.flush();
                        bytesWritten.addAndGet(bytes.length);
                    } else if (step instanceof byte[] bytes) {
                        sink.write(bytes);
                        sink.flush();
                        bytesWritten.addAndGet(bytes.length);
                    } else if (step instanceof Repeat repeat) {
                        byte[] bytes = repeat.text().getBytes(StandardCharsets.UTF_8);
                        for (int i = 0; i < repeat.times(); i++) {
                            sink.write(bytes);
                            sink.flush();
                            bytesWritten.addAndGet(bytes.length);
                        }
                    } else if (step instanceof Duration pause) {
                        Thread.sleep(pause.toMillis());
                    } else if (step == DROP) {
                        // The response ends here and the connection is closed: no terminal marker follows.
                        return;
                    } else if (step == HANG) {
                        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                        while (System.nanoTime() < end) {
                            // A comment probes the connection without producing an event.
                            sink.writeUtf8(":\n");
                            sink.flush();
                            Thread.sleep(20);
                        }
                    } else {
                        throw new IllegalArgumentException("unknown step " + step);
                    }
                }
                finished.set(true);
            } catch (IOException e) {
                clientGone.set(true);
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }

        /** Whether a write failed because the client closed the connection. */
        public boolean clientGone() {
            return clientGone.get();
        }

        /** Whether every step was written. */
        public boolean finished() {
            return finished.get();
        }

        /** Bytes written so far. */
        public long bytesWritten() {
            return bytesWritten.get();
        }
    }
}
