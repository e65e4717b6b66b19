/**
 * Start-up failures of the LLMix auto-configuration and the {@code FailureAnalyzer}s that explain them.
 */
@NullMarked
package dev.llmix.spring.autoconfigure.diagnostics;

import org.jspecify.annotations.NullMarked;
