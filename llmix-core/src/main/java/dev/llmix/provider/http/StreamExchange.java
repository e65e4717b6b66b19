package dev.llmix.provider.http;

import dev.llmix.internal.Deadlines;
import dev.llmix.spi.ProviderException;
import dev.llmix.spi.ProviderResult;
import dev.llmix.spi.ProviderStreamEvent;
import dev.llmix.spi.ProviderStreams;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One streamed HTTP exchange, published as {@link ProviderStreamEvent}s with honest back-pressure: the response body
 * is requested one network read at a time, and only when the decoded events of the previous read have all been
 * handed on and the subscriber wants more, so without demand the JDK client stops reading the socket. A non-2xx reply
 * becomes the call's {@link ProviderException}; a 2xx JSON reply is mapped by the non-streamed parser. Cancelling
 * aborts the exchange.
 */
final class StreamExchange implements Flow.Subscription {

    private static final long ERROR_BODY_LIMIT = 64 * 1024;

    private final HttpClient client;
    private final AdapterOptions options;
    private final HttpTransport.Request request;
    private final Duration headerTimeout;
    private final StreamDecoder decoder;
    private final Function<HttpTransport.Reply, ProviderResult> jsonParser;
    private final Flow.Subscriber<? super ProviderStreamEvent> downstream;
    private final SseDecoder sse;

    private final AtomicLong demand = new AtomicLong();
    private final AtomicInteger wip = new AtomicInteger();
    /** Events of at most one network read (guarded by the drain loop and this monitor). */
    private final ArrayDeque<ProviderStreamEvent> queue = new ArrayDeque<>();
    private volatile @Nullable Throwable failure;
    /** A failure found while decoding: delivered after the events decoded before it. */
    private volatile @Nullable Throwable trailingFailure;
    private volatile boolean completed;
    private volatile boolean cancelled;
    private boolean terminated;
    private volatile Flow.@Nullable Subscription body;
    private volatile boolean bodyRequested;
    private volatile @Nullable CompletableFuture<?> sent;
    private volatile Deadlines.@Nullable Bound timer;
    private volatile Deadlines.@Nullable Bound headerBound;
    private long assembledChars;
    /** The SSE body's result for the JDK client: completes once, when the stream has ended in any way. */
    private final CompletableFuture<Object> bodyDone = new CompletableFuture<>();

    StreamExchange(HttpClient client, AdapterOptions options, HttpTransport.Request request, Duration headerTimeout,
            StreamDecoder decoder, Function<HttpTransport.Reply, ProviderResult> jsonParser,
            Flow.Subscriber<? super ProviderStreamEvent> downstream) {
        this.client = client;
        this.options = options;
        this.request = request;
        this.headerTimeout = headerTimeout;
        this.decoder = decoder;
        this.jsonParser = jsonParser;
        this.downstream = downstream;
        this.sse = new SseDecoder(options.maxStreamEventBytes(), this::onSse);
    }

    /** Subscribes the downstream and sends the request. */
    void start() {
        downstream.onSubscribe(this);
        if (cancelled) {
            return;
        }
        HttpRequest httpRequest;
        try {
            HttpRequest.Builder rb = HttpRequest.newBuilder(request.uri())
                    .version(request.http2() && "https".equalsIgnoreCase(request.uri().getScheme())
                            ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                    .header("Content-Type", "application/json")
                    .header("Accept", "text/event-stream")
                    .header("User-Agent", options.userAgent())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
            options.defaultHeaders().forEach(rb::header);
            request.headers().forEach(rb::header);
            httpRequest = rb.build();
        } catch (IllegalArgumentException e) {
            fail(new AdapterConfigException("invalid provider request: "
                    + Redaction.redact(HttpTransport.describe(e), request.secrets())));
            return;
        }
        // Both bounds are set before the request goes out, so a reply can never arrive before its bound exists. They
        // are the shared timer's, not the JDK's request timeout (which registers a timer of its own and wakes the
        // client's selector thread for every stream) nor one timer per stream: a bound leaves the shared timer's set
        // when its phase ends (docs/performance.md, "Streaming"). The request timeout bounds the whole stream.
        headerBound = Deadlines.SHARED.after(Math.max(1_000_000, headerTimeout.toNanos()), this::headersTimedOut);
        timer = Deadlines.SHARED.after(Math.max(1_000_000, request.timeout().toNanos()), this::timedOut);
        CompletableFuture<HttpResponse<Object>> future;
        try {
            future = client.sendAsync(httpRequest, this::handler);
        } catch (RuntimeException e) {
            fail(network("provider request failed: ", e));
            return;
        }
        sent = future;
        future.whenComplete((response, error) -> {
            if (error == null) {
                return;
            }
            Throwable cause = HttpTransport.unwrap(error);
            if (cancelled || trailingFailure != null) {
                return;
            }
            if (cause instanceof ProviderException || cause instanceof AdapterConfigException) {
                fail(cause);
            } else if (cause instanceof HttpTimeoutException && !(cause
                    instanceof java.net.http.HttpConnectTimeoutException)) {
                fail(ProviderException.network("provider request failed: request timed out after "
                        + HttpTransport.seconds(headerTimeout), null));
            } else {
                fail(network(body != null ? "failed reading provider stream: " : "provider request failed: ",
                        cause));
            }
        });
        if (cancelled) {
            abort();
        }
    }

    @SuppressWarnings("unchecked")
    private HttpResponse.BodySubscriber<Object> handler(HttpResponse.ResponseInfo info) {
        Deadlines.Bound h = headerBound;
        if (h != null) {
            h.cancel();
        }
        int status = info.statusCode();
        Map<String, String> headers = HttpTransport.lowerCaseHeaders(info.headers());
        if (status < 200 || status >= 300) {
            BoundedBodySubscriber errorBody = new BoundedBodySubscriber(
                    Math.min(options.maxResponseBytes(), ERROR_BODY_LIMIT), true, -1, null);
            errorBody.getBody().whenComplete((bytes, error) -> fail(AdapterSupport.errorFrom(
                    new HttpTransport.Reply(status, headers, bytes == null ? new byte[0] : bytes),
                    request.secrets())));
            return (HttpResponse.BodySubscriber<Object>) (HttpResponse.BodySubscriber<?>) errorBody;
        }
        String type = headers.getOrDefault("content-type", "").toLowerCase(Locale.ROOT);
        if (type.contains("json")) {
            long declared = info.headers().firstValueAsLong("content-length").orElse(-1L);
            BoundedBodySubscriber jsonBody = new BoundedBodySubscriber(options.maxResponseBytes(), false, declared, null);
            jsonBody.getBody().whenComplete((bytes, error) -> {
                if (error != null) {
                    fail(network("failed reading provider response: ", HttpTransport.unwrap(error)));
                    return;
                }
                try {
                    ProviderResult result = jsonParser.apply(new HttpTransport.Reply(status, headers, bytes));
                    List<ProviderStreamEvent> events = ProviderStreams.eventsOf(result);
                    synchronized (this) {
                        queue.addAll(events);
                    }
                    completed = true;
                } catch (RuntimeException e) {
                    fail(e);
                    return;
                }
                drain();
            });
            return (HttpResponse.BodySubscriber<Object>) (HttpResponse.BodySubscriber<?>) jsonBody;
        }
        synchronized (this) {
            queue.add(new ProviderStreamEvent.Opened(headers));
        }
        return new SseBody();
    }

    /** The JDK side: one network read per request, each decoded entirely before the next is asked for. */
    private final class SseBody implements HttpResponse.BodySubscriber<Object> {
        @Override
        public CompletionStage<Object> getBody() {
            // Completed when the stream ends, not with the headers: the JDK completes the response future through
            // CompletableFuture's default executor, a new thread per completion on machines with 2 CPUs or fewer,
            // and that thread start sat between the headers and the first chunk (docs/performance.md, "Streaming").
            return bodyDone;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            body = s;
            if (cancelled || failure != null) {
                s.cancel();
                return;
            }
            drain();
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            bodyRequested = false;
            try {
                synchronized (StreamExchange.this) {
                    for (ByteBuffer item : items) {
                        if (decoder.isTerminated()) {
                            break;
                        }
                        sse.feed(item);
                    }
                }
                if (decoder.isTerminated()) {
                    completed = true;
                    Flow.Subscription s = body;
                    if (s != null) {
                        s.cancel();
                    }
                }
            } catch (RuntimeException e) {
                failAfterQueued(e);
                return;
            }
            drain();
        }

        @Override
        public void onError(Throwable error) {
            fail(network("failed reading provider stream: ", HttpTransport.unwrap(error)));
        }

        @Override
        public void onComplete() {
            if (decoder.isTerminated()) {
                return;
            }
            try {
                synchronized (StreamExchange.this) {
                    sse.end();
                    decoder.onEnd(StreamExchange.this::add);
                }
                if (!decoder.isComplete()) {
                    throw ProviderException.network("provider stream ended unexpectedly: " + decoder.missing(),
                            null);
                }
                completed = true;
            } catch (RuntimeException e) {
                failAfterQueued(e);
                return;
            }
            drain();
        }
    }

    /** Stops reading and ends with {@code error} once the events decoded before it have been handed on. */
    private void failAfterQueued(Throwable error) {
        if (trailingFailure == null) {
            trailingFailure = error;
        }
        // Only the body is cancelled: cancelling the response future would report a transport failure first.
        Flow.Subscription s = body;
        if (s != null) {
            s.cancel();
        }
        drain();
    }

    private void onSse(@Nullable String type, String data) {
        if (!decoder.isTerminated()) {
            decoder.onEvent(type, data, this::add);
        }
    }

    private void add(ProviderStreamEvent event) {
        if (event instanceof ProviderStreamEvent.TextDelta t) {
            count(t.text().length());
        } else if (event instanceof ProviderStreamEvent.ReasoningDelta r) {
            count(r.text().length());
        } else if (event instanceof ProviderStreamEvent.ToolCallFragment f) {
            count(f.argumentsDelta().length());
        }
        queue.add(event);
    }

    private void count(int chars) {
        assembledChars += chars;
        if (assembledChars > options.maxResponseBytes()) {
            throw ProviderException.network("provider stream exceeds the limit of " + options.maxResponseBytes()
                    + " characters", null);
        }
    }

    // ---- Flow.Subscription --------------------------------------------------------------------------------------

    @Override
    public void request(long n) {
        if (n <= 0) {
            fail(new IllegalArgumentException("request must be positive, got " + n));
            return;
        }
        demand.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
        drain();
    }

    @Override
    public void cancel() {
        cancelled = true;
        abort();
    }

    private void abort() {
        Flow.Subscription s = body;
        if (s != null) {
            s.cancel();
        }
        CompletableFuture<?> f = sent;
        if (f != null) {
            f.cancel(true);
        }
        withdrawBounds();
    }

    private void headersTimedOut() {
        if (!terminated && !cancelled && trailingFailure == null) {
            fail(ProviderException.network("provider request failed: request timed out after "
                    + HttpTransport.seconds(headerTimeout), null));
        }
    }

    private void timedOut() {
        if (!terminated && !cancelled) {
            fail(ProviderException.network("provider request failed: request timed out after "
                    + HttpTransport.seconds(request.timeout()), null));
        }
    }

    private void fail(Throwable error) {
        if (failure == null) {
            failure = error;
        }
        abort();
        drain();
    }

    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            while (!terminated && !cancelled) {
                Throwable f = failure;
                if (f != null) {
                    terminated = true;
                    synchronized (this) {
                        queue.clear();
                    }
                    downstream.onError(f);
                    break;
                }
                ProviderStreamEvent next = null;
                if (demand.get() > 0) {
                    synchronized (this) {
                        next = queue.poll();
                    }
                }
                if (next != null) {
                    demand.decrementAndGet();
                    downstream.onNext(next);
                    continue;
                }
                boolean empty;
                synchronized (this) {
                    empty = queue.isEmpty();
                }
                Throwable trailing = trailingFailure;
                // The subscriber hears the end first: ending the exchange completes the JDK's response future, whose
                // completion hop may start a thread (see SseBody.getBody).
                if (empty && trailing != null) {
                    terminated = true;
                    try {
                        downstream.onError(trailing);
                    } finally {
                        ended();
                    }
                    break;
                }
                if (empty && completed) {
                    terminated = true;
                    try {
                        downstream.onComplete();
                    } finally {
                        ended();
                    }
                    break;
                }
                Flow.Subscription s = body;
                if (empty && s != null && demand.get() > 0 && !bodyRequested && !completed && trailing == null) {
                    bodyRequested = true;
                    s.request(1);
                }
                break;
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    /** The stream has ended: its bounds are withdrawn and the JDK's response future may complete. */
    private void ended() {
        withdrawBounds();
        bodyDone.complete(null);
    }

    private void withdrawBounds() {
        Deadlines.Bound t = timer;
        if (t != null) {
            t.cancel();
        }
        Deadlines.Bound h = headerBound;
        if (h != null) {
            h.cancel();
        }
    }

    private ProviderException network(String prefix, Throwable cause) {
        String text = HttpTransport.describe(cause);
        String safe = Redaction.redact(text, request.secrets());
        return ProviderException.network(prefix + safe, safe.equals(text) ? cause : null);
    }

    /** For adapters: parses a JSON reply with the non-streamed parser, as {@link AbstractHttpAdapter} does. */
    static JsonNode json(HttpTransport.Reply reply, List<String> secrets) {
        return AdapterSupport.parseSuccess(reply, secrets);
    }
}
