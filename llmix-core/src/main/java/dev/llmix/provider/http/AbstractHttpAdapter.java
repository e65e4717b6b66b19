package dev.llmix.provider.http;

import dev.llmix.spi.DispatchContext;
import dev.llmix.spi.DispatchFunction;
import dev.llmix.spi.ProviderException;
import dev.llmix.spi.ProviderResult;
import dev.llmix.spi.InvalidMessagesException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The shape every adapter shares: resolve and build the request locally (local errors never reach the network), do
 * exactly one exchange, then map a non-2xx reply to a {@link ProviderException} or a 2xx JSON body to a
 * {@link ProviderResult}.
 */
abstract class AbstractHttpAdapter implements DispatchFunction {

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
        return transport.send(prepared.request()).thenApply(reply -> {
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
    }

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
