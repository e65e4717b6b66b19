package dev.llmix.fleetit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A loopback OpenAI-compatible provider (Chat Completions with usage) that records every request with its server-side
 * time, base-URL path and key fingerprint, and answers 503 or 401 per path or per path and key on demand.
 */
final class FakeProvider implements AutoCloseable {

    /**
     * One request as the provider saw it.
     *
     * @param atMs   server time of arrival (epoch ms)
     * @param path   the base-URL path, e.g. {@code /budget/a} for {@code /budget/a/chat/completions}
     * @param fp     the key's fingerprint (first 16 hex of SHA-256)
     * @param status the status answered
     */
    record Request(long atMs, String path, String fp, int status) {
    }

    private static final String SUFFIX = "/chat/completions";
    private static final byte[] OK = ("{\"id\":\"chatcmpl-it\",\"object\":\"chat.completion\",\"created\":1,"
            + "\"model\":\"it-model\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},"
            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":1,\"total_tokens\":13}}")
            .getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(16, r -> {
        Thread t = new Thread(r, "fake-provider");
        t.setDaemon(true);
        return t;
    });
    private final ConcurrentLinkedQueue<Request> log = new ConcurrentLinkedQueue<>();
    private final Map<String, Integer> byPath = new ConcurrentHashMap<>();
    private final Map<String, Integer> byPathAndKey = new ConcurrentHashMap<>();

    FakeProvider() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** {@code http://127.0.0.1:<port>}. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every request to {@code path} is answered with {@code status} (0 restores 200). */
    void answerPath(String path, int status) {
        if (status == 0) {
            byPath.remove(path);
        } else {
            byPath.put(path, status);
        }
    }

    /** Requests to {@code path} with the key of fingerprint {@code fp} are answered with {@code status} (0 clears). */
    void answerKey(String path, String fp, int status) {
        if (status == 0) {
            byPathAndKey.remove(path + "|" + fp);
        } else {
            byPathAndKey.put(path + "|" + fp, status);
        }
    }

    /** The requests recorded so far that match, in arrival order. */
    List<Request> requests(Predicate<Request> filter) {
        List<Request> out = new ArrayList<>();
        for (Request r : log) {
            if (filter.test(r)) {
                out.add(r);
            }
        }
        out.sort((a, b) -> Long.compare(a.atMs(), b.atMs()));
        return out;
    }

    /** First 16 lowercase hex digits of SHA-256 of the trimmed key, as the fleet shares keys (docs/fleet.md). */
    static String fingerprint(String key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.trim().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        long at = System.currentTimeMillis();
        try (InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
        }
        String uri = exchange.getRequestURI().getPath();
        String path = uri.endsWith(SUFFIX) ? uri.substring(0, uri.length() - SUFFIX.length()) : uri;
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        String key = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : "";
        String fp = fingerprint(key);
        int status = statusFor(path, fp);
        log.add(new Request(at, path, fp, status));
        byte[] body = status == 200 ? OK
                : ("{\"error\":{\"message\":\"fake " + status + "\",\"type\":\"it\"}}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private int statusFor(String path, String fp) {
        @Nullable Integer perKey = byPathAndKey.get(path + "|" + fp);
        if (perKey != null) {
            return perKey;
        }
        @Nullable Integer perPath = byPath.get(path);
        return perPath == null ? 200 : perPath;
    }

    private boolean closed;

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.stop(0);
        executor.shutdownNow();
    }
}
