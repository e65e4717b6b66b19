package dev.llmix.provider.http;

import dev.llmix.LlmixLocalException;
import dev.llmix.internal.DaemonThreads;
import dev.llmix.internal.http.CallerRuns;
import dev.llmix.internal.Deadlines;
import dev.llmix.spi.ProviderException;
import java.io.IOException;
import java.net.ProtocolException;
import dev.llmix.spi.ProviderTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP exchange per call, with every failure mapped to a {@link ProviderException}: the request timeout covers the
 * whole exchange including the body and cancels it when it fires, bodies are read through a bounded subscriber, and
 * error texts are scrubbed of the secrets sent with the request. Never retries: the pipeline owns retries.
 */
final class HttpTransport {

    /** Headers the adapters set themselves; {@link AdapterOptions} refuses them as default headers. */
    static final Set<String> PROTECTED_HEADERS = Set.of("authorization", "x-api-key", "x-goog-api-key",
            "x-internal-token", "x-sno-llm-key", "anthropic-version", "content-type", "content-length", "host",
            "connection", "expect", "upgrade", "accept", "user-agent");

    /** Error bodies are only summarised, so reading more than this is pointless. */
    private static final long ERROR_BODY_LIMIT = 64 * 1024;

    /** What to send: the adapter has resolved URL, auth headers, body and timeout. */
    record Request(URI uri, Map<String, String> headers, byte[] body, Duration timeout, List<String> secrets,
            boolean http2) {
    }

    /** A complete answer: status, lower-cased headers, body bytes. */
    record Reply(int status, Map<String, String> headers, byte[] body) {
        boolean isSuccess() {
            return status >= 200 && status < 300;
        }
    }

    private final AtomicReference<HttpClient> client;
    private final AdapterOptions options;
    /** True when this transport created its client and may therefore replace and shut it down. */
    private final boolean ownsClient;

    HttpTransport(AdapterOptions options) {
        this.options = options;
        HttpClient shared = options.httpClient();
        this.ownsClient = shared == null;
        this.client = new AtomicReference<>(shared != null ? shared : newClient(options));
    }

    static HttpClient newClient(AdapterOptions options) {
        HttpClient.Builder b = HttpClient.newBuilder()
                .connectTimeout(options.connectTimeout())
                // Redirects would resend auth headers to wherever the Location points.
                .followRedirects(HttpClient.Redirect.NEVER);
        // The JDK default is an unbounded cached pool: one thread per concurrently completing exchange under load.
        b.executor(options.executor() != null ? options.executor() : SharedExecutor.INSTANCE);
        return b.build();
    }

    /**
     * The bounded executor shared by every client the adapters build themselves: {@code max(2, cores)} daemon
     * threads. Exchanges are asynchronous, so its threads only parse replies and complete futures
     * (docs/performance.md, "Calls in flight on one machine").
     */
    private static final class SharedExecutor {
        static final ExecutorService INSTANCE = Executors.newFixedThreadPool(
                Math.max(2, Runtime.getRuntime().availableProcessors()),
                DaemonThreads.named("llmix-http"));

        static {
            // The JDK client hands every sendAsync completion to CompletableFuture's default executor, which is a new
            // thread per task when the common pool has parallelism 1 (machines with 2 CPUs or fewer): under load that
            // is a thread per answer (docs/performance.md, "Calls in flight on one machine").
            if (java.util.concurrent.ForkJoinPool.getCommonPoolParallelism() <= 1) {
                org.slf4j.LoggerFactory.getLogger(HttpTransport.class).warn("LLMix: the common ForkJoinPool has"
                        + " parallelism {}, so the JDK HttpClient starts a thread for every completed request; set"
                        + " -Djava.util.concurrent.ForkJoinPool.common.parallelism=2 (or more) for many concurrent"
                        + " calls", java.util.concurrent.ForkJoinPool.getCommonPoolParallelism());
            }
        }
    }

    HttpClient client() {
        return client.get();
    }

    CompletableFuture<Reply> send(Request r) {
        CallerRuns.Offer offer = CallerRuns.take();
        boolean boundByCaller = offer != null && offer.boundNanos() < r.timeout().toNanos();
        Duration timeout = boundByCaller ? Duration.ofNanos(Math.max(1_000_000, offer.boundNanos())) : r.timeout();
        HttpRequest request;
        try {
            HttpRequest.Builder rb = HttpRequest.newBuilder(r.uri())
                    // HTTP/2 only where ALPN negotiates it; cleartext h2c upgrades confuse plain proxies.
                    .version(r.http2() && "https".equalsIgnoreCase(r.uri().getScheme())
                            ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .header("User-Agent", options.userAgent())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(r.body()));
            if (offer == null) {
                // On the calling thread the exchange's own bound (same duration) covers the headers too; the JDK's
                // request timeout would register a second timer and wake its selector thread on every call.
                rb.timeout(timeout);
            }
            options.defaultHeaders().forEach(rb::header);
            r.headers().forEach(rb::header);
            request = rb.build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new AdapterConfigException(
                    "invalid provider request: " + Redaction.redact(describe(e), r.secrets())));
        }

        long limit = options.maxResponseBytes();
        BoundedBodySubscriber[] body = new BoundedBodySubscriber[1];
        CompletableFuture<Reply> out = new CompletableFuture<>();
        HttpResponse.BodyHandler<byte[]> handler = info -> {
            boolean ok = info.statusCode() >= 200 && info.statusCode() < 300;
            long declared = info.headers().firstValueAsLong("content-length").orElse(-1L);
            // The reply is complete when its body is: answer from the reading thread. The future sendAsync returns
            // completes later, through CompletableFuture's default executor, which on a machine with 2 CPUs starts a
            // new thread per task (docs/performance.md, "Spring AI bridge").
            BoundedBodySubscriber s = new BoundedBodySubscriber(ok ? limit : Math.min(limit, ERROR_BODY_LIMIT),
                    !ok, declared, bytes -> out.complete(
                            new Reply(info.statusCode(), lowerCaseHeaders(info.headers()), bytes)));
            body[0] = s;
            return s;
        };

        HttpClient used = client.get();
        if (offer != null) {
            return sendOnThisThread(used, request, handler, body, out, r, timeout,
                    boundByCaller ? offer.timeoutMessage() : null);
        }
        CompletableFuture<HttpResponse<byte[]>> sent;
        try {
            sent = used.sendAsync(request, handler);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(network("provider request failed: ", e, r));
        }
        sent.whenComplete((resp, err) -> {
            if (err == null) {
                // The body subscriber has answered already (the handler above); this is only a safety net, so the
                // headers are not copied a second time.
                if (!out.isDone()) {
                    out.complete(new Reply(resp.statusCode(), lowerCaseHeaders(resp.headers()), resp.body()));
                }
            } else {
                boolean reading = body[0] != null;
                Throwable cause = unwrap(err);
                if (mayStrandConnection(cause)) {
                    retireClient(used);
                }
                out.completeExceptionally(mapFailure(cause, reading, r));
            }
        });
        // Covers the body phase too (HttpRequest.timeout stops at the headers); the bound is dropped on completion.
        Deadlines.Bound bound = Deadlines.SHARED.after(Math.max(1_000_000, r.timeout().toNanos()),
                () -> out.completeExceptionally(new TimeoutException()));
        CompletableFuture<Reply> result = new CompletableFuture<>();
        out.whenComplete((reply, err) -> {
            bound.cancel();
            if (err == null) {
                result.complete(reply);
                return;
            }
            Throwable cause = unwrap(err);
            if (cause instanceof TimeoutException) {
                abort(sent, body[0]);
                result.completeExceptionally(timedOut(r));
            } else {
                result.completeExceptionally(cause);
            }
        });
        // A caller that gives up (pipeline deadline, cancellation) must not leave the exchange running.
        result.whenComplete((reply, err) -> {
            if (err != null && !sent.isDone()) {
                abort(sent, body[0]);
            }
        });
        return result;
    }

    /**
     * One exchange on the calling thread, which the pipeline offered because it blocks on the call anyway
     * ({@link CallerRuns}). {@code timeout} bounds the whole exchange, headers included (a timer that interrupts this
     * thread, which makes the JDK abort the exchange); when it expires, the attempt fails
     * with the text {@code callerTimeout} if the pipeline's bound set it, else with the adapter's own timeout text.
     * The caller's own interrupt aborts the exchange too, keeps the flag and fails the attempt locally.
     */
    private CompletableFuture<Reply> sendOnThisThread(HttpClient used, HttpRequest request,
            HttpResponse.BodyHandler<byte[]> handler, BoundedBodySubscriber[] body, CompletableFuture<Reply> out,
            Request r, Duration timeout, @Nullable String callerTimeout) {
        ExchangeTimer timer = new ExchangeTimer(Thread.currentThread());
        Deadlines.Bound alarm = Deadlines.SHARED.after(Math.max(1_000_000, timeout.toNanos()), timer::fire);
        try {
            HttpResponse<byte[]> resp = used.send(request, handler);
            if (!out.isDone()) {
                out.complete(new Reply(resp.statusCode(), lowerCaseHeaders(resp.headers()), resp.body()));
            }
            return out;
        } catch (InterruptedException e) {
            if (timer.stop()) {
                return CompletableFuture.failedFuture(expired(callerTimeout, r));
            }
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(
                    new LlmixLocalException("Interrupted while waiting for the LLM call to complete"));
        } catch (IOException | RuntimeException e) {
            if (timer.stop() || e instanceof HttpTimeoutException && !(e instanceof HttpConnectTimeoutException)) {
                return CompletableFuture.failedFuture(expired(callerTimeout, r));
            }
            if (out.isDone()) {
                return out;
            }
            // send() rethrows a failure of the exchange as a plain IOException around the original: unwrap it, so
            // the texts are those of the asynchronous path.
            Throwable cause = e.getClass() == IOException.class && e.getCause() != null ? e.getCause() : e;
            if (mayStrandConnection(cause)) {
                retireClient(used);
            }
            return CompletableFuture.failedFuture(mapFailure(cause, body[0] != null, r));
        } finally {
            timer.stop();
            alarm.cancel();
        }
    }

    /** The failure of an exchange its time bound ended; built only then (an exception per call would cost). */
    private static ProviderException expired(@Nullable String callerTimeout, Request r) {
        return callerTimeout != null ? new ProviderTimeoutException(callerTimeout, null) : timedOut(r);
    }

    /**
     * Interrupts the thread running a blocking exchange when its time is up, and never after the exchange ended: an
     * interrupt meant for the exchange must not reach the caller's later code.
     */
    private static final class ExchangeTimer {
        private final Thread thread;
        private boolean ended;
        private boolean fired;

        ExchangeTimer(Thread thread) {
            this.thread = thread;
        }

        synchronized void fire() {
            if (!ended) {
                fired = true;
                thread.interrupt();
            }
        }

        /** Ends the exchange; true when the timer interrupted it, whose interrupt is then cleared. */
        synchronized boolean stop() {
            ended = true;
            if (fired) {
                fired = false;
                Thread.interrupted();
                return true;
            }
            return false;
        }
    }

    /**
     * The JDK client never closes a connection whose status line or headers it rejected ({@code ProtocolException}):
     * the socket stays in CLOSE_WAIT for as long as the client lives (docs/reliability.md, hostile input item 3).
     * An owned client is therefore replaced and the old one shut down, which lets in-flight exchanges finish and then
     * closes every connection it opened. {@code HttpClient.shutdown()} exists from Java 21; on Java 17 nothing can
     * release those sockets, and the old client is merely dropped. A caller-supplied client is never touched.
     */
    private void retireClient(HttpClient used) {
        if (!ownsClient || !client.compareAndSet(used, newClient(options))) {
            return;
        }
        try {
            HttpClient.class.getMethod("shutdown").invoke(used);
        } catch (ReflectiveOperationException | RuntimeException notOnThisJdk) {
            // Java 17: no shutdown; the client becomes unreachable.
        }
    }

    /**
     * Failures after which the JDK may keep the connection open: a rejected status line or header
     * ({@code ProtocolException}) and an unparsable {@code Content-Length} (an {@code IOException} or a
     * {@code NumberFormatException}). Timeouts, cancellations, refused connections and our own size limit close the
     * connection in the JDK and do not count.
     */
    private static boolean mayStrandConnection(Throwable cause) {
        if (cause instanceof HttpTimeoutException || cause instanceof CancellationException
                || cause instanceof java.net.ConnectException || cause instanceof BoundedBodySubscriber.TooLargeException) {
            return false;
        }
        return cause instanceof ProtocolException || cause instanceof java.io.IOException
                || cause instanceof NumberFormatException;
    }

    private static void abort(CompletableFuture<?> sent, @Nullable BoundedBodySubscriber body) {
        sent.cancel(true);
        if (body != null) {
            body.cancel();
        }
    }

    private static ProviderException timedOut(Request r) {
        return new ProviderTimeoutException("provider request failed: request timed out after "
                + seconds(r.timeout()), null);
    }

    /** A timeout as the failure messages print it: whole seconds as {@code "2 s"}, else {@code "1500 ms"}. */
    static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + " s" : ms + " ms";
    }

    /** The cause inside the {@code CompletionException}/{@code ExecutionException} wrappers of async results. */
    static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    private static Throwable mapFailure(Throwable cause, boolean reading, Request r) {
        if (cause instanceof ProviderException || cause instanceof AdapterConfigException) {
            return cause;
        }
        if (cause instanceof HttpConnectTimeoutException) {
            return network("provider request failed: ", cause, r);
        }
        if (cause instanceof HttpTimeoutException) {
            return timedOut(r);
        }
        if (cause instanceof CancellationException) {
            return cause;
        }
        if (cause instanceof BoundedBodySubscriber.TooLargeException || reading) {
            return network("failed reading provider response: ", cause, r);
        }
        return network("provider request failed: ", cause, r);
    }

    private static ProviderException network(String prefix, Throwable cause, Request r) {
        String text = describe(cause);
        String safe = Redaction.redact(text, r.secrets());
        // A cause whose text quoted a secret is dropped: cause chains are printed verbatim by loggers.
        return ProviderException.network(prefix + safe, safe.equals(text) ? cause : null);
    }

    static String describe(Throwable t) {
        String msg = t.getMessage();
        String name = t.getClass().getSimpleName();
        return msg == null || msg.isBlank() ? name : name + ": " + msg;
    }

    /** All response headers, names lower-cased, repeated values joined with {@code ", "}; HTTP/2 pseudo-headers dropped. */
    static Map<String, String> lowerCaseHeaders(HttpHeaders headers) {
        Map<String, String> out = new TreeMap<>();
        headers.map().forEach((name, values) -> {
            if (name.isEmpty() || name.charAt(0) == ':' || values.isEmpty()) {
                return;
            }
            out.merge(name.toLowerCase(Locale.ROOT), String.join(", ", values), (a, b) -> a + ", " + b);
        });
        return out;
    }
}
