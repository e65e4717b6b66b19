package dev.llmix.pipeline.scale;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake OpenAI-compatible provider for {@link ScaleTest}, run in its own JVM so that its threads and sockets are not
 * counted against the caller: it reads each request, then answers it after the hold time from a scheduler, so the
 * server holds thousands of requests open with a handful of threads. Prints {@code READY port=<n>} when listening.
 */
public final class SlowProviderMain {

    private static final byte[] ANSWER = ("{\"id\":\"scale\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},"
            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1,\"total_tokens\":6}}")
            .getBytes(StandardCharsets.UTF_8);

    private SlowProviderMain() {
    }

    /**
     * Arguments: hold time in milliseconds, gate count {@code n} and gate timeout in milliseconds. Requests are held
     * at least the hold time and, until {@code n} requests are held at once (or the gate timeout passes), until a line
     * arrives on standard input; {@code HELD <count>} is printed when the gate is reached, so the caller can measure
     * while every request is in flight.
     */
    public static void main(String[] args) throws IOException {
        long holdNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[0]));
        int gate = Integer.parseInt(args[1]);
        long gateTimeoutMs = Long.parseLong(args[2]);
        AtomicInteger held = new AtomicInteger();
        AtomicInteger answered = new AtomicInteger();
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
        Object lock = new Object();
        List<Held> pending = new ArrayList<>();
        boolean[] open = {false};
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16_384);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            Held h = new Held(exchange, System.nanoTime());
            boolean reached;
            boolean queued;
            synchronized (lock) {
                reached = held.incrementAndGet() == gate && !open[0];
                queued = !open[0];
                if (queued) {
                    pending.add(h);
                }
            }
            if (reached) {
                announce(held.get());
            }
            if (!queued) {
                release(scheduler, h, holdNanos, held, answered);
            }
        });
        server.start();
        System.out.println("READY port=" + server.getAddress().getPort());
        System.out.flush();
        Runnable openGate = () -> {
            List<Held> waiting;
            synchronized (lock) {
                if (open[0]) {
                    return;
                }
                open[0] = true;
                waiting = new ArrayList<>(pending);
                pending.clear();
            }
            for (Held h : waiting) {
                release(scheduler, h, holdNanos, held, answered);
            }
        };
        scheduler.schedule(() -> {
            synchronized (lock) {
                if (open[0]) {
                    return;
                }
            }
            announce(held.get());
            openGate.run();
        }, gateTimeoutMs, TimeUnit.MILLISECONDS);
        // Any line (or the end of input) on standard input opens the gate.
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)).readLine();
        openGate.run();
    }

    private static void announce(int count) {
        synchronized (System.out) {
            System.out.println("HELD " + count);
            System.out.flush();
        }
    }

    private static void release(ScheduledExecutorService scheduler, Held h, long holdNanos, AtomicInteger held,
            AtomicInteger answered) {
        long delay = Math.max(0, h.arrivedNanos + holdNanos - System.nanoTime());
        scheduler.schedule(() -> {
            held.decrementAndGet();
            answered.incrementAndGet();
            respond(h.exchange, ANSWER);
        }, delay, TimeUnit.NANOSECONDS);
    }

    /** One request waiting for its answer. */
    private static final class Held {
        final HttpExchange exchange;
        final long arrivedNanos;

        Held(HttpExchange exchange, long arrivedNanos) {
            this.exchange = exchange;
            this.arrivedNanos = arrivedNanos;
        }
    }

    private static void respond(HttpExchange exchange, byte[] body) {
        try {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (IOException e) {
            // The client went away: nothing to answer.
            exchange.close();
        }
    }
}
