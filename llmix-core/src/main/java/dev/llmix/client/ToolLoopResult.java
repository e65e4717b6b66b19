package dev.llmix.client;

import dev.llmix.pipeline.CallResponse;
import dev.llmix.spi.LlmUsage;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of {@link LlmixClient#callWithTools}: why the loop stopped, the last model response, the full transcript
 * (ready to be sent again), the messages the loop added, every tool execution and the token usage summed over steps.
 *
 * @param response    the last model response
 * @param stopReason  why the loop stopped
 * @param steps       the number of model calls made
 * @param messages    the full transcript as neutral message maps
 * @param newMessages the messages appended by the loop
 * @param executions  the tool executions in order
 * @param usage       token usage summed over all steps
 */
public record ToolLoopResult(CallResponse response, StopReason stopReason, int steps, List<Object> messages,
        List<Object> newMessages, List<ToolExecution> executions, LlmUsage usage) {

    /** Why a tool loop stopped. */
    public enum StopReason {
        /** The model answered without tool calls. */
        FINAL_ANSWER,
        /** {@code maxSteps} model calls were made and their calls executed. */
        MAX_STEPS,
        /** The model called an unregistered tool and {@code failOnUnknownTool} was set. */
        UNKNOWN_TOOL,
        /** A model call failed, the thread was interrupted or the client shut down. */
        CALL_FAILED
    }

    public ToolLoopResult {
        messages = List.copyOf(messages);
        newMessages = List.copyOf(newMessages);
        executions = List.copyOf(executions);
    }

    /** The content of the last response. */
    public String content() {
        return response.content();
    }

    /** The error of a failed stop, or {@code null}. */
    public @Nullable String error() {
        return response.error();
    }
}
