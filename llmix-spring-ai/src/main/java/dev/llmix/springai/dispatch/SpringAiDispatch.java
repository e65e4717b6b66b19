package dev.llmix.springai.dispatch;

import dev.llmix.LlmixLocalException;
import dev.llmix.spi.DispatchContext;
import dev.llmix.spi.DispatchFunction;
import dev.llmix.spi.LlmUsage;
import dev.llmix.spi.ProviderException;
import dev.llmix.spi.ProviderResult;
import dev.llmix.spi.ProviderStreamEvent;
import dev.llmix.spi.StreamingDispatchFunction;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.RateLimit;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * An LLMix {@link DispatchFunction} that sends each attempt through a Spring AI {@link ChatModel}, so any provider
 * Spring AI supports can serve a named LLMix provider with LLMix's cache, breaker, limiter, key pool and kill switch
 * around it. Spring AI's exceptions become {@link ProviderException}s with statuses (see
 * {@link SpringAiExceptionTranslator}). The blocking delegate call runs on the dispatch executor, never on the
 * caller's thread; streamed attempts consume the delegate's {@code stream}. Thread-safe.
 */
public final class SpringAiDispatch implements DispatchFunction, StreamingDispatchFunction {

    /**
     * The placeholder key of a provider whose delegate holds its own credentials: masked, never sent, killed by a
     * 401/403 so later calls fail locally.
     */
    public static final String DELEGATE_CREDENTIALS_KEY = "spring-ai-managed";

    private static final Logger LOG = LoggerFactory.getLogger(SpringAiDispatch.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final ChatModel delegate;
    private final @Nullable String provider;
    private final Executor executor;
    private final @Nullable Function<String, ChatModel> keyedModels;
    private final Map<String, ChatModel> modelsByKey = new ConcurrentHashMap<>();
    private final @Nullable Function<Throwable, @Nullable Throwable> customTranslator;
    private final String delegateName;
    private final @Nullable String delegateKey;
    private final DispatchPrompts.DroppedKwargs dropped = new DispatchPrompts.DroppedKwargs();

    private SpringAiDispatch(Builder b) {
        this.delegate = b.delegate;
        this.provider = b.provider;
        this.executor = b.executor != null ? b.executor : OwnedExecutor.INSTANCE;
        this.keyedModels = b.keyedModels;
        this.customTranslator = b.exceptionTranslator;
        this.delegateName = b.delegate.getClass().getSimpleName();
        this.delegateKey = apiKeyOf(b.delegate.getOptions());
    }

    /** A builder dispatching through {@code delegate}. */
    public static Builder builder(ChatModel delegate) {
        return new Builder(delegate);
    }

    /**
     * A dispatch routing on {@link DispatchContext#provider()} (exact match) to {@code byProvider}; other providers go
     * to {@code fallback}, else fail locally.
     */
    public static DispatchFunction routing(Map<String, ? extends DispatchFunction> byProvider,
            @Nullable DispatchFunction fallback) {
        return new Routing(Map.copyOf(byProvider), fallback);
    }

    /** Routes by exact provider name; streams when the target streams (docs/spring-ai.md, "Direction 2"). */
    private static final class Routing implements DispatchFunction, StreamingDispatchFunction {
        private final Map<String, DispatchFunction> routes;
        private final @Nullable DispatchFunction fallback;

        Routing(Map<String, DispatchFunction> routes, @Nullable DispatchFunction fallback) {
            this.routes = routes;
            this.fallback = fallback;
        }

        private @Nullable DispatchFunction target(DispatchContext context) {
            DispatchFunction target = routes.get(context.provider());
            return target != null ? target : fallback;
        }

        private LlmixLocalException noRoute(DispatchContext context) {
            return new LlmixLocalException("No dispatch for provider \"" + context.provider()
                    + "\"; Spring AI providers: " + new java.util.TreeSet<>(routes.keySet()));
        }

        @Override
        public CompletionStage<ProviderResult> dispatch(DispatchContext context) {
            DispatchFunction target = target(context);
            return target != null ? target.dispatch(context) : CompletableFuture.failedFuture(noRoute(context));
        }

        @Override
        public boolean supportsStreaming(DispatchContext context) {
            return target(context) instanceof StreamingDispatchFunction streaming
                    && streaming.supportsStreaming(context);
        }

        @Override
        public Flow.Publisher<ProviderStreamEvent> dispatchStream(DispatchContext context) {
            if (target(context) instanceof StreamingDispatchFunction streaming) {
                return streaming.dispatchStream(context);
            }
            return JdkFlowAdapter.publisherToFlowPublisher(Flux.error(noRoute(context)));
        }
    }

    /** The Spring AI model this dispatch delegates to by default. */
    public ChatModel delegate() {
        return delegate;
    }

    /** The LLMix provider this dispatch serves, when set. */
    public @Nullable String provider() {
        return provider;
    }

    @Override
    public CompletionStage<ProviderResult> dispatch(DispatchContext context) {
        ChatModel model;
        Prompt prompt;
        try {
            model = modelFor(context.apiKey());
            ChatOptions options = DispatchPrompts.options(model.getOptions(), context, delegateName,
                    this::warnDropped);
            prompt = new Prompt(DispatchPrompts.messages(context.messages()), options);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        List<String> secrets = secrets(context.apiKey());
        AttemptFuture result = new AttemptFuture();
        FutureTask<Void> task = new FutureTask<>(() -> {
            try {
                ChatResponse response = DelegateObservations.within(() -> model.call(prompt));
                result.complete(toResult(response, context));
            } catch (Throwable e) {
                result.completeExceptionally(translate(e, secrets));
            }
            return null;
        });
        result.task = task;
        try {
            executor.execute(task);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return result;
    }

    /**
     * One streamed attempt through the delegate's {@code stream}: {@code Opened} at the first element, text and
     * reasoning deltas, one fragment per complete tool call, and at the end the last usage, model and finish reason.
     * The subscription runs on the dispatch executor with the delegate's own observation suppressed (as for calls). A
     * delegate that cannot stream ({@code UnsupportedOperationException} at once or before its first element) is
     * called once instead and its answer becomes the events.
     */
    @Override
    public Flow.Publisher<ProviderStreamEvent> dispatchStream(DispatchContext context) {
        Flux<ProviderStreamEvent> events = Flux.defer(() -> {
            ChatModel model = modelFor(context.apiKey());
            ChatOptions options = DispatchPrompts.options(model.getOptions(), context, delegateName,
                    this::warnDropped);
            Prompt prompt = new Prompt(DispatchPrompts.messages(context.messages()), options);
            List<String> secrets = secrets(context.apiKey());
            StreamState state = new StreamState(context);
            Flux<ChatResponse> responses = Flux.from(subscriber -> DelegateObservations.within(() -> {
                Flux<ChatResponse> source;
                try {
                    source = model.stream(prompt);
                } catch (RuntimeException e) {
                    source = Flux.error(e);
                }
                source.subscribe(subscriber);
                return null;
            }));
            return responses
                    .concatMapIterable(state::events)
                    .concatWith(Flux.defer(() -> Flux.fromIterable(state.end())))
                    .onErrorResume(UnsupportedOperationException.class, e -> state.opened
                            ? Flux.error(e)
                            : Mono.fromCompletionStage(() -> dispatch(context)).flatMapIterable(
                                    StreamState::eventsOf))
                    .onErrorMap(e -> e instanceof ProviderException || e instanceof LlmixLocalException ? e
                            : translate(e, secrets));
        });
        return JdkFlowAdapter.publisherToFlowPublisher(events.subscribeOn(Schedulers.fromExecutor(executor)));
    }

    /** What a streamed attempt has seen so far. */
    private final class StreamState {
        private final DispatchContext context;
        volatile boolean opened;
        private int toolCalls;
        private String reasoningSoFar = "";
        private @Nullable Usage usage;
        private @Nullable String model;
        private @Nullable String finishReason;

        StreamState(DispatchContext context) {
            this.context = context;
        }

        List<ProviderStreamEvent> events(ChatResponse response) {
            List<ProviderStreamEvent> out = new ArrayList<>(4);
            if (!opened) {
                opened = true;
                Map<String, String> headers = rateLimitHeaders(response.getMetadata().getRateLimit());
                out.add(new ProviderStreamEvent.Opened(headers == null ? Map.of() : headers));
            }
            ChatResponseMetadata metadata = response.getMetadata();
            if (metadata.getUsage() != null && tokens(metadata.getUsage()) > 0) {
                usage = metadata.getUsage();
            }
            if (metadata.getModel() != null && !metadata.getModel().isBlank()) {
                model = metadata.getModel();
            }
            for (Generation generation : response.getResults()) {
                AssistantMessage output = generation.getOutput();
                String reasoning = newReasoning(reasoning(output.getMetadata()));
                if (!reasoning.isEmpty()) {
                    out.add(new ProviderStreamEvent.ReasoningDelta(reasoning));
                }
                if (output.getText() != null && !output.getText().isEmpty()) {
                    out.add(new ProviderStreamEvent.TextDelta(output.getText()));
                }
                for (AssistantMessage.ToolCall call : output.getToolCalls()) {
                    out.add(new ProviderStreamEvent.ToolCallFragment(toolCalls++, call.id(), call.name(),
                            call.arguments() == null ? "" : call.arguments(), null));
                }
                String finish = finishReason(generation.getMetadata().getFinishReason());
                if (finish != null) {
                    finishReason = finish;
                }
            }
            return out;
        }

        /**
         * The reasoning added by this element: some models report it per element (Ollama's {@code thinking}), others
         * accumulated over the stream (OpenAI's {@code reasoningContent}), so a value extending what was seen counts
         * only with its new suffix.
         */
        private String newReasoning(@Nullable String reasoning) {
            if (reasoning == null || reasoning.isEmpty()) {
                return "";
            }
            if (!reasoningSoFar.isEmpty() && reasoning.startsWith(reasoningSoFar)) {
                String added = reasoning.substring(reasoningSoFar.length());
                reasoningSoFar = reasoning;
                return added;
            }
            reasoningSoFar = reasoningSoFar + reasoning;
            return reasoning;
        }

        List<ProviderStreamEvent> end() {
            List<ProviderStreamEvent> out = new ArrayList<>(4);
            if (!opened) {
                opened = true;
                out.add(new ProviderStreamEvent.Opened(Map.of()));
            }
            out.add(new ProviderStreamEvent.Usage(usage(usage)));
            out.add(new ProviderStreamEvent.Model(model != null ? model : context.model()));
            if (finishReason != null) {
                out.add(new ProviderStreamEvent.Finish(finishReason));
            }
            return out;
        }

        /** A non-streamed answer as the events of one stream. */
        static List<ProviderStreamEvent> eventsOf(ProviderResult result) {
            List<ProviderStreamEvent> out = new ArrayList<>(6);
            out.add(new ProviderStreamEvent.Opened(result.headers() == null ? Map.of() : result.headers()));
            if (!result.content().isEmpty()) {
                out.add(new ProviderStreamEvent.TextDelta(result.content()));
            }
            int index = 0;
            for (dev.llmix.tools.ToolCall call : dev.llmix.tools.ToolCall.fromResult(result.toolCalls())) {
                out.add(new ProviderStreamEvent.ToolCallFragment(index++, call.id(), call.name(), call.arguments(),
                        call.extraContent()));
            }
            out.add(new ProviderStreamEvent.Usage(result.usage()));
            out.add(new ProviderStreamEvent.Model(result.model()));
            if (result.finishReason() != null) {
                out.add(new ProviderStreamEvent.Finish(result.finishReason()));
            }
            return out;
        }

        private static long tokens(Usage u) {
            long in = u.getPromptTokens() == null ? 0 : u.getPromptTokens();
            long out = u.getCompletionTokens() == null ? 0 : u.getCompletionTokens();
            return in + out;
        }
    }

    /** Cancelling the attempt (the pipeline abandons it at the deadline) interrupts its worker, best effort. */
    private static final class AttemptFuture extends CompletableFuture<ProviderResult> {
        volatile @Nullable FutureTask<Void> task;

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            FutureTask<Void> t = task;
            if (t != null) {
                t.cancel(true);
            }
            return super.cancel(mayInterruptIfRunning);
        }
    }

    private ChatModel modelFor(String apiKey) {
        Function<String, ChatModel> keyed = keyedModels;
        if (keyed == null) {
            return delegate;
        }
        return modelsByKey.computeIfAbsent(apiKey, k -> Objects.requireNonNull(keyed.apply(k),
                "keyedModels returned null"));
    }

    private List<String> secrets(String apiKey) {
        List<String> secrets = new ArrayList<>(2);
        if (!DELEGATE_CREDENTIALS_KEY.equals(apiKey)) {
            secrets.add(apiKey);
        }
        if (delegateKey != null) {
            secrets.add(delegateKey);
        }
        return secrets;
    }

    private Throwable translate(Throwable e, List<String> secrets) {
        Function<Throwable, @Nullable Throwable> custom = customTranslator;
        if (custom != null) {
            Throwable t = custom.apply(e);
            if (t != null) {
                return t;
            }
        }
        return SpringAiExceptionTranslator.translate(e, delegateName, secrets);
    }

    private void warnDropped(String kwarg, String delegate) {
        String p = provider == null ? delegate : provider;
        if (dropped.firstTime(p, kwarg)) {
            LOG.warn("Spring AI provider {} ({}) has no equivalent for kwarg '{}'; it is not sent", p, delegate, kwarg);
        }
    }

    private ProviderResult toResult(ChatResponse response, DispatchContext context) {
        List<Generation> generations = response.getResults();
        if (generations == null || generations.isEmpty()) {
            throw new ProviderException(delegateName + " returned no generation", null, null);
        }
        Generation generation = generations.get(0);
        AssistantMessage output = generation.getOutput();
        String text = output.getText() == null ? "" : output.getText();
        String reasoning = reasoning(output.getMetadata());
        String content = reasoning == null ? text : "<think>" + reasoning + "</think>" + text;
        ChatResponseMetadata metadata = response.getMetadata();
        String model = metadata.getModel() != null && !metadata.getModel().isBlank() ? metadata.getModel()
                : context.model();
        List<@Nullable Object> toolCalls = null;
        if (output.hasToolCalls()) {
            toolCalls = new ArrayList<>();
            for (AssistantMessage.ToolCall call : output.getToolCalls()) {
                Map<String, Object> fn = new LinkedHashMap<>();
                fn.put("name", call.name());
                fn.put("arguments", call.arguments());
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("id", call.id());
                c.put("type", "function");
                c.put("function", fn);
                toolCalls.add(c);
            }
        }
        return new ProviderResult(content, model, usage(metadata.getUsage()), rateLimitHeaders(metadata.getRateLimit()),
                toolCalls, finishReason(generation.getMetadata().getFinishReason()), null);
    }

    /** A Spring AI model's finish reason in LLMix's portable spelling (docs/tools.md), case-insensitively. */
    static @Nullable String finishReason(@Nullable String reason) {
        if (reason == null || reason.isBlank()) {
            return null;
        }
        switch (reason.toLowerCase(Locale.ROOT)) {
            case "stop":
            case "end_turn":
            case "stop_sequence":
                return "stop";
            case "length":
            case "max_tokens":
                return "length";
            case "tool_calls":
            case "tool_use":
            case "function_call":
                return "tool_calls";
            case "content_filter":
            case "safety":
            case "refusal":
                return "content_filter";
            default:
                return "other";
        }
    }

    private static @Nullable String reasoning(Map<String, Object> metadata) {
        for (String key : new String[] {"reasoningContent", "thinking"}) {
            if (metadata.get(key) instanceof String s && !s.isBlank()) {
                return s;
            }
        }
        return null;
    }

    static LlmUsage usage(@Nullable Usage usage) {
        if (usage == null) {
            return LlmUsage.ZERO;
        }
        long in = usage.getPromptTokens() == null ? 0 : usage.getPromptTokens();
        long out = usage.getCompletionTokens() == null ? 0 : usage.getCompletionTokens();
        long total = usage.getTotalTokens() == null ? in + out : usage.getTotalTokens();
        return new LlmUsage(in, out, total, usage.getCacheReadInputTokens());
    }

    private static @Nullable Map<String, String> rateLimitHeaders(@Nullable RateLimit limit) {
        if (limit == null) {
            return null;
        }
        Map<String, String> h = new LinkedHashMap<>();
        put(h, "x-ratelimit-limit-requests", limit.getRequestsLimit());
        put(h, "x-ratelimit-remaining-requests", limit.getRequestsRemaining());
        put(h, "x-ratelimit-limit-tokens", limit.getTokensLimit());
        put(h, "x-ratelimit-remaining-tokens", limit.getTokensRemaining());
        putDuration(h, "x-ratelimit-reset-requests", limit.getRequestsReset());
        putDuration(h, "x-ratelimit-reset-tokens", limit.getTokensReset());
        return h.isEmpty() ? null : h;
    }

    private static void put(Map<String, String> h, String name, @Nullable Long v) {
        // Spring AI's empty rate limit reports zeros; a zero limit is no information.
        if (v != null && v != 0L) {
            h.put(name, Long.toString(v));
        }
    }

    private static void putDuration(Map<String, String> h, String name, @Nullable Duration d) {
        if (d != null && !d.isZero()) {
            h.put(name, d.toMillis() + "ms");
        }
    }

    /** The delegate options' {@code getApiKey()} value, masked in messages; {@code null} when there is none. */
    private static @Nullable String apiKeyOf(@Nullable ChatOptions options) {
        if (options == null) {
            return null;
        }
        try {
            Method m = options.getClass().getMethod("getApiKey");
            return m.invoke(options) instanceof String s && !s.isEmpty() ? s : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** {@code getMaxRetries()} of the delegate's options when it has one, for the start-up retry warning. */
    public static @Nullable Integer maxRetriesOf(ChatModel model) {
        try {
            Object options = model.getOptions();
            Method m = options.getClass().getMethod("getMaxRetries");
            return m.invoke(options) instanceof Integer i ? i : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "SpringAiDispatch[provider=" + provider + ", delegate=" + delegateName + "]";
    }

    /** The default executor: cached daemon threads, bounded in practice by the AIMD window. */
    private static final class OwnedExecutor {
        static final ExecutorService INSTANCE = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "llmix-spring-ai-dispatch-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Builder of {@link SpringAiDispatch}. */
    public static final class Builder {
        private final ChatModel delegate;
        private @Nullable String provider;
        private @Nullable Executor executor;
        private @Nullable Function<String, ChatModel> keyedModels;
        private @Nullable Function<Throwable, @Nullable Throwable> exceptionTranslator;

        private Builder(ChatModel delegate) {
            this.delegate = Objects.requireNonNull(delegate, "delegate");
        }

        /** The LLMix provider name this dispatch serves (used in warnings and routing). */
        public Builder provider(@Nullable String v) { provider = v; return this; }

        /** Runs the blocking delegate calls; default an owned cached pool of daemon threads. */
        public Builder executor(@Nullable Executor v) { executor = v; return this; }

        /**
         * One model per API key ({@code fn.apply(key)}, computed once per key), so LLMix's key pool rotates real keys
         * on 429 and kills them on 401/403 as with built-in adapters.
         */
        public Builder keyedModels(@Nullable Function<String, ChatModel> v) { keyedModels = v; return this; }

        /** Tried before the built-in translation; returning {@code null} falls through to it. */
        public Builder exceptionTranslator(@Nullable Function<Throwable, @Nullable Throwable> v) {
            exceptionTranslator = v;
            return this;
        }

        public SpringAiDispatch build() {
            return new SpringAiDispatch(this);
        }
    }
}
