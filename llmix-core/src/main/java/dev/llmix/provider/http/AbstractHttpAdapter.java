package dev.llmix.provider.http;

import dev.llmix.spi.DispatchContext;
import dev.llmix.spi.DispatchFunction;
import dev.llmix.spi.ProviderException;
import dev.llmix.spi.ProviderResult;
import dev.llmix.spi.InvalidMessagesException;
import dev.llmix.spi.DispatchContext;
import dev.llmix.spi.DispatchFunction;
import dev.llmix.spi.ProviderException;
import dev.llmix.spi.ProviderResult;
import dev.llmix.spi.ProviderStreamEvent;
import dev.llmix.spi.ProviderStreams;
import dev.llmix.spi.StreamingDispatchFunction;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The shape every adapter shares: resolve and build the request locally (local errors never reach the network), do
 * exactly one exchange, then map a non-2xx reply to a {@link ProviderException} or a 2xx JSON body to a
 * {@link ProviderResult}.
 */
abstract class AbstractHttpAdapter implements DispatchFunction, StreamingDispatchFunction {

    /** A fully resolved request plus what the response mapping needs from it. */
    record Prepared(HttpTransport.Request request, String provider, String model, @Nullable String structuredTool,
            int messageCount) {
        Prepared(HttpTransport.Request request, String provider, String model) {
            this(request, provider, model, null, 0);
        }
    }

    final AdapterOptions options;
    final HttpTransport transport;

    AbstractHttpAdapter(AdapterOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.transport = new HttpTransport(options);
    }

    @Override
    public final CompletionStage<ProviderResult> dispatch(DispatchContext context) {
        Prepared prepared;
        try {
            // Adapters may be called without the pipeline: the same depth limit, before any recursive conversion.
            InvalidMessagesException.checkDepth(context.messages());
            prepared = prepare(context);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        List<String> secrets = prepared.request().secrets();
        CompletableFuture<HttpTransport.Reply> sent = transport.send(prepared.request());
        CompletableFuture<ProviderResult> result = sent.thenApply(reply -> {
            if (!reply.isSuccess()) {
                throw AdapterSupport.errorFrom(reply, secrets);
            }
            JsonNode body = AdapterSupport.parseSuccess(reply, secrets);
            try {
                return parse(body, reply.headers(), prepared);
            } catch (ProviderException e) {
                throw e;
            } catch (RuntimeException e) {
                throw AdapterSupport.invalidResponse(
                        Redaction.redact(HttpTransport.describe(e), secrets), reply);
            }
        });
        // A caller that abandons the attempt (the pipeline's attempt timeout or deadline) cancels the derived stage:
        // pass that on so the exchange is aborted before any retry starts (docs/pipeline.md, "Timeouts").
        result.whenComplete((r, e) -> {
            if (result.isCancelled()) {
                sent.cancel(true);
            }
        });
        return result;
    }

    /**
     * The base URL: {@code kwargs.baseUrl}, {@code kwargs.base_url},
     * Streams one attempt (docs/streaming.md): the call's request with the adapter's stream switch and
     * {@code Accept: text/event-stream}, decoded by the adapter's SSE decoder. The header timeout is
     * {@code timeout.streamFirstChunkTime} when set, else the request timeout, which also bounds the whole stream.
     */
    @Override
    public final Flow.Publisher<ProviderStreamEvent> dispatchStream(DispatchContext context) {
        return subscriber -> {
            Objects.requireNonNull(subscriber, "subscriber");
            Prepared prepared;
            StreamDecoder decoder;
            try {
                Prepared call = prepare(context);
                Map<String, @Nullable Object> body = Json.object(Json.toPlain(Json.MAPPER.readTree(
                        call.request().body())));
                if (body == null) {
                    throw new AdapterConfigException("invalid provider request: the body is not a JSON object");
                }
                HttpTransport.Request r = call.request();
                prepared = new Prepared(new HttpTransport.Request(streamUri(r.uri()), r.headers(),
                        Json.write(streamBody(body)), r.timeout(), r.secrets(), r.http2()), call.provider(),
                        call.model(), call.structuredTool(), call.messageCount());
                decoder = newStreamDecoder(prepared);
            } catch (RuntimeException e) {
                ProviderStreams.fromResult(CompletableFuture.failedFuture(e)).subscribe(subscriber);
                return;
            }
            List<String> secrets = prepared.request().secrets();
            Duration first = context.config().timeout() == null ? null
                    : context.config().timeout().streamFirstChunkDuration();
            Duration headerTimeout = first != null && !first.isZero() && !first.isNegative()
                    && first.compareTo(prepared.request().timeout()) < 0 ? first : prepared.request().timeout();
            new StreamExchange(transport.client(), options, prepared.request(), headerTimeout, decoder,
                    reply -> {
                        JsonNode json = AdapterSupport.parseSuccess(reply, secrets);
                        try {
                            return parse(json, reply.headers(), prepared);
                        } catch (ProviderException e) {
                            throw e;
                        } catch (RuntimeException e) {
                            throw AdapterSupport.invalidResponse(
                                    Redaction.redact(HttpTransport.describe(e), secrets), reply);
                        }
                    }, subscriber).start();
        };
    }

    /** The streamed request body: the call's body plus the adapter's stream switch. */
    abstract Map<String, @Nullable Object> streamBody(Map<String, @Nullable Object> callBody);

    /** The streamed endpoint; the call's endpoint unless the provider has a separate one. */
    URI streamUri(URI callUri) {
        return callUri;
    }

    /** A fresh decoder of this provider's SSE events for one exchange. */
    abstract StreamDecoder newStreamDecoder(Prepared prepared);

    /**
     * The base URL: {@code kwargs.baseUrl}, {@code kwargs.base_url},
     * {@code config.baseUrl}, the adapter's base URL, then {@code providerDefault}; null when none is set.
     */
    final @Nullable String baseUrl(DispatchContext ctx, @Nullable String providerDefault) {
        return AdapterSupport.resolveBaseUrl(ctx.kwargs(), ctx.config().baseUrl(), options.baseUrl(), providerDefault);
    }

    /** The explicit key, else the environment variable {@code keyEnv}; fails locally when neither is set. */
    final String apiKey(DispatchContext ctx, String keyEnv) {
        return AdapterSupport.requireApiKey(ctx.apiKey(), options.env().apply(keyEnv), keyEnv, ctx.provider());
    }

    /**
     * The per-request timeout: {@code config.timeout.totalTime}, else {@link AdapterOptions#defaultTimeout()}, else
     * the adapter's {@code builtInDefault}.
     */
    final Duration requestTimeout(DispatchContext ctx, Duration builtInDefault) {
        Duration adapterDefault = options.defaultTimeout();
        return AdapterSupport.requestTimeout(ctx.config(), adapterDefault != null ? adapterDefault : builtInDefault);
    }

    /** Builds the request for one attempt; throws {@link AdapterConfigException} for local problems. */
    abstract Prepared prepare(DispatchContext context);

    /** Maps a 2xx JSON object to the result; the prepared model is used when the provider reports none. */
    abstract ProviderResult parse(JsonNode body, Map<String, String> headers, Prepared prepared);
}
