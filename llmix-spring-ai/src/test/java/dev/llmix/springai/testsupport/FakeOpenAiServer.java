package dev.llmix.springai.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A loopback fake of OpenAI's Chat Completions endpoint on the JDK's HTTP server, so it works beside both OkHttp 4
 * (Spring AI's OpenAI SDK) and OkHttp 5. It records every request and answers from a script, else with a default
 * reply ({@value #DEFAULT_TEXT}, model {@value #RESPONSE_MODEL}, usage 11/7/18, finish {@code stop}).
 */
public final class FakeOpenAiServer implements AutoCloseable {

    /** The text of the default reply. */
    public static final String DEFAULT_TEXT = "Hello from fake";
    /** The model the default reply reports. */
    public static final String RESPONSE_MODEL = "gpt-4o-mini-2024-07-18";

    /** One recorded request. */
    public record Recorded(String method, String path, Map<String, String> headers, String body) {
        /** A header by case-insensitive name, or {@code null}. */
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /**
     * One scripted answer. Each {@link #PAUSE} in the body flushes what came before and waits {@code pauseMs}, so a
     * stream can send its headers (or first events) and stall.
     */
    public record Reply(int status, String body, Map<String, String> headers, long pauseMs) {
        /** An answer sent at once. */
        public Reply(int status, String body, Map<String, String> headers) {
            this(status, body, headers, 0);
        }
    }

    /** Marks a flush-and-wait point in a {@link Reply} body. */
    public static final String PAUSE = "\u0000";

    private final HttpServer server;
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Reply> fallback = new AtomicReference<>(ok(DEFAULT_TEXT));

    private FakeOpenAiServer() throws IOException {
        // Headers and body go out in separate writes; without TCP_NODELAY, Nagle plus delayed ACKs add ~40 ms.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-openai");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    /** Starts a server on a free loopback port. */
    public static FakeOpenAiServer start() {
        try {
            return new FakeOpenAiServer();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code http://127.0.0.1:<port>} without a trailing slash. */
    public String baseUrl() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
    }

    /** A 200 Chat Completions answer with {@code text}, the default model and usage 11/7/18. */
    public static Reply ok(String text) {
        return okWithUsage(text, 11, 7, 18);
    }

    /** A 200 Chat Completions answer with {@code text} and the given usage. */
    public static Reply okWithUsage(String text, int input, int output, int total) {
        return new Reply(200, "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\""
                + RESPONSE_MODEL + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
                + quote(text) + "},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":" + input
                + ",\"completion_tokens\":" + output + ",\"total_tokens\":" + total + "}}", Map.of());
    }

    /**
     * A 200 Chat Completions answer asking for one tool call ({@code finish_reason tool_calls}, no content), with the
     * given usage.
     */
    public static Reply toolCall(String id, String name, String arguments, int input, int output, int total) {
        return new Reply(200, "{\"id\":\"chatcmpl-2\",\"object\":\"chat.completion\",\"created\":1,\"model\":\""
                + RESPONSE_MODEL + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,"
                + "\"tool_calls\":[{\"id\":" + quote(id) + ",\"type\":\"function\",\"function\":{\"name\":"
                + quote(name) + ",\"arguments\":" + quote(arguments) + "}}]},\"finish_reason\":\"tool_calls\"}],"
                + "\"usage\":{\"prompt_tokens\":" + input + ",\"completion_tokens\":" + output
                + ",\"total_tokens\":" + total + "}}", Map.of());
    }

    /**
     * A streamed (Server-Sent Events) answer: one chunk per text delta, a {@code stop} chunk, a usage chunk and
     * {@code [DONE]}. With {@code pauseMs > 0} the server stalls that long after the first delta.
     */
    public static Reply streamText(List<String> deltas, int input, int output, int total, long pauseMs) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < deltas.size(); i++) {
            b.append(event("{\"content\":" + quote(deltas.get(i)) + "}", null));
            if (i == 0 && pauseMs > 0) {
                b.append(PAUSE);
            }
        }
        b.append(event("{}", "stop"));
        b.append(usageEvent(input, output, total)).append("data: [DONE]\n\n");
        return new Reply(200, b.toString(), Map.of("Content-Type", "text/event-stream"), pauseMs);
    }

    /** A streamed tool call whose arguments arrive in two fragments, then {@code tool_calls}, usage and done. */
    public static Reply streamToolCall(String id, String name, String arguments, int input, int output, int total) {
        int half = arguments.length() / 2;
        String first = "{\"tool_calls\":[{\"index\":0,\"id\":" + quote(id) + ",\"type\":\"function\",\"function\":"
                + "{\"name\":" + quote(name) + ",\"arguments\":" + quote(arguments.substring(0, half)) + "}}]}";
        String second = "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":"
                + quote(arguments.substring(half)) + "}}]}";
        String body = event(first, null) + event(second, null) + event("{}", "tool_calls")
                + usageEvent(input, output, total) + "data: [DONE]\n\n";
        return new Reply(200, body, Map.of("Content-Type", "text/event-stream"));
    }

    /** A stream that sends its headers, then nothing for {@code stallMs}, then {@code then}'s events. */
    public static Reply stalledStream(long stallMs, Reply then) {
        return new Reply(200, PAUSE + then.body(), Map.of("Content-Type", "text/event-stream"), stallMs);
    }

    private static String event(String delta, String finishReason) {
        return "data: {\"id\":\"chatcmpl-s\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\""
                + RESPONSE_MODEL + "\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":"
                + (finishReason == null ? "null" : quote(finishReason)) + "}]}\n\n";
    }

    private static String usageEvent(int input, int output, int total) {
        return "data: {\"id\":\"chatcmpl-s\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\""
                + RESPONSE_MODEL + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":" + input
                + ",\"completion_tokens\":" + output + ",\"total_tokens\":" + total + "}}\n\n";
    }

    /** An error answer with an OpenAI-style error body. */
    public static Reply error(int status, String message, Map<String, String> headers) {
        return new Reply(status, "{\"error\":{\"message\":" + quote(message) + ",\"type\":\"error\"}}", headers);
    }

    /** Answers the next request with {@code reply}. */
    public FakeOpenAiServer enqueue(Reply reply) {
        script.add(reply);
        return this;
    }

    /** Answers every unscripted request with {@code reply}. */
    public FakeOpenAiServer always(Reply reply) {
        fallback.set(reply);
        return this;
    }

    /** The requests received so far. */
    public List<Recorded> requests() {
        return new ArrayList<>(requests);
    }

    /** How many requests were received. */
    public int requestCount() {
        return requests.size();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            requests.add(new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers, body));
            Reply reply = script.poll();
            if (reply == null) {
                reply = fallback.get();
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            if (!reply.body().contains(PAUSE)) {
                byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(reply.status(), bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
                return;
            }
            exchange.sendResponseHeaders(reply.status(), 0);
            try (OutputStream out = exchange.getResponseBody()) {
                String[] parts = reply.body().split(PAUSE, -1);
                for (int i = 0; i < parts.length; i++) {
                    if (i > 0) {
                        try {
                            Thread.sleep(reply.pauseMs());
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                    out.write(parts[i].getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            } catch (IOException clientGone) {
                // The client cancelled or timed out the stream; nothing left to answer.
            }
        }
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
