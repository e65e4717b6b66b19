package dev.llmix.thinking;

import org.jspecify.annotations.Nullable;

/**
 * Model output split into the answer and the reasoning that was removed from it.
 *
 * @param content         the output without {@code <think>} blocks, trimmed (unchanged when it had none)
 * @param thinkingContent the removed block texts joined with {@code "\n"}, or {@code null} when there was no block
 */
public record ThinkingResult(String content, @Nullable String thinkingContent) {
}
