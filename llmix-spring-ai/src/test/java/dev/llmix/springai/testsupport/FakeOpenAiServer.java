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

    /** One scripted answer. */
    public record Reply(int status, String body, Map<String, String> headers) {
    }

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
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            exchange.sendResponseHeaders(reply.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
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
