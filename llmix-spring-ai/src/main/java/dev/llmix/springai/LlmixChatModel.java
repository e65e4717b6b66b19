package dev.llmix.springai;

import dev.llmix.client.CallOptions;
import dev.llmix.client.LlmixClient;
import dev.llmix.client.Message;
import dev.llmix.config.LlmConfig;
import dev.llmix.pipeline.CallChunk;
import dev.llmix.pipeline.CallResponse;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.model.StreamingChatModel;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.chat.observation.ChatModelObservationConvention;
import org.springframework.ai.chat.observation.ChatModelObservationDocumentation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;

/**
 * A Spring AI {@link ChatModel} whose every call is one LLMix pipeline call of a preset: {@code ChatClient}, advisors
 * and structured output keep working and gain LLMix's response cache, circuit breakers, adaptive limiter, key pools,
 * kill switch and presets. The preset comes from the call's {@link LlmixChatOptions} ({@code module}, {@code preset}),
 * else from the model's defaults; generation options set on the call win over the preset's. A failed call throws
 * {@link LlmixChatException}. Thread-safe.
 */
public final class LlmixChatModel implements ChatModel, StreamingChatModel {

    private static final Logger LOG = LoggerFactory.getLogger(LlmixChatModel.class);
    private static final ChatModelObservationConvention DEFAULT_CONVENTION = new LlmixChatModelObservationConvention();
    /** The property naming the default module, quoted in selection errors. */
    static final String DEFAULT_MODULE_PROPERTY = "llmix.spring-ai.default-module";
    /** The property naming the default preset, quoted in selection errors. */
    static final String DEFAULT_PRESET_PROPERTY = "llmix.spring-ai.default-preset";

    private final LlmixClient client;
    private final LlmixChatOptions defaults;
    private final ObservationRegistry observationRegistry;
    private volatile @Nullable ChatModelObservationConvention observationConvention;
    private final Map<String, Boolean> loggedLookupFailures = new ConcurrentHashMap<>();

    private LlmixChatModel(Builder b) {
        this.client = b.client;
        this.defaults = b.defaultOptions;
        this.observationRegistry = b.observationRegistry;
        this.observationConvention = b.observationConvention;
    }

    /** A builder calling presets through {@code client}. */
    public static Builder builder(LlmixClient client) {
        return new Builder(client);
    }

    /** The default options: usually only {@code module} and {@code preset}. */
    @Override
    public LlmixChatOptions getOptions() {
        return defaults;
    }

    /** Replaces the observation convention; {@code null} restores {@link LlmixChatModelObservationConvention}. */
    public void setObservationConvention(@Nullable ChatModelObservationConvention convention) {
        this.observationConvention = convention;
    }

    /** One blocking LLMix pipeline call on the calling thread; a failure throws {@link LlmixChatException}. */
    @Override
    public ChatResponse call(Prompt prompt) {
        Call call = prepare(prompt);
        Observation observation = ChatModelObservationDocumentation.CHAT_MODEL_OPERATION.observation(
                observationConvention, DEFAULT_CONVENTION, () -> call.observationContext(false),
                observationRegistry);
        if (observation.isNoop()) {
            return call.run(client);
        }
        observation.start();
        try (Observation.Scope scope = observation.openScope()) {
            ChatResponse response = call.run(client);
            if (observation.getContext() instanceof ChatModelObservationContext context) {
                context.setResponse(response);
                context.put(LlmixChatModelObservationConvention.OUTCOME_ENTRY, "success");
            }
            return response;
        } catch (RuntimeException e) {
            if (e instanceof LlmixChatException failure) {
                observation.getContext().put(LlmixChatModelObservationConvention.OUTCOME_ENTRY,
                        outcomeTag(failure.reason()));
            }
            observation.error(e);
            throw e;
        } finally {
            observation.stop();
        }
    }

    /**
     * One LLMix stream: a {@code ChatResponse} per visible text delta, then a last one with no text carrying the
     * complete tool calls, finish reason, usage, model and LLMix metadata. Resolution errors (selection, messages,
     * options, preset) and failed calls are signalled as {@code Flux.error}; nothing happens before subscription.
     * Demand and cancellation reach the LLMix stream, so a cancelled stream releases its permit and key.
     */
    @Override
    public Flux<ChatResponse> stream(Prompt prompt) {
        return Flux.deferContextual(reactorContext -> {
            Call call = prepare(prompt);
            Observation observation = ChatModelObservationDocumentation.CHAT_MODEL_OPERATION.observation(
                    observationConvention, DEFAULT_CONVENTION, () -> call.observationContext(true),
                    observationRegistry);
            Flow.Publisher<CallChunk> chunks = client.stream(call.config(), call.messages(), call.options());
            if (observation.isNoop()) {
                return JdkFlowAdapter.flowPublisherToFlux(chunks).concatMap(call::toResponses);
            }
            Observation parent = reactorContext.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
            observation.parentObservation(parent).start();
            return JdkFlowAdapter.flowPublisherToFlux(new ScopedPublisher<>(chunks, observation))
                    .doOnNext(chunk -> {
                        if (chunk.done() && chunk.response() != null && chunk.response().success()
                                && observation.getContext() instanceof ChatModelObservationContext context) {
                            context.setResponse(ResponseMapping.toChatResponse(chunk.response(), call.module(),
                                    call.preset()));
                            context.put(LlmixChatModelObservationConvention.OUTCOME_ENTRY, "success");
                        }
                    })
                    .concatMap(call::toResponses)
                    .doOnError(e -> {
                        if (e instanceof LlmixChatException failure) {
                            observation.getContext().put(LlmixChatModelObservationConvention.OUTCOME_ENTRY,
                                    outcomeTag(failure.reason()));
                        }
                        observation.error(e);
                    })
                    .doFinally(signal -> observation.stop())
                    .contextWrite(ctx -> ctx.put(ObservationThreadLocalAccessor.KEY, observation));
        });
    }

    /**
     * Opens the bridge observation's scope around the subscription and every {@code request}: the LLMix stream starts
     * (and calls its listener) on the first request, so the metrics listener sees the bridge observation as current
     * and opens no second observation (docs/spring-ai.md, "Observation").
     */
    private static final class ScopedPublisher<T> implements Flow.Publisher<T> {
        private final Flow.Publisher<T> source;
        private final Observation observation;

        ScopedPublisher(Flow.Publisher<T> source, Observation observation) {
            this.source = source;
            this.observation = observation;
        }

        @Override
        public void subscribe(Flow.Subscriber<? super T> subscriber) {
            try (Observation.Scope scope = observation.openScope()) {
                source.subscribe(new Flow.Subscriber<T>() {
                    @Override
                    public void onSubscribe(Flow.Subscription subscription) {
                        subscriber.onSubscribe(new Flow.Subscription() {
                            @Override
                            public void request(long n) {
                                try (Observation.Scope inner = observation.openScope()) {
                                    subscription.request(n);
                                }
                            }

                            @Override
                            public void cancel() {
                                subscription.cancel();
                            }
                        });
                    }

                    @Override
                    public void onNext(T item) {
                        subscriber.onNext(item);
                    }

                    @Override
                    public void onError(Throwable throwable) {
                        subscriber.onError(throwable);
                    }

                    @Override
                    public void onComplete() {
                        subscriber.onComplete();
                    }
                });
            }
        }
    }

    private static String outcomeTag(String reason) {
        return switch (reason) {
            case "kill_switch", "circuit_open" -> reason;
            default -> "failure";
        };
    }

    /** Resolves selection, messages, options and preset; throws before anything is sent. */
    private Call prepare(Prompt prompt) {
        ChatOptions options = prompt.getOptions() != null ? prompt.getOptions() : defaults;
        String module = select(options instanceof LlmixChatOptions o ? o.getModule() : null, defaults.getModule());
        String preset = select(options instanceof LlmixChatOptions o ? o.getPreset() : null, defaults.getPreset());
        if (module == null || preset == null) {
            throw new IllegalArgumentException("LlmixChatModel needs a preset: set module and preset in "
                    + "LlmixChatOptions, or " + DEFAULT_MODULE_PROPERTY + " and " + DEFAULT_PRESET_PROPERTY);
        }
        List<Message> messages = PromptMapping.messages(prompt.getInstructions());
        CallOptions callOptions = PromptMapping.callOptions(options);
        LlmConfig config;
        try {
            config = client.preset(module, preset);
        } catch (RuntimeException e) {
            if (loggedLookupFailures.putIfAbsent(module + '/' + preset, Boolean.TRUE) == null) {
                LOG.warn("LLMix preset {}/{} could not be resolved", module, preset, e);
            }
            throw LlmixChatException.presetFailed(module, preset, e);
        }
        return new Call(prompt, module, preset, config, messages, callOptions);
    }

    private static @Nullable String select(@Nullable String value, @Nullable String fallback) {
        return value != null && !value.isBlank() ? value : fallback;
    }

    /** One resolved call. */
    private record Call(Prompt prompt, String module, String preset, LlmConfig config, List<Message> messages,
            CallOptions options) {

        ChatResponse run(LlmixClient client) {
            CallResponse response = client.call(config, messages, options);
            if (!response.success()) {
                throw LlmixChatException.callFailed(module, preset, response);
            }
            return ResponseMapping.toChatResponse(response, module, preset);
        }

        /**
         * The responses of one stream chunk: its visible text delta, or at {@code done} the last response (empty
         * text, since the deltas carried it), or the failure.
         */
        Flux<ChatResponse> toResponses(CallChunk chunk) {
            if (!chunk.done()) {
                if (chunk.contentDelta().isEmpty()) {
                    return Flux.empty();
                }
                AssistantMessage delta = AssistantMessage.builder().content(chunk.contentDelta()).build();
                return Flux.just(new ChatResponse(List.of(new Generation(delta))));
            }
            CallResponse response = Objects.requireNonNull(chunk.response());
            if (!response.success()) {
                return Flux.error(LlmixChatException.callFailed(module, preset, response));
            }
            return Flux.just(ResponseMapping.toChatResponse(response, module, preset, ""));
        }

        /** The observation context: the prompt with its options replaced by the effective values. */
        ChatModelObservationContext observationContext(boolean streaming) {
            LlmConfig effective = options.applyTo(config);
            var common = effective.commonOrEmpty();
            LlmixChatOptions.Builder used = LlmixChatOptions.builder()
                    .module(module)
                    .preset(preset)
                    .model(effective.model())
                    .temperature(doubleOrNull(common.temperature()))
                    .maxTokens(intOrNull(common.maxOutputTokens()))
                    .topP(doubleOrNull(common.topP()))
                    .topK(intOrNull(common.topK()))
                    .presencePenalty(doubleOrNull(common.presencePenalty()))
                    .frequencyPenalty(doubleOrNull(common.frequencyPenalty()))
                    .stopSequences(common.stopSequences());
            ChatModelObservationContext context = ChatModelObservationContext.builder()
                    .prompt(new Prompt(prompt.getInstructions(), used.build()))
                    .provider(effective.provider())
                    .streaming(streaming)
                    .build();
            context.put(LlmixMetadata.BRIDGE, Boolean.TRUE);
            context.put(LlmixChatModelObservationConvention.MODULE_ENTRY, module);
            context.put(LlmixChatModelObservationConvention.PRESET_ENTRY, preset);
            return context;
        }

        private static @Nullable Double doubleOrNull(@Nullable Number n) {
            return n == null ? null : n.doubleValue();
        }

        private static @Nullable Integer intOrNull(@Nullable Number n) {
            return n == null ? null : n.intValue();
        }
    }

    @Override
    public String toString() {
        return "LlmixChatModel[defaults=" + defaults + "]";
    }

    /** Builder of {@link LlmixChatModel}. */
    public static final class Builder {
        private final LlmixClient client;
        private LlmixChatOptions defaultOptions = LlmixChatOptions.builder().build();
        private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;
        private @Nullable ChatModelObservationConvention observationConvention;

        private Builder(LlmixClient client) {
            this.client = Objects.requireNonNull(client, "client");
        }

        /** Defaults returned by {@code getOptions()}; {@code ChatClient} merges them into every request. */
        public Builder defaultOptions(LlmixChatOptions v) {
            defaultOptions = Objects.requireNonNull(v, "defaultOptions");
            return this;
        }

        /** Where the {@code gen_ai.client.operation} observations go; default {@link ObservationRegistry#NOOP}. */
        public Builder observationRegistry(ObservationRegistry v) {
            observationRegistry = Objects.requireNonNull(v, "observationRegistry");
            return this;
        }

        /** A convention replacing {@link LlmixChatModelObservationConvention}. */
        public Builder observationConvention(@Nullable ChatModelObservationConvention v) {
            observationConvention = v;
            return this;
        }

        public LlmixChatModel build() {
            return new LlmixChatModel(this);
        }
    }
}
