package dev.llmix.reliability;

import dev.llmix.config.LlmConfig;
import dev.llmix.spi.DispatchContext;
import dev.llmix.spi.DispatchFunction;
import dev.llmix.spi.ProviderResult;
import dev.llmix.provider.http.AdapterOptions;
import dev.llmix.providers.ProviderAdapters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.jspecify.annotations.Nullable;

/**
 * A loopback OpenAI-compatible provider (OkHttp MockWebServer) driven by a replaceable behaviour, reached through the
 * real HTTP adapter ({@link ProviderAdapters#routing(AdapterOptions)}). Counts the requests that reached the server
 * and the largest number handled at the same time, and the same on the client side of the adapter. Public for the reliability tests of the other modules (core
 * test-jar).
 */
public final class LoopbackProvider implements AutoCloseable {

    public static final String OK_BODY = "{\"choices\":[{\"message\":{\"content\":\"ok\"}}],"
            + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}}";

    /** What the server does with one request. */
    @FunctionalInterface
    public interface Behaviour {
        MockResponse respond(RecordedRequest request) throws InterruptedException;
    }

    public final MockWebServer server = new MockWebServer();
    private volatile Behaviour behaviour = request -> ok();
    private volatile long holdMillis;

    public final AtomicInteger serverConcurrent = new AtomicInteger();
    public final AtomicInteger serverMaxConcurrent = new AtomicInteger();
    public final AtomicInteger clientConcurrent = new AtomicInteger();
    public final AtomicInteger clientMaxConcurrent = new AtomicInteger();
    public final AtomicInteger dispatches = new AtomicInteger();
    /** Ids (the {@code content} of the last message) of every request handed to the adapter. */
    public final Set<String> dispatchedIds = ConcurrentHashMap.newKeySet();

    private final DispatchFunction adapter;

    public LoopbackProvider() {
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                int now = serverConcurrent.incrementAndGet();
                serverMaxConcurrent.accumulateAndGet(now, Math::max);
                try {
                    long hold = holdMillis;
                    if (hold > 0) {
                        TimeUnit.MILLISECONDS.sleep(hold);
                    }
                    return behaviour.respond(request);
                } finally {
                    serverConcurrent.decrementAndGet();
                }
            }
        });
        Function<String, @Nullable String> noEnv = name -> null;
        adapter = ProviderAdapters.routing(AdapterOptions.builder().env(noEnv).build());
    }

    /** The dispatch function to give the pipeline: the real adapter, with client-side accounting around it. */
    public DispatchFunction dispatch() {
        return this::dispatchCounted;
    }

    private CompletionStage<ProviderResult> dispatchCounted(DispatchContext ctx) {
        dispatches.incrementAndGet();
        dispatchedIds.add(idOf(ctx.messages()));
        int now = clientConcurrent.incrementAndGet();
        clientMaxConcurrent.accumulateAndGet(now, Math::max);
        CompletableFuture<ProviderResult> stage;
        try {
            stage = adapter.dispatch(ctx).toCompletableFuture();
        } catch (RuntimeException e) {
            clientConcurrent.decrementAndGet();
            throw e;
        }
        // The pipeline abandons a timed-out attempt by cancelling the stage it was given: pass that on to the
        // adapter (which aborts the exchange) and count the dispatch as finished from then on.
        // The counter drops before the pipeline sees the outcome: the pipeline releases the permit while completing.
        AtomicBoolean counted = new AtomicBoolean(true);
        Runnable finished = () -> {
            if (counted.compareAndSet(true, false)) {
                clientConcurrent.decrementAndGet();
            }
        };
        CompletableFuture<ProviderResult> out = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                finished.run();
                stage.cancel(true);
                return super.cancel(mayInterruptIfRunning);
            }
        };
        stage.whenComplete((r, e) -> {
            finished.run();
            if (e != null) {
                out.completeExceptionally(e);
            } else {
                out.complete(r);
            }
        });
        return out;
    }

    public void behave(Behaviour b) {
        behaviour = b;
    }

    /** Real time every request is held on the server before it is answered. */
    public void hold(long millis) {
        holdMillis = millis;
    }

    public void resetCounters() {
        serverMaxConcurrent.set(0);
        clientMaxConcurrent.set(0);
    }

    public int requestCount() {
        return server.getRequestCount();
    }

    /** The server's base URL with {@code /v1}. */
    public String baseUrl() {
        String root = server.url("/").toString();
        return root.substring(0, root.length() - 1) + "/v1";
    }

    /** An OpenAI preset pointing at this server. */
    public LlmConfig.Builder preset() {
        return LlmConfig.builder("openai", "gpt-4o-mini").baseUrl(baseUrl());
    }

    public static List<Map<String, Object>> message(String id) {
        return List.of(Map.of("role", "user", "content", id));
    }

    public static String idOf(List<?> messages) {
        Object last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
        return last instanceof Map<?, ?> m ? String.valueOf(m.get("content")) : "";
    }

    public static MockResponse ok() {
        return json(200, OK_BODY);
    }

    public static MockResponse json(int status, String body) {
        return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json").body(body)
                .build();
    }

    @Override
    public void close() {
        server.close();
    }
}
