package dev.llmix.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmix.config.LlmConfig;
import dev.llmix.keys.KeyPool;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.spi.DispatchContext;
import dev.llmix.spi.DispatchFunction;
import dev.llmix.spi.LlmUsage;
import dev.llmix.pipeline.PipelineConfig;
import dev.llmix.spi.ProviderException;
import dev.llmix.spi.ProviderResult;
import dev.llmix.tools.Tool;
import dev.llmix.tools.ToolCall;
import dev.llmix.tools.ToolChoice;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tools acceptance checks 30 and 33–39: the tool loop through a real pipeline with a scripted provider. */
class ToolLoopTest {

    private static final LlmConfig CONFIG = LlmConfig.builder("openai", "gpt-4o-mini").build();
    private static final Tool GET_WEATHER = Tool.function("get_weather", "Weather for a city",
            "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}");

    @TempDir
    Path stateDir;

    private final List<CallPipeline> pipelines = new ArrayList<>();
    /** Every dispatch context the scripted provider received. */
    private final List<DispatchContext> seen = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        pipelines.forEach(CallPipeline::close);
    }

    private LlmixClient client(Function<Integer, Object> script) {
        AtomicInteger n = new AtomicInteger();
        DispatchFunction dispatch = ctx -> {
            seen.add(ctx);
            Object o = script.apply(n.getAndIncrement());
            if (o instanceof Throwable t) {
                return CompletableFuture.failedFuture(t);
            }
            return CompletableFuture.completedFuture((ProviderResult) o);
        };
        return client(dispatch, 0);
    }

    private LlmixClient client(DispatchFunction dispatch, int maxRetries) {
        CallPipeline p = new CallPipeline(PipelineConfig.builder().maxRetries(maxRetries).retryBaseMs(1)
                .retryMaxDelayMs(1).retryJitterMs(0).stateDir(stateDir).env(name -> null).build(), dispatch);
        p.setKeyPool("openai", new KeyPool(List.of("test-key")));
        pipelines.add(p);
        return new LlmixClient(p, (module, preset) -> CONFIG);
    }

    private static ProviderResult calls(ToolCall... calls) {
        List<Object> maps = new ArrayList<>();
        for (ToolCall c : calls) {
            maps.add(c.toMap());
        }
        return new ProviderResult("", "gpt-4o-mini", LlmUsage.of(10, 5, 15), null, maps, "tool_calls", null);
    }

    private static ProviderResult answer(String text) {
        return new ProviderResult(text, "gpt-4o-mini", LlmUsage.of(20, 4, 24), null, null, "stop", null);
    }

    private static ToolHandlers weather(ToolHandler handler) {
        return ToolHandlers.builder().add(GET_WEATHER, handler).build();
    }

    private static final ToolCall PARIS = ToolCall.of("call_1", "get_weather", "{\"city\":\"Paris\"}");

    // 33
    @Test
    void twoStepsEndWithTheFinalAnswerAndTheFullTranscript() {
        LlmixClient client = client(n -> n == 0 ? calls(PARIS) : answer("It is 21C"));

        ToolLoopResult r = client.callWithTools(CONFIG, List.of(Message.user("Weather in Paris?")),
                weather(call -> "21C"));

        assertThat(r.stopReason()).isEqualTo(ToolLoopResult.StopReason.FINAL_ANSWER);
        assertThat(r.steps()).isEqualTo(2);
        assertThat(r.content()).isEqualTo("It is 21C");
        assertThat(r.messages()).containsExactly(
                Message.user("Weather in Paris?").toMap(),
                Message.assistant(null, List.of(PARIS)).toMap(),
                Message.toolResult("call_1", "get_weather", "21C").toMap(),
                Message.assistant("It is 21C").toMap());
        assertThat(r.newMessages()).hasSize(3);
        List<?> second = seen.get(1).messages();
        assertThat(second.get(second.size() - 1)).isEqualTo(Message.toolResult(PARIS, "21C").toMap());
        assertThat(seen.get(0).kwargs().get("tools")).isEqualTo(List.of(GET_WEATHER.toWire()));
        assertThat(r.usage()).isEqualTo(new LlmUsage(30, 9, 39, null));
    }

    // 34
    @Test
    void maxStepsBoundsTheModelCalls() {
        AtomicInteger runs = new AtomicInteger();
        LlmixClient client = client(n -> calls(ToolCall.of("call_" + n, "get_weather", "{\"city\":\"Paris\"}")));

        ToolLoopResult r = client.callWithTools(CONFIG, List.of(Message.user("loop")), weather(call -> {
            runs.incrementAndGet();
            return "21C";
        }), CallOptions.none(), ToolLoopOptions.builder().maxSteps(3).build());

        assertThat(seen).hasSize(3);
        assertThat(runs).hasValue(3);
        assertThat(r.stopReason()).isEqualTo(ToolLoopResult.StopReason.MAX_STEPS);
        assertThat(((Map<?, ?>) r.messages().get(r.messages().size() - 1)).get("role")).isEqualTo("tool");
        assertThat(ToolLoopOptions.defaults().maxSteps()).isEqualTo(8);
        assertThatThrownBy(() -> ToolLoopOptions.builder().maxSteps(0).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    // 35
    @Test
    void aHandlerExceptionBecomesAnErrorResultAndTheLoopContinues() {
        LlmixClient client = client(n -> n == 0 ? calls(PARIS) : answer("Sorry"));

        ToolLoopResult r = client.callWithTools(CONFIG, List.of(Message.user("Weather?")), weather(call -> {
            throw new IllegalStateException("boom");
        }));

        assertThat(r.stopReason()).isEqualTo(ToolLoopResult.StopReason.FINAL_ANSWER);
        assertThat(r.messages().get(2)).isEqualTo(Message.toolError(PARIS, "Error: boom").toMap());
        assertThat(r.executions()).singleElement().satisfies(e -> {
            assertThat(e.isError()).isTrue();
            assertThat(e.exception()).isInstanceOf(IllegalStateException.class);
            assertThat(e.step()).isEqualTo(1);
        });
    }

    // 36
    @Test
    void anUnknownToolIsAnsweredWithTheAvailableToolsOrStopsTheLoop() {
        ToolCall nope = ToolCall.of("call_9", "nope", "{}");
        LlmixClient client = client(n -> n == 0 ? calls(nope) : answer("ok"));
        ToolLoopResult r = client.callWithTools(CONFIG, List.of(Message.user("?")), weather(call -> "21C"));
        assertThat(r.messages().get(2)).isEqualTo(Message.toolError(nope,
                "Unknown tool \"nope\". Available tools: get_weather.").toMap());

        seen.clear();
        AtomicInteger runs = new AtomicInteger();
        LlmixClient strict = client(n -> calls(nope, PARIS));
        ToolLoopResult stopped = strict.callWithTools(CONFIG, List.of(Message.user("?")), weather(call -> {
            runs.incrementAndGet();
            return "21C";
        }), CallOptions.none(), ToolLoopOptions.builder().failOnUnknownTool(true).build());
        assertThat(stopped.stopReason()).isEqualTo(ToolLoopResult.StopReason.UNKNOWN_TOOL);
        assertThat(runs).hasValue(0);
        assertThat(((Map<?, ?>) stopped.messages().get(stopped.messages().size() - 1)).get("role"))
                .isEqualTo("assistant");
    }

    // 37
    @Test
    void parallelCallsRunInCallOrderOrConcurrentlyWithAnExecutor() throws Exception {
        ToolCall a = ToolCall.of("call_a", "get_weather", "{\"city\":\"A\"}");
        ToolCall b = ToolCall.of("call_b", "get_weather", "{\"city\":\"B\"}");
        List<String> order = new CopyOnWriteArrayList<>();
        LlmixClient client = client(n -> n == 0 ? calls(a, b) : answer("done"));
        ToolLoopResult r = client.callWithTools(CONFIG, List.of(Message.user("?")), weather(call -> {
            order.add(call.id());
            return call.id();
        }));
        assertThat(order).containsExactly("call_a", "call_b");
        assertThat(r.messages().subList(2, 4)).containsExactly(Message.toolResult(a, "call_a").toMap(),
                Message.toolResult(b, "call_b").toMap());

        CountDownLatch both = new CountDownLatch(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            LlmixClient concurrent = client(n -> n == 0 ? calls(a, b) : answer("done"));
            ToolLoopResult c = concurrent.callWithTools(CONFIG, List.of(Message.user("?")), weather(call -> {
                both.countDown();
                // Each handler waits for the other: only concurrent execution finishes.
                assertThat(both.await(10, TimeUnit.SECONDS)).isTrue();
                return call.id();
            }), CallOptions.none(), ToolLoopOptions.builder().executor(pool).build());
            assertThat(c.stopReason()).isEqualTo(ToolLoopResult.StopReason.FINAL_ANSWER);
            assertThat(c.messages().subList(2, 4)).containsExactly(Message.toolResult(a, "call_a").toMap(),
                    Message.toolResult(b, "call_b").toMap());
        } finally {
            pool.shutdownNow();
        }
    }

    // 38
    @Test
    void aForcedChoiceIsResetAfterTheFirstStep() {
        LlmixClient client = client(n -> n == 0 ? calls(PARIS) : answer("ok"));
        client.callWithTools(CONFIG, List.of(Message.user("?")), weather(call -> "21C"), CallOptions.none(),
                ToolLoopOptions.builder().toolChoice(ToolChoice.required()).build());
        assertThat(seen.get(0).kwargs().get("tool_choice")).isEqualTo("required");
        assertThat(seen.get(1).kwargs().get("tool_choice")).isEqualTo("auto");
    }

    // 38
    @Test
    void aFailedStepStopsTheLoop() {
        LlmixClient client = client(n -> n == 0 ? calls(PARIS) : ProviderException.ofStatus(503, "unavailable"));
        ToolLoopResult r = client.callWithTools(CONFIG, List.of(Message.user("?")), weather(call -> "21C"));
        assertThat(r.stopReason()).isEqualTo(ToolLoopResult.StopReason.CALL_FAILED);
        assertThat(r.error()).contains("unavailable");
    }

    // 38
    @Test
    void shutdownDuringAHandlerStopsBeforeTheNextDispatch() {
        LlmixClient[] holder = new LlmixClient[1];
        holder[0] = client(n -> calls(PARIS));
        ToolLoopResult r = holder[0].callWithTools(CONFIG, List.of(Message.user("?")), weather(call -> {
            holder[0].shutdown();
            return "21C";
        }));
        assertThat(seen).hasSize(1);
        assertThat(r.stopReason()).isEqualTo(ToolLoopResult.StopReason.CALL_FAILED);
        assertThat(r.error()).isEqualTo(LlmixClient.SHUT_DOWN_ERROR);
    }

    // 39
    @Test
    void toolsInCallOptionsAndBadArgumentsAreRejected() {
        LlmixClient client = client(n -> n == 0 ? calls(ToolCall.of("call_1", "get_weather", "{bad"))
                : answer("ok"));
        assertThatThrownBy(() -> client.callWithTools(CONFIG, List.of(Message.user("?")), weather(c -> "x"),
                CallOptions.builder().tools(GET_WEATHER).build(), ToolLoopOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pass tools through ToolHandlers");

        AtomicInteger runs = new AtomicInteger();
        ToolLoopResult r = client.callWithTools(CONFIG, List.of(Message.user("?")), weather(c -> {
            runs.incrementAndGet();
            return "x";
        }));
        assertThat(runs).hasValue(0);
        assertThat((String) ((Map<?, ?>) r.messages().get(2)).get("content"))
                .startsWith("Invalid arguments for tool \"get_weather\": ");
    }

    // 30
    @Test
    void anInconsistentHistoryFailsBeforeAnyDispatch() {
        LlmixClient client = client(n -> answer("ok"));
        assertThatThrownBy(() -> client.call(CONFIG, List.of(Message.user("hi"),
                Message.toolResult("x", "get_weather", "21C"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tool message at index 1 answers unknown tool call id \"x\"");
        assertThatThrownBy(() -> client.call(CONFIG, List.of(Message.user("hi"),
                Message.assistant(null, List.of(PARIS)), Message.user("again"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tool call \"call_1\" (get_weather) at index 1 has no tool result");
        assertThat(seen).isEmpty();
    }

    record City(String city) {
    }

    @Test
    void typedHandlersReceiveBoundArguments() {
        LlmixClient client = client(n -> n == 0 ? calls(PARIS) : answer("ok"));
        ToolHandlers handlers = ToolHandlers.builder()
                .add("get_weather", "Weather for a city", City.class, city -> Map.of("temp", 21, "city", city.city()))
                .build();
        ToolLoopResult r = client.callWithTools(CONFIG, List.of(Message.user("?")), handlers);
        assertThat((String) ((Map<?, ?>) r.messages().get(2)).get("content")).contains("\"city\":\"Paris\"");
        assertThat(handlers.tools().get(0).strict()).isTrue();
    }

    @Test
    void theAsyncLoopCompletesWithTheSameResult() throws Exception {
        LlmixClient client = client(n -> n == 0 ? calls(PARIS) : answer("It is 21C"));
        CompletionStage<ToolLoopResult> r = client.callWithToolsAsync(CONFIG, List.of(Message.user("?")),
                weather(c -> "21C"), CallOptions.none(), ToolLoopOptions.defaults());
        assertThat(r.toCompletableFuture().get(10, TimeUnit.SECONDS).content()).isEqualTo("It is 21C");
    }
}
