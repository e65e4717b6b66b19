package dev.llmix.client;

import dev.llmix.config.LlmConfig;
import dev.llmix.spi.CallInput;
import dev.llmix.pipeline.CallResponse;
import dev.llmix.spi.LlmUsage;
import dev.llmix.tools.ToolArgumentsException;
import dev.llmix.tools.ToolCall;
import dev.llmix.tools.ToolChoice;
import dev.llmix.tools.ToolResult;
import dev.llmix.tools.ToolSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * The model → handlers → model loop of {@link LlmixClient#callWithTools}: every model turn is one full pipeline call,
 * at most {@code maxSteps} of them; handler failures go back to the model as error results (docs/tools.md).
 */
final class ToolLoop {

    private static final JsonMapper RESULT_MAPPER = JsonMapper.builder().build();

    private final Function<CallInput, CallResponse> call;
    private final BooleanSupplier accepting;
    private final ToolHandlers handlers;
    private final ToolLoopOptions options;

    ToolLoop(Function<CallInput, CallResponse> call, BooleanSupplier accepting, ToolHandlers handlers,
            ToolLoopOptions options) {
        this.call = call;
        this.accepting = accepting;
        this.handlers = handlers;
        this.options = options;
    }

    /** A step's call with what its handler produced. */
    private record Outcome(ToolCall call, String content, boolean isError, @Nullable Exception exception,
            Duration duration) {
    }

    private static final class Interrupted extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    ToolLoopResult run(CallInput first, List<Object> initialMessages) {
        List<Object> transcript = new ArrayList<>(initialMessages);
        List<Object> added = new ArrayList<>();
        List<ToolExecution> executions = new ArrayList<>();
        LlmConfig config = first.config();
        ToolSet tools = first.tools();
        long in = 0;
        long out = 0;
        long total = 0;
        Long cached = null;
        CallResponse last = null;
        for (int step = 1; step <= options.maxSteps(); step++) {
            if (!accepting.getAsBoolean()) {
                return result(CallResponse.failure(config, LlmixClient.SHUT_DOWN_ERROR), ToolLoopResult.StopReason
                        .CALL_FAILED, step - 1, transcript, added, executions, in, out, total, cached);
            }
            ToolSet stepTools = tools;
            if (step > 1 && options.resetToolChoice() && tools != null && tools.choice() != null
                    && tools.choice().forcesCall()) {
                stepTools = tools.withChoice(ToolChoice.auto());
            }
            CallInput input = new CallInput(config, List.copyOf(transcript), first.singleflightKey(), stepTools,
                    first.cacheable());
            CallResponse response = call.apply(input);
            last = response;
            LlmUsage u = response.usage();
            in += u.inputTokens();
            out += u.outputTokens();
            total += u.totalTokens();
            if (u.cachedInputTokens() != null) {
                cached = (cached == null ? 0 : cached) + u.cachedInputTokens();
            }
            if (!response.success()) {
                return result(response, ToolLoopResult.StopReason.CALL_FAILED, step, transcript, added, executions,
                        in, out, total, cached);
            }
            Object assistant = Message.assistant(response).toMap();
            transcript.add(assistant);
            added.add(assistant);
            if (!response.hasToolCalls()) {
                return result(response, ToolLoopResult.StopReason.FINAL_ANSWER, step, transcript, added, executions,
                        in, out, total, cached);
            }
            List<ToolCall> calls = response.toolCalls();
            if (options.failOnUnknownTool()) {
                for (ToolCall c : calls) {
                    if (handlers.handler(c.name()) == null) {
                        return result(response, ToolLoopResult.StopReason.UNKNOWN_TOOL, step, transcript, added,
                                executions, in, out, total, cached);
                    }
                }
            }
            List<Outcome> outcomes;
            try {
                outcomes = execute(calls);
            } catch (Interrupted e) {
                Thread.currentThread().interrupt();
                return result(CallResponse.failure(config, "interrupted"), ToolLoopResult.StopReason.CALL_FAILED,
                        step, transcript, added, executions, in, out, total, cached);
            }
            for (Outcome o : outcomes) {
                Object msg = (o.isError() ? Message.toolError(o.call(), o.content())
                        : Message.toolResult(o.call(), o.content())).toMap();
                transcript.add(msg);
                added.add(msg);
                executions.add(new ToolExecution(step, o.call(), o.content(), o.isError(), o.exception(),
                        o.duration()));
            }
        }
        return result(last, ToolLoopResult.StopReason.MAX_STEPS, options.maxSteps(), transcript, added, executions,
                in, out, total, cached);
    }

    private List<Outcome> execute(List<ToolCall> calls) {
        List<Outcome> outcomes = new ArrayList<>(calls.size());
        if (options.executor() == null || calls.size() == 1) {
            for (ToolCall c : calls) {
                outcomes.add(runOne(c));
            }
            return outcomes;
        }
        List<CompletableFuture<Outcome>> futures = new ArrayList<>(calls.size());
        for (ToolCall c : calls) {
            futures.add(CompletableFuture.supplyAsync(() -> runOne(c), options.executor()));
        }
        for (CompletableFuture<Outcome> f : futures) {
            try {
                outcomes.add(f.get());
            } catch (InterruptedException e) {
                throw new Interrupted();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Interrupted i) {
                    throw i;
                }
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
        return outcomes;
    }

    private Outcome runOne(ToolCall call) {
        ToolHandler handler = handlers.handler(call.name());
        if (handler == null) {
            return new Outcome(call, "Unknown tool \"" + call.name() + "\". Available tools: "
                    + String.join(", ", handlers.names()) + ".", true, null, Duration.ZERO);
        }
        try {
            call.argumentsAsMap();
        } catch (ToolArgumentsException e) {
            String reason = e.getMessage();
            int colon = reason.indexOf("are not valid JSON: ");
            reason = colon >= 0 ? reason.substring(colon + "are not valid JSON: ".length()) : reason;
            return new Outcome(call, "Invalid arguments for tool \"" + call.name() + "\": " + reason, true, e,
                    Duration.ZERO);
        }
        long start = System.nanoTime();
        try {
            Object value = handler.handle(call);
            Duration d = Duration.ofNanos(System.nanoTime() - start);
            if (value instanceof ToolResult r) {
                return new Outcome(call, r.content(), r.isError(), null, d);
            }
            String content = value == null ? "" : value instanceof String s ? s
                    : RESULT_MAPPER.writeValueAsString(value);
            return new Outcome(call, content, false, null, d);
        } catch (InterruptedException e) {
            throw new Interrupted();
        } catch (Exception e) {
            String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            return new Outcome(call, "Error: " + message, true, e, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private static ToolLoopResult result(CallResponse response, ToolLoopResult.StopReason reason, int steps,
            List<Object> transcript, List<Object> added, List<ToolExecution> executions, long in, long out,
            long total, @Nullable Long cached) {
        return new ToolLoopResult(response, reason, steps, transcript, added, executions,
                new LlmUsage(in, out, total, cached));
    }
}
