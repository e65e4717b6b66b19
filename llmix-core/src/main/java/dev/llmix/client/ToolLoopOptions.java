package dev.llmix.client;

import dev.llmix.tools.ToolChoice;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * Limits and behaviour of {@link LlmixClient#callWithTools}: at most {@code maxSteps} model calls (1–100, default 8),
 * whether a forced tool choice falls back to {@code auto} after the first step, whether an unknown tool name stops
 * the loop, an optional executor that runs one step's calls concurrently, and the tool choice and parallel flag sent
 * with the tools.
 *
 * @param maxSteps          the most model calls, 1–100
 * @param resetToolChoice   whether a {@code required} or named choice becomes {@code auto} from step 2 on
 * @param failOnUnknownTool whether a call to an unregistered tool stops the loop ({@code UNKNOWN_TOOL})
 * @param executor          runs a step's calls concurrently, or {@code null} for sequential
 * @param toolChoice        the tool choice of step 1, or {@code null} for the provider default
 * @param parallelToolCalls the parallel-calls flag, or {@code null} for the provider default
 */
public record ToolLoopOptions(int maxSteps, boolean resetToolChoice, boolean failOnUnknownTool,
        @Nullable Executor executor, @Nullable ToolChoice toolChoice, @Nullable Boolean parallelToolCalls) {

    /** The default number of model calls. */
    public static final int DEFAULT_MAX_STEPS = 8;

    private static final ToolLoopOptions DEFAULTS = builder().build();

    public ToolLoopOptions {
        if (maxSteps < 1 || maxSteps > 100) {
            throw new IllegalArgumentException("maxSteps must be between 1 and 100, got " + maxSteps);
        }
    }

    /** Eight steps, reset choice, unknown tools answered with an error result, sequential. */
    public static ToolLoopOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder for {@link ToolLoopOptions}. */
    public static final class Builder {
        private int maxSteps = DEFAULT_MAX_STEPS;
        private boolean resetToolChoice = true;
        private boolean failOnUnknownTool;
        private @Nullable Executor executor;
        private @Nullable ToolChoice toolChoice;
        private @Nullable Boolean parallelToolCalls;

        private Builder() {
        }

        public Builder maxSteps(int v) { maxSteps = v; return this; }
        public Builder resetToolChoice(boolean v) { resetToolChoice = v; return this; }
        public Builder failOnUnknownTool(boolean v) { failOnUnknownTool = v; return this; }
        public Builder executor(@Nullable Executor v) { executor = v; return this; }
        public Builder toolChoice(@Nullable ToolChoice v) { toolChoice = v; return this; }
        public Builder parallelToolCalls(@Nullable Boolean v) { parallelToolCalls = v; return this; }

        /** @throws IllegalArgumentException when {@code maxSteps} is outside 1–100 */
        public ToolLoopOptions build() {
            return new ToolLoopOptions(maxSteps, resetToolChoice, failOnUnknownTool, executor, toolChoice,
                    parallelToolCalls);
        }
    }
}
