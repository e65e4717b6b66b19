/**
 * Removal of {@code <think>…</think>} reasoning blocks from model output.
 */
@NullMarked
package dev.llmix.thinking;

import org.jspecify.annotations.NullMarked;
